"""The meetings part of the demo: every feature shows, and loading it twice adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Invitee,
    Meeting,
    Sensitivity,
    Series,
    StandingItem,
    TrendBrief,
    Vote,
)
from members.models import Committee
from taskforce import pii
from taskforce.models import TaskForce

MODELS = (
    Series,
    Meeting,
    AgendaItem,
    Invitee,
    Decision,
    Vote,
    ActionItem,
    TrendBrief,
    StandingItem,
    Committee,
)


def load_demo():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def harbor(db, settings):
    settings.DEBUG = True
    load_demo()
    return TaskForce.objects.get(slug="harbor-county")


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_running_it_twice_adds_nothing(harbor):
    before = counts()
    load_demo()
    assert counts() == before


def test_it_has_a_monthly_series_with_past_and_upcoming_meetings(harbor):
    series = Series.objects.get(task_force=harbor)
    meetings = series.meetings.all()
    assert series.rule.startswith("FREQ=MONTHLY;BYDAY=+2TU")
    assert meetings.filter(status=Meeting.Status.HELD).count() >= 4
    assert meetings.filter(status=Meeting.Status.SCHEDULED).count() >= 4
    cancelled = meetings.get(status=Meeting.Status.CANCELLED)
    assert cancelled.sequence == 1 and cancelled.cancel_reason


def test_it_shows_minutes_approved_by_a_later_decision_and_minutes_awaiting_approval(harbor):
    approved = Meeting.objects.filter(task_force=harbor, minutes_status=Meeting.MinutesStatus.APPROVED)
    assert approved.exists()
    for meeting in approved:
        assert meeting.minutes_approval.meeting.starts_at > meeting.starts_at
    assert Meeting.objects.filter(task_force=harbor, minutes_status=Meeting.MinutesStatus.CIRCULATED).exists()


def test_it_has_votes_by_agency_quorum_reached_and_missed(harbor):
    assert Vote.objects.filter(decision__meeting__task_force=harbor).exists()
    held = Meeting.objects.filter(task_force=harbor, status=Meeting.Status.HELD).prefetch_related("invitees")
    reached = [meeting.quorum(meeting.invitees.all()).reached for meeting in held]
    assert True in reached and False in reached


def test_it_has_action_items_in_every_state_including_overdue_ones_for_the_demo_member(harbor):
    items = ActionItem.objects.filter(task_force=harbor)
    assert {"open", "in_progress", "done"} <= set(items.values_list("status", flat=True))
    assert items.overdue(harbor.today()).filter(assignee__email="member@example.org").exists()


def test_it_has_sensitive_items_committees_and_a_confidential_case_meeting(harbor):
    items = AgendaItem.objects.filter(meeting__task_force=harbor)
    assert items.filter(sensitivity=Sensitivity.LAW_ENFORCEMENT).exclude(notes="").exists()
    assert items.filter(sensitivity=Sensitivity.CORE).exists()
    assert Committee.objects.filter(task_force=harbor).count() == 4
    assert Meeting.objects.filter(task_force=harbor, kind="committee", committee__isnull=False).exists()
    assert Meeting.objects.filter(task_force=harbor, kind="case", confidential=True).exists()


def test_its_trend_briefs_cover_both_types_and_hold_no_personal_data(harbor):
    briefs = TrendBrief.objects.filter(task_force=harbor)
    assert {"sex", "labour"} <= set(briefs.values_list("trafficking_type", flat=True))
    for brief in briefs:
        assert not pii.find_pii(brief.summary) and not pii.find_pii(brief.area)
    for notes in AgendaItem.objects.exclude(notes="").values_list("notes", flat=True):
        assert not pii.find_pii(notes)


@pytest.mark.parametrize(
    ("email", "page"),
    [
        ("coordinator@example.org", "meetings:meeting-list"),
        ("member@example.org", "meetings:action-item-mine"),
        ("member@example.org", "meetings:trends"),
        ("observer@example.org", "meetings:decision-log"),
    ],
)
def test_the_demo_people_open_the_meetings_pages(harbor, client, email, page):
    client.post(reverse("login"), {"username": email, "password": "taskforce-demo"})
    response = client.get(reverse(page, args=[harbor.slug]))
    assert response.status_code == 200


def test_the_observer_sees_the_law_enforcement_item_withheld_and_not_the_case_meeting(harbor, client):
    client.post(reverse("login"), {"username": "observer@example.org", "password": "taskforce-demo"})
    meeting = Meeting.objects.filter(task_force=harbor, status=Meeting.Status.HELD).first()
    page = client.get(reverse("meetings:agenda", args=[harbor.slug, meeting.code])).content.decode()
    assert "Withheld: law enforcement only" in page
    assert "Open investigations" not in page
    listing = client.get(reverse("meetings:meeting-list", args=[harbor.slug])).content.decode()
    assert "Case coordination: service referrals" not in listing


def test_the_coordinator_sees_the_case_meeting_in_the_list(harbor, client):
    client.post(reverse("login"), {"username": "coordinator@example.org", "password": "taskforce-demo"})
    listing = client.get(reverse("meetings:meeting-list", args=[harbor.slug])).content.decode()
    assert "Case coordination: service referrals" in listing
