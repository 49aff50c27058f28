"""The meetings models in the Django admin: change pages open, with few queries, and the admin refuses
what the site refuses (personal data in a trend brief, people from another task force)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from meetings.models import Attachment, CalendarFeed, Invitee, TrendBrief
from tests.factories import AgencyFactory, UserFactory

from .factories import (
    ActionItemFactory,
    AgendaItemFactory,
    CommitteeFactory,
    DecisionFactory,
    InviteeFactory,
    MeetingFactory,
    SeriesFactory,
    StandingItemFactory,
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
        "meetings_standingitem": StandingItemFactory(task_force=task_force),
        "meetings_attachment": attachment(meeting, member),
        "meetings_calendarfeed": CalendarFeed.objects.create(user=member),
    }


def attachment(meeting, person):
    item = AgendaItemFactory(meeting=meeting)
    return Attachment.objects.create(
        item=item, file=f"meetings/{meeting.code}/file", name="Protocol.pdf", content_type="application/pdf",
        size=1024, uploaded_by=person,
    )  # fmt: skip


# One more row of each changelist's model, with every relation its list shows.
def _grow(name, task_force, agency, coordinator, member):
    meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
    return {
        "meetings_meeting": lambda: meeting,
        "meetings_series": lambda: SeriesFactory(task_force=task_force, organiser=coordinator),
        "meetings_standingitem": lambda: StandingItemFactory(task_force=task_force),
        "meetings_agendaitem": lambda: AgendaItemFactory(meeting=meeting, presenter=member),
        "meetings_attachment": lambda: attachment(meeting, member),
        "meetings_invitee": lambda: InviteeFactory(meeting=meeting, user=member, agency=agency),
        "meetings_decision": lambda: DecisionFactory(meeting=meeting, approves_minutes_of=meeting),
        "meetings_vote": lambda: VoteFactory(
            decision=DecisionFactory(meeting=meeting), agency=agency, cast_by=member
        ),
        "meetings_actionitem": lambda: ActionItemFactory(agency=agency, assignee=member, meeting=meeting),
        "meetings_trendbrief": lambda: TrendBriefFactory(meeting=meeting, agency=agency, submitted_by=member),
        "meetings_calendarfeed": lambda: CalendarFeed.objects.create(user=UserFactory()),
        "members_committee": lambda: CommitteeFactory(task_force=task_force, chair=coordinator),
    }[name]()


CHANGELISTS = [
    "meetings_meeting", "meetings_series", "meetings_standingitem", "meetings_agendaitem",
    "meetings_attachment", "meetings_invitee", "meetings_decision", "meetings_vote", "meetings_actionitem",
    "meetings_trendbrief", "meetings_calendarfeed", "members_committee",
]  # fmt: skip


def test_the_change_pages_open_for_the_admin(login, admin, records):
    client = login(admin)
    for name, obj in records.items():
        assert client.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 200, name


def test_every_changelist_opens_for_the_admin(login, admin, records):
    client = login(admin)
    for name in CHANGELISTS:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name


def test_staff_without_permissions_are_refused_every_changelist_and_change_page(login, records):
    client = login(UserFactory(is_staff=True))
    for name, obj in records.items():
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name
        assert client.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 403, name


def test_a_view_permission_opens_that_changelist_only(login, records):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client = login(staff)
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 200
    assert client.get(reverse("admin:meetings_invitee_changelist")).status_code == 403


@pytest.mark.parametrize("name", CHANGELISTS)
def test_no_changelist_grows_in_queries_with_its_rows(
    name, login, admin, task_force, agency, coordinator, member, django_assert_max_num_queries
):
    client = login(admin)
    url = reverse(f"admin:{name}_changelist")
    for _ in range(2):
        _grow(name, task_force, agency, coordinator, member)
    with django_assert_max_num_queries(30) as captured:
        assert client.get(url).status_code == 200
    few = len(captured)
    for _ in range(8):
        _grow(name, task_force, agency, coordinator, member)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


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


def test_the_admin_refuses_an_invitee_coming_for_an_agency_of_another_task_force(
    login, admin, records, other_task_force
):
    invitee = records["meetings_invitee"]
    foreign = AgencyFactory(task_force=other_task_force)
    url = reverse("admin:meetings_invitee_change", args=[invitee.pk])
    data = {
        "meeting": invitee.meeting_id,
        "user": invitee.user_id,
        "agency": foreign.pk,
        "response": "yes",
        "attendance": "",
    }
    response = login(admin).post(url, data)
    assert response.status_code == 200
    assert "Choose an agency of the same task force." in response.content.decode()
    assert Invitee.objects.get(pk=invitee.pk).agency_id == invitee.agency_id


def test_the_admin_refuses_a_committee_member_from_another_task_force(
    login, admin, records, task_force, other_coordinator
):
    committee = records["members_committee"]
    url = reverse("admin:members_committee_change", args=[committee.pk])
    data = {"task_force": task_force.pk, "name": committee.name, "chair": other_coordinator.pk}
    response = login(admin).post(url, data)
    assert response.status_code == 200
    assert "active membership of the task force" in response.content.decode()
