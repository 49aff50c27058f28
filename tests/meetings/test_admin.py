"""The meetings models in the Django admin: change pages open, with few queries, and the admin refuses
what the site refuses (personal data in a trend brief, people from another task force)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from meetings.models import TrendBrief
from tests.factories import UserFactory

from .factories import (
    ActionItemFactory,
    AgendaItemFactory,
    CommitteeFactory,
    DecisionFactory,
    InviteeFactory,
    MeetingFactory,
    SeriesFactory,
    TrendBriefFactory,
    VoteFactory,
)


@pytest.fixture
def records(task_force, agency, coordinator, member):
    meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
    decision = DecisionFactory(meeting=meeting)
    return {
        "meetings_meeting": meeting,
        "meetings_series": SeriesFactory(task_force=task_force, organiser=coordinator),
        "meetings_agendaitem": AgendaItemFactory(meeting=meeting),
        "meetings_invitee": InviteeFactory(meeting=meeting, user=member, agency=agency),
        "meetings_decision": decision,
        "meetings_vote": VoteFactory(decision=decision, agency=agency),
        "meetings_actionitem": ActionItemFactory(agency=agency, assignee=member),
        "meetings_trendbrief": TrendBriefFactory(meeting=meeting, agency=agency),
        "members_committee": CommitteeFactory(task_force=task_force, chair=coordinator),
    }


def test_the_change_pages_open_for_the_admin(login, admin, records):
    client = login(admin)
    for name, obj in records.items():
        assert client.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 200, name


def test_staff_without_permissions_are_refused(login, records):
    staff = UserFactory(is_staff=True)
    client = login(staff)
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 200


def test_the_meeting_changelist_does_not_grow_in_queries_with_rows(
    login, admin, task_force, coordinator, django_assert_max_num_queries
):
    client = login(admin)
    url = reverse("admin:meetings_meeting_changelist")
    MeetingFactory.create_batch(3, task_force=task_force, organiser=coordinator)
    with django_assert_max_num_queries(20) as captured:
        client.get(url)
    few = len(captured)
    MeetingFactory.create_batch(30, task_force=task_force, organiser=coordinator)
    with django_assert_max_num_queries(few) as captured:
        assert client.get(url).status_code == 200


def test_the_admin_refuses_personal_data_in_a_trend_brief(login, admin, records):
    brief = records["meetings_trendbrief"]
    url = reverse("admin:meetings_trendbrief_change", args=[brief.pk])
    data = {
        "task_force": brief.task_force_id,
        "meeting": brief.meeting_id,
        "trafficking_type": "labour",
        "indicators": ["debt"],
        "industry": "agriculture",
        "area": "North county",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "count_range": "1",
        "reporting_sector": "labour",
        "agency": brief.agency_id,
        "summary": "Call her at 555-010-1234.",
    }
    response = login(admin).post(url, data)
    assert response.status_code == 200
    assert "phone number" in response.content.decode()
    assert TrendBrief.objects.get(pk=brief.pk).summary == ""
