"""Every URL of the project, requested by every kind of person, answers as the roles allow.

A URL pattern missing from MATRIX fails `test_every_url_is_in_the_matrix`: add a row when you
add a page. Statuses: 200 shown, 302 redirected (to sign-in for anonymous people), 403 seen but
not allowed, 404 not visible (the same as missing), 405 wrong method, 410 gone.
"""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meetings.models import Attachment
from meetings.services.attendance import answer_token
from meetings.services.calendar import feed_for, feed_token
from members.models import Invitation, Role
from members.tokens import invitation_token
from protocols.models import Kind, Status
from taskforce.exports.models import ExportJob
from taskforce.reminders.models import Notice

from .factories import member_of
from .meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    CommitteeFactory,
    DecisionFactory,
    InviteeFactory,
    MeetingFactory,
    StandingItemFactory,
    TrendBriefFactory,
)
from .protocols.factories import DocumentFactory, SignatoryFactory, VersionFactory

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
# Members read; observers never (action items, trend briefs).
MEMBERS = (302, 403, 200, 200, 404, 200, 200)
# A state change by POST that managers may make: they are redirected back.
MANAGER_POSTS = (302, 403, 403, 403, 404, 302, 302)
# Drafts are the managers' alone: to everyone else they do not exist.
DRAFT_ONLY = (302, 404, 404, 404, 404, 200, 200)


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
    # Meetings: coordinators manage them all (a committee chair theirs: tests/meetings).
    "meetings:meeting-list": ("get", _args("tf"), VIEWERS),
    "meetings:meeting-create": ("get", _args("tf"), MANAGERS),
    "meetings:series-create": ("get", _args("tf"), MANAGERS),
    "meetings:meeting-detail": ("get", _args("tf", "meeting"), VIEWERS),
    "meetings:meeting-update": ("get", _args("tf", "meeting"), MANAGERS),
    "meetings:meeting-cancel": ("post", _args("tf", "meeting"), MANAGER_POSTS),
    "meetings:meeting-history": ("get", _args("tf", "meeting"), MANAGERS),
    "meetings:meeting-invite": ("get", _args("tf", "meeting"), MANAGERS),
    # Only an invitee answers for themself; the coordinator is not invited to this meeting.
    # A fourth element gives the POST data, from the world.
    "meetings:meeting-rsvp": (
        "post",
        _args("tf", "meeting"),
        (302, 302, 302, 302, 404, 403, 403),
        lambda w: {"response": "yes"},
    ),
    "meetings:meeting-nudge": ("post", _args("tf", "meeting"), MANAGER_POSTS),
    "meetings:meeting-attendance": ("get", _args("tf", "meeting"), MANAGERS),
    "meetings:meeting-ics": ("get", _args("tf", "meeting"), VIEWERS),
    "meetings:calendar-subscription": ("get", _args("tf"), VIEWERS),
    "meetings:calendar-reset": ("post", _args("tf"), (302, 302, 302, 302, 404, 302, 302)),
    # The signed token is the permission: the email's answer link and the calendar feed.
    "meetings-public:rsvp-answer": ("get", _args("answer_token"), EVERYONE_200),
    "meetings-public:calendar-feed": ("get", _args("feed_token"), EVERYONE_200),
    "meetings:agenda": ("get", _args("tf", "meeting"), VIEWERS),
    "meetings:agenda-item-create": ("get", _args("tf", "meeting"), MANAGERS),
    "meetings:agenda-item-update": ("get", _args("tf", "agenda_item"), MANAGERS),
    "meetings:agenda-item-notes": ("get", _args("tf", "agenda_item"), MANAGERS),
    "meetings:agenda-item-delete": ("post", _args("tf", "agenda_item"), MANAGER_POSTS),
    "meetings:agenda-item-move": (
        "post",
        _args("tf", "agenda_item"),
        MANAGER_POSTS,
        lambda w: {"direction": "up"},
    ),
    "meetings:agenda-reorder": (
        "post",
        _args("tf", "meeting"),
        (302, 403, 403, 403, 404, 200, 200),
        lambda w: {"item": [w["agenda_item"]]},
    ),
    "meetings:attachment-create": ("post", _args("tf", "agenda_item"), MANAGER_POSTS),
    "meetings:attachment-download": ("get", _args("tf", "attachment"), VIEWERS),
    "meetings:attachment-delete": ("post", _args("tf", "attachment"), MANAGER_POSTS),
    "meetings:minutes-circulate": ("post", _args("tf", "meeting"), MANAGER_POSTS),
    "meetings:standing-item-list": ("get", _args("tf"), MANAGERS),
    "meetings:standing-item-create": ("get", _args("tf"), MANAGERS),
    "meetings:standing-item-update": ("get", _args("tf", "standing_item"), MANAGERS),
    "meetings:standing-item-delete": ("post", _args("tf", "standing_item"), MANAGER_POSTS),
    "meetings:meeting-decisions": ("get", _args("tf", "meeting"), VIEWERS),
    "meetings:decision-create": ("get", _args("tf", "meeting"), MANAGERS),
    "meetings:decision-log": ("get", _args("tf"), VIEWERS),
    "meetings:decision-detail": ("get", _args("tf", "decision"), VIEWERS),
    "meetings:meeting-action-items": ("get", _args("tf", "meeting"), MEMBERS),
    "meetings:action-item-list": ("get", _args("tf"), MEMBERS),
    "meetings:action-item-overdue": ("get", _args("tf"), MEMBERS),
    "meetings:action-item-mine": ("get", _args("tf"), MEMBERS),
    "meetings:action-item-create": ("get", _args("tf"), MANAGERS),
    "meetings:action-item-detail": ("get", _args("tf", "action_item"), MEMBERS),
    "meetings:action-item-update": ("get", _args("tf", "action_item"), MANAGERS),
    # The member is the assignee; lead_other leads another agency.
    "meetings:action-item-status": (
        "post",
        _args("tf", "action_item"),
        (302, 403, 302, 403, 404, 302, 302),
        lambda w: {"status": "done"},
    ),
    "meetings:meeting-trend-briefs": ("get", _args("tf", "meeting"), MEMBERS),
    "meetings:trend-brief-create": ("get", _args("tf", "meeting"), MEMBERS),
    # The member wrote the brief: the author or a coordinator changes it.
    "meetings:trend-brief-update": ("get", _args("tf", "trend_brief"), (302, 403, 200, 403, 404, 200, 200)),
    "meetings:trend-brief-delete": ("post", _args("tf", "trend_brief"), (302, 403, 302, 403, 404, 302, 302)),
    "meetings:trends": ("get", _args("tf"), MEMBERS),
    # Protocols: the world's MOU is shared with all members, approved, and awaits the signatures
    # of `agency` and `other_agency` (whose lead is lead_other); `draft` is a protocol's draft.
    "protocols:library": ("get", _args("tf"), VIEWERS),
    "protocols:needs-my-signature": ("get", _args("tf"), VIEWERS),
    "protocols:document-create": ("get", _args("tf"), MANAGERS),
    "protocols:document-detail": ("get", _args("tf", "document"), VIEWERS),
    "protocols:document-update": ("get", _args("tf", "document"), MANAGERS),
    "protocols:document-history": ("get", _args("tf", "document"), MANAGERS),
    "protocols:document-retire": ("get", _args("tf", "document"), MANAGERS),
    "protocols:document-reviewed": ("post", _args("tf", "document"), MANAGER_POSTS),
    "protocols:version-create": ("get", _args("tf", "document"), MANAGERS),
    "protocols:version-compare": ("get", _args("tf", "document"), VIEWERS),
    "protocols:version-detail": ("get", _args("tf", "version"), VIEWERS),
    "protocols:version-file": ("get", _args("tf", "version"), VIEWERS),
    "protocols:version-update": ("get", _args("tf", "draft"), DRAFT_ONLY),
    "protocols:version-submit": ("post", _args("tf", "draft"), (302, 404, 404, 404, 404, 302, 302)),
    # Refused for the approved version (it is not in review), with a message for managers.
    "protocols:version-return": ("post", _args("tf", "version"), MANAGER_POSTS),
    "protocols:version-approve": ("get", _args("tf", "version"), MANAGER_POSTS),
    # Reviewers are the core team: lead_other may comment (refused: not in review) and is sent back.
    "protocols:comment-create": ("post", _args("tf", "version"), (302, 403, 403, 302, 404, 302, 302)),
    "protocols:signatory-list": ("get", _args("tf", "version"), MANAGER_POSTS),
    "protocols:signatory-delete": ("post", _args("tf", "signatory_other"), MANAGER_POSTS),
    "protocols:signatory-approval": (
        "get",
        _args("tf", "signatory_other"),
        (302, 403, 403, 302, 404, 302, 302),
    ),
    # Only the agency's own lead signs: never a coordinator or an admin on its behalf.
    "protocols:signature-sign": ("get", _args("tf", "signatory_other"), (302, 403, 403, 200, 404, 403, 403)),
    "protocols:signature-decline": (
        "get",
        _args("tf", "signatory_other"),
        (302, 403, 403, 200, 404, 403, 403),
    ),
    "protocols:signature-page": ("get", _args("tf", "signatory"), VIEWERS),
    # Notices and exports belong to a person (the world's are the member's): 404 to everyone else.
    "reminders:notice-list": ("get", None, SIGNED_IN_200),
    "reminders:preferences": ("get", None, SIGNED_IN_200),
    "reminders:notice-read-all": ("post", None, (302, 302, 302, 302, 302, 302, 302)),
    "reminders:notice-read": ("post", _args("notice"), (302, 404, 302, 404, 404, 404, 404)),
    "exports:job-list": ("get", None, SIGNED_IN_200),
    "exports:job-create": (
        "post",
        None,
        (302, 302, 302, 302, 404, 302, 302),
        lambda w: {"kind": "meetings.minutes", "target": str(w["meeting"])},
    ),
    "exports:job-detail": ("get", _args("export"), (302, 404, 200, 404, 404, 404, 200)),
    "exports:job-download": ("get", _args("export"), (302, 404, 200, 404, 404, 404, 200)),
    "members:committee-list": ("get", _args("tf"), VIEWERS),
    "members:committee-create": ("get", _args("tf"), MANAGERS),
    "members:committee-detail": ("get", _args("tf", "committee"), VIEWERS),
    "members:committee-update": ("get", _args("tf", "committee"), MANAGERS),
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
    settings,
    tmp_path,
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
    settings.MEDIA_ROOT = tmp_path
    # Starting in ten minutes: answers are still open and attendance may be taken.
    starts_at = timezone.now() + timedelta(minutes=10)
    meeting = MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
    )
    member_invitee = InviteeFactory(meeting=meeting, user=member, agency=agency)
    InviteeFactory(meeting=meeting, user=observer, agency=agency)
    InviteeFactory(meeting=meeting, user=lead_other, agency=other_agency)
    agenda_item = AgendaItemFactory(meeting=meeting)
    attachment = Attachment(item=agenda_item, name="plan.pdf", content_type="application/pdf", size=9)
    attachment.file.save("plan", ContentFile(b"%PDF-1.4\n"), save=True)
    decision = DecisionFactory(meeting=meeting)
    action_item = ActionItemFactory(agency=agency, assignee=member)
    trend_brief = TrendBriefFactory(meeting=meeting, agency=agency, submitted_by=member)
    committee = CommitteeFactory(task_force=task_force)
    standing_item = StandingItemFactory(task_force=task_force)
    mou = DocumentFactory(task_force=task_force, kind=Kind.MOU, category="", title="Referral MOU")
    version = VersionFactory(document=mou, status=Status.APPROVED)
    version.file.save("mou", ContentFile(b"%PDF-1.4\n"), save=True)
    signatory = SignatoryFactory(version=version, agency=agency)
    signatory.signed_page.save("signed", ContentFile(b"%PDF-1.4\n"), save=True)
    signatory_other = SignatoryFactory(version=version, agency=other_agency)
    draft = VersionFactory(document=DocumentFactory(task_force=task_force))
    notice = Notice.objects.create(
        rule="meetings.meeting_soon",
        kind="meetings",
        content_type=ContentType.objects.get_for_model(meeting),
        object_id=meeting.pk,
        recipient=member,
        threshold="1d",
        task_force=task_force,
        status=Notice.Status.DELIVERED,
        channel="in_app",
        subject="A meeting tomorrow",
    )
    export = ExportJob(
        owner=member,
        task_force=task_force,
        kind="meetings.minutes",
        target_code=str(meeting.code),
        title="Minutes",
        status=ExportJob.Status.DONE,
        progress=100,
        file_name="minutes.pdf",
    )
    export.file.save("minutes", ContentFile(b"%PDF-1.4\n"), save=True)
    return {
        "tf": task_force.slug,
        "meeting": meeting.code,
        "agenda_item": agenda_item.code,
        "attachment": attachment.code,
        "decision": decision.code,
        "action_item": action_item.code,
        "trend_brief": trend_brief.code,
        "committee": committee.code,
        "standing_item": standing_item.code,
        "document": mou.code,
        "version": version.code,
        "signatory": signatory.code,
        "signatory_other": signatory_other.code,
        "draft": draft.code,
        "notice": notice.code,
        "export": export.code,
        "answer_token": answer_token(member_invitee, "yes"),
        "feed_token": feed_token(feed_for(member)),
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
    method, args, expected, *data = MATRIX[name]
    url = reverse(name, args=args(world) if args else None)
    client = login(world["users"][role])
    response = client.post(url, data[0](world)) if data else getattr(client, method)(url)
    assert response.status_code == expected[ROLES.index(role)], f"{role} {method.upper()} {url}"
    if role == "anonymous" and response.status_code == 302 and name not in ("home",):
        assert "/login/" in response["Location"]
