"""The meetings part of seed_scale (meetings/scale.py), at a small size: the proportions of
DESIGN.md's scale (2.5 meetings, 25 invitees and 6⅔ action items a person), a second run that adds
nothing, and --reset that removes it all, other task forces' meetings untouched."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Invitee,
    Meeting,
    Series,
    TrendBrief,
    Vote,
)
from meetings.scale import delete_scale_meetings
from members.models import Committee, Membership, Role
from taskforce.models import TaskForce
from taskforce.pii import find_pii

from .factories import ActionItemFactory, InviteeFactory, MeetingFactory

PEOPLE = 24
SMALL = ["--task-forces", "2", "--agencies-per", "4", "--people-per", str(PEOPLE)]


def seed_scale(*args):
    out = StringIO()
    call_command("seed_scale", *SMALL, *args, stdout=out)
    return out.getvalue()


def scale_rows():
    task_forces = TaskForce.objects.filter(slug__startswith="scale-")
    meetings = Meeting.objects.filter(task_force__in=task_forces)
    return {
        "meetings": meetings.count(),
        "series": Series.objects.filter(task_force__in=task_forces).count(),
        "invitees": Invitee.objects.filter(meeting__in=meetings).count(),
        "agenda items": AgendaItem.objects.filter(meeting__in=meetings).count(),
        "decisions": Decision.objects.filter(meeting__in=meetings).count(),
        "votes": Vote.objects.filter(decision__meeting__in=meetings).count(),
        "action items": ActionItem.objects.filter(task_force__in=task_forces).count(),
        "trend briefs": TrendBrief.objects.filter(task_force__in=task_forces).count(),
        "committees": Committee.objects.filter(task_force__in=task_forces).count(),
    }


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = False
    return seed_scale()


def test_it_seeds_meetings_in_the_proportions_of_the_design(seeded):
    rows = scale_rows()
    meetings = rows["meetings"]
    assert meetings == 2 * round(PEOPLE * 2.5)
    assert rows["series"] >= 2 and Meeting.objects.filter(series__isnull=False).count() >= meetings // 6
    assert 7 <= rows["invitees"] / meetings <= 12  # DESIGN: 300,000 attendance rows / 30,000 meetings
    assert rows["agenda items"] == 5 * meetings
    assert 0.8 * meetings <= rows["decisions"] <= meetings
    assert rows["votes"] > 0
    assert rows["action items"] == 2 * round(PEOPLE * 80_000 / 12_000)
    assert rows["trend briefs"] == 2 * (round(PEOPLE * 2.5) // 3)
    assert rows["committees"] == 8
    assert "Meetings seeded:" in seeded and "scale-01: 60 meetings" in seeded


def test_the_meetings_span_the_past_and_the_next_months(seeded):
    now = timezone.now()
    meetings = Meeting.objects.filter(task_force__slug="scale-01")
    assert meetings.filter(ends_at__lt=now).count() > meetings.filter(starts_at__gt=now).count() > 0
    statuses = Counter(meetings.values_list("status", flat=True))
    assert (
        statuses[Meeting.Status.HELD]
        and statuses[Meeting.Status.CANCELLED]
        and statuses[Meeting.Status.SCHEDULED]
    )
    assert not meetings.filter(starts_at__gt=now).exclude(status=Meeting.Status.SCHEDULED).exists()
    assert set(meetings.values_list("kind", flat=True)) >= {"full", "core", "committee", "case"}
    assert meetings.filter(confidential=True, agencies__isnull=False).exists()
    # Each series is a valid monthly rule of at most 36 occurrences, and its meetings follow it.
    for series in Series.objects.filter(task_force__slug="scale-01"):
        assert series.rule.startswith("FREQ=MONTHLY;BYDAY=")
        assert series.meetings.count() == int(series.rule.rsplit("COUNT=", 1)[1]) <= 36


def test_invitees_are_active_members_of_that_task_force_coming_for_their_agency(seeded):
    task_force = TaskForce.objects.get(slug="scale-01")
    agency_of = dict(
        Membership.objects.active().filter(task_force=task_force).values_list("user_id", "agency_id")
    )
    invitees = Invitee.objects.filter(meeting__task_force=task_force)
    assert all(agency_of[user] == agency for user, agency in invitees.values_list("user_id", "agency_id"))
    held = invitees.filter(meeting__status=Meeting.Status.HELD)
    assert set(held.values_list("attendance", flat=True)) >= {"present", "absent", "excused"}
    assert set(invitees.values_list("response", flat=True)) == {"yes", "no", "maybe", "pending"}
    assert not invitees.exclude(meeting__status=Meeting.Status.HELD).exclude(attendance="").exists()


def test_agenda_decisions_and_votes_are_mixed(seeded):
    items = AgendaItem.objects.filter(meeting__task_force__slug="scale-01")
    assert set(items.values_list("sensitivity", flat=True)) == {"all", "core", "law_enforcement", "agencies"}
    assert items.filter(sensitivity="agencies", agencies__isnull=False).exists()
    decisions = Decision.objects.filter(meeting__task_force__slug="scale-01")
    assert not decisions.exclude(meeting__status=Meeting.Status.HELD).exists()
    approvals = decisions.filter(approves_minutes_of__isnull=False)
    assert approvals.exists()
    assert all(
        earlier < later
        for earlier, later in approvals.values_list("approves_minutes_of__starts_at", "meeting__starts_at")
    )
    voted = decisions.annotate(votes_cast=Count("votes")).filter(votes_cast__gt=0)
    assert 0 < voted.count() < decisions.count()


def test_action_items_belong_to_active_members_and_their_agency_some_overdue(seeded):
    task_force = TaskForce.objects.get(slug="scale-01")
    memberships = Membership.objects.active().filter(task_force=task_force)
    agency_of = dict(memberships.values_list("user_id", "agency_id"))
    observers = set(memberships.filter(role=Role.OBSERVER).values_list("user_id", flat=True))
    items = ActionItem.objects.filter(task_force=task_force)
    for assignee, agency in items.values_list("assignee_id", "agency_id"):
        assert agency_of[assignee] == agency and assignee not in observers
    assert set(items.values_list("status", flat=True)) == {"open", "in_progress", "done", "dropped"}
    assert items.overdue(task_force.today()).exists()
    assert items.filter(due_on__gte=task_force.today()).exists()
    assert not items.filter(status="done", completed_at__isnull=True).exists()


def test_trend_briefs_are_varied_and_de_identified(seeded):
    briefs = TrendBrief.objects.filter(task_force__slug="scale-01")
    assert set(briefs.values_list("trafficking_type", flat=True)) >= {"sex", "labour"}
    assert len(set(briefs.values_list("industry", flat=True))) >= 5
    assert len(set(briefs.values_list("area", flat=True))) >= 3
    assert len(set(briefs.values_list("period_start", flat=True))) >= 3
    for brief in briefs:
        assert brief.period_start <= brief.period_end < brief.meeting.starts_at.date()
        assert not find_pii(brief.summary) and not find_pii(brief.area)


def test_the_coordinator_opens_the_seeded_meetings_pages(seeded, login):
    coordinator = Membership.objects.get(task_force__slug="scale-01", role=Role.COORDINATOR).user
    client = login(coordinator)
    meeting = Meeting.objects.filter(task_force__slug="scale-01", status=Meeting.Status.HELD).last()
    for url in [
        reverse("meetings:meeting-list", args=["scale-01"]),
        reverse("meetings:meeting-list", args=["scale-01"]) + "?when=past",
        reverse("meetings:meeting-detail", args=["scale-01", meeting.code]),
        reverse("meetings:agenda", args=["scale-01", meeting.code]),
        reverse("meetings:decision-log", args=["scale-01"]),
        reverse("meetings:action-item-overdue", args=["scale-01"]),
        reverse("meetings:trends", args=["scale-01"]),
    ]:
        assert client.get(url).status_code == 200, url


def test_running_it_again_adds_nothing(seeded):
    before = scale_rows()
    output = seed_scale()
    assert "already there" in output and "Meetings seeded: nothing new" in output
    assert scale_rows() == before


def test_a_second_run_fills_in_a_task_force_without_meetings(seeded):
    before = scale_rows()
    task_force = TaskForce.objects.get(slug="scale-02")
    delete_scale_meetings(sender=None, task_forces=TaskForce.objects.filter(pk=task_force.pk))
    assert not task_force.meetings.exists()
    seed_scale()
    assert scale_rows() == before


def test_reset_removes_the_meetings_and_leaves_other_task_forces_alone(
    seeded, task_force, coordinator, agency
):
    meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
    InviteeFactory(meeting=meeting, user=coordinator, agency=agency)
    ActionItemFactory(task_force=task_force, meeting=meeting, assignee=coordinator, agency=agency)
    old = set(Meeting.objects.filter(task_force__slug__startswith="scale-").values_list("pk", flat=True))
    before = scale_rows()
    output = seed_scale("--reset")
    assert "Deleted the scale meetings" in output and "Deleted the scale data" in output
    assert not Meeting.objects.filter(pk__in=old).exists()
    assert scale_rows() == before  # rebuilt at the same size
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert meeting.invitees.count() == 1 and meeting.action_items.count() == 1
