from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.models import Agency, Invitation, Membership, Role, Sector, User
from taskforce.models import TaskForce

DEMO_PASSWORD = "taskforce-demo"
HARBOR, RIDGE = "harbor-county", "ridge-valley"


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    return load_demo()


def sign_in(client, email):
    return client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (TaskForce, Agency, User, Membership, Invitation, Group, User.groups.through)
    } | {
        f"history of {model.__name__}": model.history.count()
        for model in (TaskForce, Agency, User, Membership)
    }


def test_it_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        load_demo()
    assert not TaskForce.objects.exists() and not User.objects.exists()


@pytest.mark.parametrize(
    "email, slug, role",
    [
        ("coordinator@example.org", HARBOR, Role.COORDINATOR),
        ("cochair@example.org", HARBOR, Role.CO_CHAIR),
        ("cochair@example.org", RIDGE, Role.MEMBER),
        ("lead@example.org", HARBOR, Role.AGENCY_LEAD),
        ("member@example.org", HARBOR, Role.MEMBER),
        ("observer@example.org", HARBOR, Role.OBSERVER),
    ],
)
def test_each_demo_sign_in_has_its_role(demo, email, slug, role):
    memberships = Membership.objects.active().filter(user__email=email, task_force__slug=slug)
    assert list(memberships.values_list("role", flat=True)) == [role]


def test_the_admin_is_a_superuser_with_no_membership(demo):
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_superuser and admin.is_staff
    assert not admin.memberships.exists()


@pytest.mark.parametrize(
    "email, page",
    [
        ("coordinator@example.org", reverse("taskforce:update", args=[HARBOR])),
        ("cochair@example.org", reverse("taskforce:home", args=[RIDGE])),
        ("lead@example.org", reverse("members:invitation-create", args=[HARBOR])),
        ("member@example.org", reverse("members:person-list", args=[HARBOR])),
        ("observer@example.org", reverse("members:agency-list", args=[HARBOR])),
        ("admin@example.org", reverse("admin:index")),
    ],
)
def test_each_demo_sign_in_signs_in_with_the_demo_password_and_opens_its_pages(demo, client, email, page):
    response = sign_in(client, email)
    assert response.status_code == 302 and "/login/" not in response["Location"]
    assert client.get(page).status_code == 200


def test_the_observer_may_not_edit_the_task_force(demo, client):
    sign_in(client, "observer@example.org")
    assert client.get(reverse("taskforce:update", args=[HARBOR])).status_code == 403


def test_running_it_twice_duplicates_and_changes_nothing(demo):
    before = counts()
    output = load_demo()
    assert counts() == before
    assert "0 records created, 0 updated" in output


def test_it_gives_back_a_changed_demo_password(demo, client):
    member = User.objects.get(email="member@example.org")
    member.set_password("something-else-entirely")
    member.save(update_fields=["password"])
    load_demo()
    assert sign_in(client, "member@example.org").status_code == 302
    assert "_auth_user_id" in client.session


def test_harbor_county_has_agencies_in_every_sector_and_people_in_every_role(demo):
    harbor = TaskForce.objects.get(slug=HARBOR)
    assert set(harbor.agencies.values_list("sector", flat=True)) == set(Sector.values)
    active = Membership.objects.active().filter(task_force=harbor)
    assert set(active.values_list("role", flat=True)) == set(Role.values)
    assert active.values("user").distinct().count() >= 40
    assert harbor.mandate == TaskForce.Mandate.STATE and harbor.time_zone == "America/New_York"


def test_every_agency_has_contact_details_on_fictional_numbers_and_domains(demo):
    for agency in Agency.objects.all():
        assert "555-01" in agency.phone and agency.website.endswith(".example.org")


def test_it_keeps_one_ended_membership_with_its_reason(demo):
    ended = Membership.objects.get(ended_on__isnull=False)
    assert ended.end_reason
    assert ended.user.memberships.active().exists()  # moved to another agency, still a member


def test_it_leaves_pending_invitations_for_the_coordinator_to_see(demo):
    assert Invitation.objects.pending().filter(task_force__slug=HARBOR).count() >= 2
