from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from meetings.models import AgendaItem, Invitee, Meeting, Series
from members.models import Role
from tests.factories import member_of

from .factories import CommitteeFactory, StandingItemFactory

NOW = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)  # Monday 4 January 2027, 10:00 in New York
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def series_url(task_force):
    return reverse("meetings:series-create", args=[task_force.slug])


def series_data(**changes):
    """Monthly on the second Tuesday at 10:00, twelve times, from 1 January 2027."""
    return {
        "title": "Monthly task force meeting",
        "kind": "full",
        "committee": "",
        "audience": "whole",
        "place": "County Building, Room 4",
        "video_link": "",
        "description": "",
        "frequency": "monthly_weekday",
        "week": "2",
        "weekday": "1",
        "day_of_month": "",
        "first_date": "2027-01-05",
        "start_time": "10:00",
        "duration_minutes": "90",
        "ends": "count",
        "count": "12",
        "until": "",
        **changes,
    }


class TestSetUpASeries:
    def test_the_coordinator_creates_a_monthly_series_with_every_meeting(
        self, login, coordinator, member, task_force, django_capture_on_commit_callbacks
    ):
        StandingItemFactory(task_force=task_force, title="Introductions")
        with django_capture_on_commit_callbacks(execute=True):
            response = login(coordinator).post(series_url(task_force), series_data())

        series = Series.objects.get()
        meetings = list(series.meetings.order_by("starts_at"))
        assert response.status_code == 302
        assert response["Location"] == reverse("meetings:meeting-list", args=[task_force.slug]) + (
            f"?series={series.code}"
        )
        assert series.rule == "FREQ=MONTHLY;BYDAY=+2TU;COUNT=12"
        assert (series.first_date, series.start_time, series.duration_minutes) == (
            date(2027, 1, 5),
            time(10),
            90,
        )
        assert len(meetings) == 12
        assert {meeting.title for meeting in meetings} == {"Monthly task force meeting"}
        assert {meeting.organiser_id for meeting in meetings} == {coordinator.pk}
        assert AgendaItem.objects.filter(meeting__series=series, title="Introductions").count() == 12
        assert Invitee.objects.filter(meeting__series=series).count() == 12 * 2

        # Only January's meeting (within five weeks) is invited now; the daily sweep sends the rest.
        invited = Invitee.objects.filter(meeting__series=series, invited_at__isnull=False)
        assert set(invited.values_list("meeting__starts_at", flat=True)) == {meetings[0].starts_at}
        assert len(mail.outbox) == 2

    def test_every_meeting_is_at_ten_local_time_on_both_sides_of_daylight_saving(
        self, login, coordinator, task_force
    ):
        login(coordinator).post(series_url(task_force), series_data())
        starts = list(Meeting.objects.order_by("starts_at").values_list("starts_at", flat=True))
        local = [start.astimezone(NEW_YORK) for start in starts]

        assert [moment.date() for moment in local[:4]] == [
            date(2027, 1, 12),
            date(2027, 2, 9),
            date(2027, 3, 9),
            date(2027, 4, 13),
        ]
        assert {moment.time() for moment in local} == {time(10, 0)}
        assert starts[2].astimezone(UTC).hour == 15  # March 9th: still standard time
        assert starts[3].astimezone(UTC).hour == 14  # April 13th: daylight saving time

    def test_the_success_message_describes_the_series(self, login, coordinator, task_force):
        response = login(coordinator).post(series_url(task_force), series_data(), follow=True)
        assert "12 meetings scheduled: Monthly on the second Tuesday at 10:00." in response.content.decode()

    def test_a_series_can_end_on_a_date(self, login, coordinator, task_force):
        response = login(coordinator).post(
            series_url(task_force),
            series_data(
                frequency="fortnightly", weekday="3", week="", ends="until", count="", until="2027-03-04"
            ),
        )
        assert response.status_code == 302
        series = Series.objects.get()
        assert series.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20270304T235959"
        days = [
            moment.astimezone(NEW_YORK).date()
            for moment in series.meetings.values_list("starts_at", flat=True)
        ]
        assert days == [
            date(2027, 1, 7),
            date(2027, 1, 21),
            date(2027, 2, 4),
            date(2027, 2, 18),
            date(2027, 3, 4),
        ]

    def test_monthly_on_a_day_of_the_month(self, login, coordinator, task_force):
        login(coordinator).post(
            series_url(task_force),
            series_data(frequency="monthly_day", day_of_month="15", week="", weekday="", count="3"),
        )
        days = [
            moment.astimezone(NEW_YORK).date()
            for moment in Meeting.objects.values_list("starts_at", flat=True)
        ]
        assert days == [date(2027, 1, 15), date(2027, 2, 15), date(2027, 3, 15)]

    def test_the_series_keeps_the_chosen_agencies(
        self, login, coordinator, task_force, other_agency, lead_other
    ):
        login(coordinator).post(
            series_url(task_force), series_data(audience="agencies", agencies=[other_agency.pk], count="3")
        )
        series = Series.objects.get()
        assert list(series.agencies.all()) == [other_agency]
        for meeting in series.meetings.all():
            assert list(meeting.agencies.all()) == [other_agency]
            assert list(meeting.invitees.values_list("user", flat=True)) == [lead_other.pk]


class TestBadInput:
    def assert_refused(self, response, message):
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Series.objects.exists()
        assert not Meeting.objects.exists()

    def test_a_series_with_no_meeting_at_all_is_refused(self, login, coordinator, task_force):
        # The second Tuesday of January 2027 is the 12th: nothing falls between the 5th and the 10th.
        response = login(coordinator).post(
            series_url(task_force), series_data(ends="until", count="", until="2027-01-10")
        )
        self.assert_refused(response, "These settings give no meeting at all")

    def test_more_than_36_meetings_are_refused(self, login, coordinator, task_force):
        response = login(coordinator).post(series_url(task_force), series_data(count="37"))
        self.assert_refused(response, "less than or equal to 36")

    def test_a_last_date_more_than_three_years_away_is_refused(self, login, coordinator, task_force):
        response = login(coordinator).post(
            series_url(task_force), series_data(ends="until", count="", until="2030-01-06")
        )
        self.assert_refused(response, "A series runs for at most 3 years")

    def test_a_last_date_before_the_first_is_refused(self, login, coordinator, task_force):
        response = login(coordinator).post(
            series_url(task_force), series_data(ends="until", count="", until="2027-01-01")
        )
        self.assert_refused(response, "The last date must be on or after the first date")

    def test_a_weekday_series_needs_its_day_and_week(self, login, coordinator, task_force):
        response = login(coordinator).post(series_url(task_force), series_data(weekday="", week=""))
        self.assert_refused(response, "Choose the day of the week")
        assert "Choose which week of the month" in response.content.decode()

    def test_a_day_of_the_month_series_needs_its_day(self, login, coordinator, task_force):
        response = login(coordinator).post(series_url(task_force), series_data(frequency="monthly_day"))
        self.assert_refused(response, "Choose the day of the month")

    def test_a_series_cannot_start_in_the_past(self, login, coordinator, task_force):
        response = login(coordinator).post(series_url(task_force), series_data(first_date="2026-12-01"))
        self.assert_refused(response, "A series starts today or later")

    def test_a_series_whose_first_meeting_has_already_begun_today_is_refused(
        self, login, coordinator, task_force
    ):
        # Now is Monday 10:00 in New York: a weekly Monday series from today at 09:00 starts in the past.
        data = series_data(
            frequency="weekly", weekday="0", week="", first_date="2027-01-04", start_time="09:00"
        )
        response = login(coordinator).post(series_url(task_force), data)
        self.assert_refused(response, "already passed")

    def test_a_series_needs_a_place_or_a_video_link(self, login, coordinator, task_force):
        response = login(coordinator).post(series_url(task_force), series_data(place=""))
        self.assert_refused(response, "Give a place, a video link, or both")


class TestWhoMaySetUpASeries:
    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_only_schedulers_open_the_page(self, request, login, task_force, role, status):
        person = request.getfixturevalue(role)
        assert login(person).get(series_url(task_force)).status_code == status

    def test_a_committee_chair_sets_up_a_series_for_their_committee_only(self, login, agency, task_force):
        chair = member_of(agency, Role.MEMBER, full_name="Cam Chair")
        mine = CommitteeFactory(task_force=task_force, name="Training", chair=chair)
        other = CommitteeFactory(task_force=task_force, name="Victim services")

        refused = login(chair).post(series_url(task_force), series_data(kind="committee", committee=other.pk))
        assert refused.status_code == 200
        assert not Series.objects.exists()

        response = login(chair).post(
            series_url(task_force),
            series_data(kind="committee", committee=mine.pk, audience="committee", count="2"),
        )
        assert response.status_code == 302
        assert set(Meeting.objects.values_list("committee", flat=True)) == {mine.pk}
