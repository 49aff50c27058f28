"""Every URL of the project, requested by every kind of person, answers as the roles allow.

A URL pattern missing from MATRIX fails `test_every_url_is_in_the_matrix`: add a row when you
add a page. Statuses: 200 shown, 302 redirected (to sign-in for anonymous people), 403 seen but
not allowed, 404 not visible (the same as missing), 405 wrong method, 410 gone.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.models import Invitation, Role
from members.services import invitation_token

from .factories import member_of

ROLES = [
    "anonymous",
    "observer",
    "member",
    "lead_other",
    "other_coordinator",
    "coordinator",
    "admin",
]

# Compact rows: the expected status for each role, in ROLES order.
EVERYONE_200 = (200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_200 = (302, 200, 200, 200, 200, 200, 200)
VIEWERS = (302, 200, 200, 200, 404, 200, 200)
MANAGERS = (302, 403, 403, 403, 404, 200, 200)
INVITERS = (302, 403, 403, 200, 404, 200, 200)


def _args(*names):
    return lambda w: [w[name] for name in names]


# name -> (method, url args from the world, expected statuses)
MATRIX = {
    "home": ("get", None, (302, 302, 302, 302, 302, 302, 302)),
    "healthz": ("get", None, EVERYONE_200),
    "login": ("get", None, (200, 302, 302, 302, 302, 302, 302)),
    "logout": ("get", None, (302, 405, 405, 405, 405, 405, 405)),
    "password_change": ("get", None, SIGNED_IN_200),
    "password_change_done": ("get", None, SIGNED_IN_200),
    "password_reset": ("get", None, EVERYONE_200),
    "password_reset_done": ("get", None, EVERYONE_200),
    "password_reset_confirm": ("get", _args("uid", "bad_token"), EVERYONE_200),
    "password_reset_complete": ("get", None, EVERYONE_200),
    "profile": ("get", None, SIGNED_IN_200),
    "accept-invitation": ("get", _args("invitation_token"), (200, 200, 200, 200, 200, 200, 200)),
    "taskforce:home": ("get", _args("tf"), VIEWERS),
    "taskforce:update": ("get", _args("tf"), MANAGERS),
    "members:agency-list": ("get", _args("tf"), VIEWERS),
    "members:agency-create": ("get", _args("tf"), MANAGERS),
    "members:agency-detail": ("get", _args("tf", "agency"), VIEWERS),
    "members:agency-update": ("get", _args("tf", "agency"), MANAGERS),
    "members:agency-history": ("get", _args("tf", "agency"), VIEWERS),
    "members:person-list": ("get", _args("tf"), VIEWERS),
    "members:person-detail": ("get", _args("tf", "person"), VIEWERS),
    "members:person-update": ("get", _args("tf", "person"), MANAGERS),
    "members:person-history": ("get", _args("tf", "person"), VIEWERS),
    "members:membership-role": ("get", _args("tf", "membership"), MANAGERS),
    "members:membership-end": ("get", _args("tf", "membership"), MANAGERS),
    "members:invitation-list": ("get", _args("tf"), INVITERS),
    "members:invitation-create": ("get", _args("tf"), INVITERS),
    # lead_other leads another agency than the invitation's: seen, not theirs to withdraw.
    "members:invitation-revoke": (
        "post",
        _args("tf", "invitation"),
        (302, 403, 403, 403, 404, 302, 302),
    ),
    # The admin: staff only. Every admin URL sits behind the same admin_view check; these rows
    # stand for the admin namespace (see ADMIN_ROWS).
    "admin:index": ("get", None, (302, 302, 302, 302, 302, 302, 200)),
}
ADMIN_ROWS = [
    "admin:members_user_changelist",
    "admin:members_agency_changelist",
    "admin:members_membership_changelist",
    "admin:members_invitation_changelist",
    "admin:taskforce_taskforce_changelist",
    "admin:taskforce_signinevent_changelist",
]
for _name in ADMIN_ROWS:
    MATRIX[_name] = ("get", None, (302, 302, 302, 302, 302, 302, 200))


def _pattern_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _pattern_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    names = {name for name in _pattern_names(get_resolver().url_patterns) if not name.startswith("admin:")}
    missing = sorted(names - set(MATRIX))
    assert not missing, f"Add these URL names to the permission matrix: {missing}"


@pytest.fixture
def world(
    task_force,
    agency,
    other_agency,
    observer,
    member,
    lead_other,
    other_coordinator,
    coordinator,
    admin,
):
    target = member_of(agency, Role.MEMBER, full_name="Tara Target")
    invitation = Invitation.objects.create(
        email="newcomer@example.org",
        task_force=task_force,
        agency=agency,
        role=Role.MEMBER,
        invited_by=coordinator,
        expires_at="2999-01-01T00:00:00Z",
    )
    return {
        "tf": task_force.slug,
        "agency": agency.code,
        "person": target.code,
        "membership": target.memberships.get().code,
        "invitation": invitation.code,
        "invitation_token": invitation_token(invitation),
        "uid": "MQ",
        "bad_token": "set-password",
        "users": {
            "anonymous": None,
            "observer": observer,
            "member": member,
            "lead_other": lead_other,
            "other_coordinator": other_coordinator,
            "coordinator": coordinator,
            "admin": admin,
        },
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_what_the_matrix_says(name, role, world, login):
    method, args, expected = MATRIX[name]
    url = reverse(name, args=args(world) if args else None)
    response = getattr(login(world["users"][role]), method)(url)
    assert response.status_code == expected[ROLES.index(role)], f"{role} {method.upper()} {url}"
    if role == "anonymous" and response.status_code == 302 and name not in ("home",):
        assert "/login/" in response["Location"]
