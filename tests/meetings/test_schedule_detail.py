from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Invitee, Sensitivity
from members.models import Role
from tests.factories import AgencyFactory, member_of

from .factories import AgendaItemFactory, InviteeFactory, MeetingFactory, SeriesFactory

NOW = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)  # Monday 4 January 2027, 10:00 in New York
STARTS = datetime(2027, 1, 12, 15, 0, tzinfo=UTC)  # Tuesday 12 January, 10:00 in New York


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def meeting(task_force, coordinator):
    return MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        title="January task force meeting",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(minutes=90),
        place="County Building, Room 4",
        video_link="https://meet.example.org/harbor",
        description="Bring referral numbers.",
    )


def detail_url(meeting):
    return reverse("meetings:meeting-detail", args=[meeting.task_force.slug, meeting.code])


class TestOverview:
    def test_it_shows_the_details_in_the_task_forces_time_zone(self, login, member, meeting):
        response = login(member).get(detail_url(meeting))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Tuesday 12 January 2027, 10:00–11:30" in page
        assert "America/New_York" in page
        assert "County Building, Room 4" in page
        assert 'href="https://meet.example.org/harbor"' in page
        assert "Bring referral numbers." in page
        assert "Cora Coordinator" in page

    def test_it_names_the_series_and_links_to_its_other_meetings(self, login, member, meeting, coordinator):
        series = SeriesFactory(
            task_force=meeting.task_force,
            organiser=coordinator,
            rule="FREQ=MONTHLY;BYDAY=+2TU;COUNT=6",
            start_time=time(10),
        )
        meeting.series = series
        meeting.save(update_fields=["series"])
        page = login(member).get(detail_url(meeting)).content.decode()
        assert "Monthly on the second Tuesday at 10:00" in page
        assert f"?series={series.code}" in page

    def test_it_gives_the_partials_the_invitees_the_readers_answer_and_the_quorum(
        self, login, member, lead, agency, meeting
    ):
        mine = InviteeFactory(meeting=meeting, user=member, agency=agency, response=Invitee.Response.YES)
        InviteeFactory(meeting=meeting, user=lead, agency=agency)
        response = login(member).get(detail_url(meeting))
        assert [invitee.user.full_name for invitee in response.context["invitees"]] == [
            "Lee Lead",
            "Mo Member",
        ]
        assert response.context["my_invitee"] == mine
        assert response.context["quorum"].invited == 1  # one agency
        assert response.context["can_change_meeting"] is False

    def test_the_reader_who_is_not_invited_has_no_answer(self, login, member, meeting):
        assert login(member).get(detail_url(meeting)).context["my_invitee"] is None

    def test_a_cancelled_meeting_says_so(self, login, member, meeting):
        meeting.status = "cancelled"
        meeting.cancel_reason = "Moved to next week"
        meeting.save(update_fields=["status", "cancel_reason"])
        page = login(member).get(detail_url(meeting)).content.decode()
        assert "Cancelled" in page and "Moved to next week" in page


class TestAgendaSummary:
    def test_a_law_enforcement_item_is_withheld_from_other_sectors(
        self, login, member, lead_other, meeting, coordinator
    ):
        AgendaItemFactory(meeting=meeting, title="Introductions", minutes_allotted=5, presenter=coordinator)
        AgendaItemFactory(
            meeting=meeting, title="Operation Lighthouse debrief", sensitivity=Sensitivity.LAW_ENFORCEMENT
        )
        police = login(member).get(detail_url(meeting)).content.decode()
        assert "Operation Lighthouse debrief" in police
        assert "Presenter: Cora Coordinator" in police and "5 min" in police

        shelter = login(lead_other).get(detail_url(meeting)).content.decode()
        assert "Operation Lighthouse debrief" not in shelter
        assert "Withheld: law enforcement only" in shelter
        assert "Introductions" in shelter

    def test_an_empty_agenda_tells_the_organiser_what_to_do(self, login, coordinator, member, meeting):
        assert "No agenda items yet" in login(coordinator).get(detail_url(meeting)).content.decode()
        assert "The organiser adds them" in login(member).get(detail_url(meeting)).content.decode()


class TestOrganiserButtons:
    def test_the_organiser_sees_edit_cancel_and_history(self, login, coordinator, meeting):
        page = login(coordinator).get(detail_url(meeting)).content.decode()
        slug = meeting.task_force.slug
        for name in ("meeting-update", "meeting-cancel", "meeting-history"):
            assert reverse(f"meetings:{name}", args=[slug, meeting.code]) in page

    def test_members_see_none_of_them(self, login, member, meeting):
        page = login(member).get(detail_url(meeting)).content.decode()
        assert reverse("meetings:meeting-update", args=[meeting.task_force.slug, meeting.code]) not in page

    def test_a_cancelled_meeting_offers_no_edit(self, login, coordinator, meeting):
        meeting.status = "cancelled"
        meeting.save(update_fields=["status"])
        page = login(coordinator).get(detail_url(meeting)).content.decode()
        assert reverse("meetings:meeting-update", args=[meeting.task_force.slug, meeting.code]) not in page
        assert reverse("meetings:meeting-history", args=[meeting.task_force.slug, meeting.code]) in page


class TestWhoSeesTheMeeting:
    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("observer", 200),
            ("member", 200),
            ("lead_other", 200),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_an_open_meeting_is_seen_by_the_task_force(self, request, login, meeting, role, status):
        assert login(request.getfixturevalue(role)).get(detail_url(meeting)).status_code == status

    def test_a_confidential_meeting_is_seen_only_by_invitees_and_organisers(
        self, login, observer, member, lead_other, other_agency, coordinator, meeting
    ):
        meeting.confidential = True
        meeting.save(update_fields=["confidential"])
        InviteeFactory(meeting=meeting, user=lead_other, agency=other_agency)
        assert login(observer).get(detail_url(meeting)).status_code == 404
        assert login(member).get(detail_url(meeting)).status_code == 404
        assert login(lead_other).get(detail_url(meeting)).status_code == 200
        assert login(coordinator).get(detail_url(meeting)).status_code == 200

    def test_anonymous_people_are_sent_to_sign_in(self, client, meeting):
        response = client.get(detail_url(meeting))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_a_meeting_of_another_task_force_is_not_found_here(
        self, login, coordinator, other_coordinator, meeting
    ):
        url = reverse("meetings:meeting-detail", args=["ridge", meeting.code])
        assert login(other_coordinator).get(url).status_code == 404


class TestQueryCount:
    def fill(self, meeting, people, items):
        task_force = meeting.task_force
        agencies = [AgencyFactory(task_force=task_force) for _ in range(3)]
        for index in range(people):
            agency = agencies[index % 3]
            person = member_of(agency, Role.MEMBER)
            InviteeFactory(
                meeting=meeting,
                user=person,
                agency=agency,
                response=[Invitee.Response.YES, Invitee.Response.PENDING][index % 2],
                attendance=[Invitee.Attendance.PRESENT, Invitee.Attendance.ABSENT][index % 2],
            )
        for index in range(items):
            item = AgendaItemFactory(
                meeting=meeting,
                presenter=meeting.organiser,
                sensitivity=[Sensitivity.ALL, Sensitivity.LAW_ENFORCEMENT, Sensitivity.AGENCIES][index % 3],
            )
            item.agencies.set(agencies[:1])

    @pytest.mark.parametrize("role", ["coordinator", "member"])
    def test_it_does_not_grow_with_60_invitees_and_20_agenda_items(self, request, login, meeting, role):
        client = login(request.getfixturevalue(role))
        self.fill(meeting, people=3, items=2)
        client.get(detail_url(meeting))
        with CaptureQueriesContext(connection) as few:
            client.get(detail_url(meeting))
        self.fill(meeting, people=57, items=18)
        with CaptureQueriesContext(connection) as many:
            response = client.get(detail_url(meeting))
        assert len(response.context["invitees"]) == 60
        assert len(response.context["agenda_items"]) == 20
        assert len(many) == len(few)
