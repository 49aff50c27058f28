from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Invitee, Meeting
from members.models import Role
from tests.factories import member_of

from .factories import CommitteeFactory, InviteeFactory, MeetingFactory, SeriesFactory

NOW = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)  # Monday 4 January 2027, 10:00 in New York


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def list_url(task_force):
    return reverse("meetings:meeting-list", args=[task_force.slug])


def meeting(task_force, organiser, days=7, **fields):
    starts_at = NOW + timedelta(days=days)
    return MeetingFactory(
        task_force=task_force,
        organiser=organiser,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        **fields,
    )


def titles(response):
    return [item.title for item in response.context["meetings"]]


class TestUpcomingAndPast:
    def test_upcoming_meetings_come_first_soonest_first(self, login, member, coordinator, task_force):
        meeting(task_force, coordinator, days=14, title="Later")
        meeting(task_force, coordinator, days=2, title="Sooner")
        meeting(task_force, coordinator, days=-7, title="Last week")
        response = login(member).get(list_url(task_force))
        assert response.status_code == 200
        assert titles(response) == ["Sooner", "Later"]
        assert response.context["section"] == "upcoming"

    def test_past_meetings_are_newest_first(self, login, member, coordinator, task_force):
        meeting(task_force, coordinator, days=-30, title="Last month")
        meeting(task_force, coordinator, days=-7, title="Last week")
        meeting(task_force, coordinator, days=7, title="Next week")
        response = login(member).get(list_url(task_force), {"when": "past"})
        assert titles(response) == ["Last week", "Last month"]
        assert response.context["section"] == "past"

    def test_a_row_shows_the_local_time_the_place_and_the_status(
        self, login, member, coordinator, task_force
    ):
        meeting(
            task_force,
            coordinator,
            days=1,
            title="Online check-in",
            place="",
            video_link="https://meet.example.org/x",
        )
        meeting(task_force, coordinator, days=2, title="Called off", status=Meeting.Status.CANCELLED)
        page = login(member).get(list_url(task_force)).content.decode()
        # 15:00 UTC is 10:00 in New York in January.
        assert "Tue 5 Jan 2027" in page and "10:00–11:00" in page
        assert "Online" in page
        assert "Cancelled" in page and "Scheduled" in page

    def test_it_shows_the_readers_own_answer(self, login, member, agency, coordinator, task_force):
        answered = meeting(task_force, coordinator, days=1, title="Answered")
        meeting(task_force, coordinator, days=2, title="Not for me")
        InviteeFactory(meeting=answered, user=member, agency=agency, response=Invitee.Response.MAYBE)
        response = login(member).get(list_url(task_force))
        answers = {item.title: item.my_response_label for item in response.context["meetings"]}
        assert answers == {"Answered": "Maybe", "Not for me": ""}
        assert "Not invited" in response.content.decode()


class TestFilters:
    def test_it_filters_by_kind_committee_and_title(self, login, coordinator, task_force):
        committee = CommitteeFactory(task_force=task_force, name="Labour trafficking")
        meeting(task_force, coordinator, title="Full meeting")
        meeting(task_force, coordinator, title="Core team huddle", kind="core")
        meeting(task_force, coordinator, title="Labour committee", kind="committee", committee=committee)
        client = login(coordinator)

        assert titles(client.get(list_url(task_force), {"kind": "core"})) == ["Core team huddle"]
        assert titles(client.get(list_url(task_force), {"committee": committee.code})) == ["Labour committee"]
        assert titles(client.get(list_url(task_force), {"q": "HUDDLE"})) == ["Core team huddle"]

    def test_it_shows_one_series(self, login, coordinator, task_force):
        series = SeriesFactory(task_force=task_force, organiser=coordinator, title="Monthly")
        meeting(task_force, coordinator, days=1, title="Monthly, January", series=series)
        meeting(task_force, coordinator, days=2, title="One-off")
        response = login(coordinator).get(list_url(task_force), {"series": series.code})
        assert titles(response) == ["Monthly, January"]
        assert "Showing only the series" in response.content.decode()

    def test_it_says_what_to_do_when_nothing_matches(self, login, coordinator, task_force):
        meeting(task_force, coordinator)
        page = login(coordinator).get(list_url(task_force), {"q": "zzz"}).content.decode()
        assert "No meeting matches these filters" in page

    def test_a_bad_filter_value_shows_the_list_unfiltered(self, login, coordinator, task_force):
        meeting(task_force, coordinator, title="Full meeting")
        response = login(coordinator).get(list_url(task_force), {"kind": "party", "committee": "not-a-code"})
        assert response.status_code == 200
        assert titles(response) == ["Full meeting"]


class TestEmptyStates:
    def test_schedulers_are_told_to_schedule_the_first_meeting(self, login, coordinator, task_force):
        page = login(coordinator).get(list_url(task_force)).content.decode()
        assert "No upcoming meetings" in page
        assert reverse("meetings:meeting-create", args=[task_force.slug]) in page
        assert reverse("meetings:series-create", args=[task_force.slug]) in page

    def test_members_are_told_where_meetings_come_from(self, login, member, task_force):
        page = login(member).get(list_url(task_force)).content.decode()
        assert "When your coordinator schedules a meeting" in page
        assert reverse("meetings:meeting-create", args=[task_force.slug]) not in page


class TestWhoSeesWhat:
    def test_observers_see_no_confidential_meeting(self, login, observer, coordinator, task_force):
        meeting(task_force, coordinator, title="Open")
        meeting(task_force, coordinator, title="Case review", kind="case", confidential=True)
        assert titles(login(observer).get(list_url(task_force))) == ["Open"]

    def test_members_see_a_confidential_meeting_they_are_invited_to(
        self, login, member, lead_other, agency, other_agency, coordinator, task_force
    ):
        review = meeting(task_force, coordinator, title="Case review", kind="case", confidential=True)
        InviteeFactory(meeting=review, user=member, agency=agency)
        assert titles(login(member).get(list_url(task_force))) == ["Case review"]
        assert titles(login(lead_other).get(list_url(task_force))) == []
        assert titles(login(coordinator).get(list_url(task_force))) == ["Case review"]

    def test_a_committee_chair_sees_their_committees_confidential_meetings(
        self, login, agency, coordinator, task_force
    ):
        chair = member_of(agency, Role.MEMBER, full_name="Cam Chair")
        committee = CommitteeFactory(task_force=task_force, chair=chair)
        meeting(task_force, coordinator, title="Committee, closed", committee=committee, confidential=True)
        response = login(chair).get(list_url(task_force))
        assert titles(response) == ["Committee, closed"]
        assert reverse("meetings:meeting-create", args=[task_force.slug]) in response.content.decode()

    def test_it_never_lists_another_task_forces_meetings(
        self, login, member, other_coordinator, other_task_force, task_force
    ):
        meeting(other_task_force, other_coordinator, title="Ridge meeting")
        assert titles(login(member).get(list_url(task_force))) == []

    @pytest.mark.parametrize(
        ("role", "status"),
        [("observer", 200), ("member", 200), ("lead_other", 200), ("other_coordinator", 404), ("admin", 200)],
    )
    def test_task_force_people_open_the_list(self, request, login, task_force, role, status):
        assert login(request.getfixturevalue(role)).get(list_url(task_force)).status_code == status

    def test_anonymous_people_are_sent_to_sign_in(self, client, task_force):
        response = client.get(list_url(task_force))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


class TestPages:
    def test_it_paginates_by_25(self, login, member, coordinator, task_force):
        for day in range(1, 31):
            meeting(task_force, coordinator, days=day)
        response = login(member).get(list_url(task_force), {"page": 2})
        assert response.status_code == 200
        assert len(response.context["meetings"]) == 5

    def test_its_query_count_does_not_grow_with_meetings(
        self, login, member, agency, coordinator, task_force
    ):
        committee = CommitteeFactory(task_force=task_force)
        series = SeriesFactory(task_force=task_force, organiser=coordinator)

        def add(count, offset):
            for day in range(offset, offset + count):
                item = meeting(
                    task_force, coordinator, days=day, committee=committee, series=series, confidential=True
                )
                InviteeFactory(meeting=item, user=member, agency=agency, response=Invitee.Response.YES)

        add(2, 1)
        client = login(member)
        client.get(list_url(task_force))
        with CaptureQueriesContext(connection) as few:
            client.get(list_url(task_force))
        add(20, 10)
        with CaptureQueriesContext(connection) as many:
            response = client.get(list_url(task_force))
        assert len(response.context["meetings"]) == 22
        assert len(many) == len(few)
