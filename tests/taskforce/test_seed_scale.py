from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.models import Agency, Membership, Role, User
from taskforce.models import TaskForce

TINY = ["--task-forces", "2", "--agencies-per", "3", "--people-per", "10"]


def seed_scale(*args):
    out = StringIO()
    call_command("seed_scale", *TINY, *args, stdout=out)
    return out.getvalue()


def scale_counts():
    task_forces = TaskForce.objects.filter(slug__startswith="scale-")
    return (
        task_forces.count(),
        Agency.objects.filter(task_force__in=task_forces).count(),
        Membership.objects.active().filter(task_force__in=task_forces).count(),
        User.objects.filter(email__endswith="@scale.example.org").count(),
    )


def coordinator_of(slug):
    return Membership.objects.get(task_force__slug=slug, role=Role.COORDINATOR).user


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = False  # CI and the bench seed with DEBUG off
    return seed_scale()


def test_it_builds_the_numbers_asked_for(seeded):
    assert scale_counts() == (2, 6, 20, 21)  # 20 people and the bench's administrator
    assert "Seeded 2 task forces" in seeded
    assert "Meetings seeded: 50 meetings" in seeded  # meetings/scale.py adds its part (tests/meetings)


def test_each_task_force_has_every_role_and_a_lead_for_each_agency(seeded):
    memberships = Membership.objects.filter(task_force__slug="scale-01")
    assert Counter(memberships.values_list("role", flat=True)) == {
        Role.COORDINATOR: 1,
        Role.CO_CHAIR: 2,
        Role.AGENCY_LEAD: 3,
        Role.MEMBER: 3,
        Role.OBSERVER: 1,
    }
    led = memberships.filter(role=Role.AGENCY_LEAD).values_list("agency", flat=True)
    assert sorted(led) == sorted(
        Agency.objects.filter(task_force__slug="scale-01").values_list("pk", flat=True)
    )


def test_a_seeded_coordinator_opens_their_task_force_home_and_no_other(seeded, login):
    client = login(coordinator_of("scale-01"))
    assert client.get(reverse("taskforce:home", args=["scale-01"])).status_code == 200
    assert client.get(reverse("taskforce:home", args=["scale-02"])).status_code == 404


def test_a_seeded_agency_lead_may_edit_their_agency(seeded, login):
    lead = Membership.objects.filter(task_force__slug="scale-01", role=Role.AGENCY_LEAD).first()
    url = reverse("members:agency-update", args=["scale-01", lead.agency.code])
    assert login(lead.user).get(url).status_code == 200


def test_no_scale_account_can_sign_in_with_a_password(seeded):
    assert not any(
        user.has_usable_password() for user in User.objects.filter(email__endswith="@scale.example.org")
    )


def test_running_it_again_changes_nothing(seeded):
    before = scale_counts()
    assert "already there" in seed_scale()
    assert scale_counts() == before


def test_it_refuses_another_size_without_reset(seeded):
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_scale", "--task-forces", "3", stdout=StringIO())


def test_reset_rebuilds_it_and_leaves_other_task_forces_alone(seeded, task_force, member):
    old_codes = set(TaskForce.objects.filter(slug__startswith="scale-").values_list("pk", flat=True))
    output = seed_scale("--reset")
    assert "Deleted the scale data" in output
    assert scale_counts() == (2, 6, 20, 21)
    assert not TaskForce.objects.filter(pk__in=old_codes).exists()
    assert TaskForce.objects.filter(pk=task_force.pk).exists()
    assert member.memberships.active().get().task_force == task_force
