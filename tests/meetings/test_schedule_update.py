from datetime import UTC, date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from meetings.models import Meeting, Series
from meetings.services import attendance
from meetings.services.schedule import create_series
from members.models import Role
from taskforce.forms import STALE_EDIT_MESSAGE
from tests.factories import member_of

from .factories import CommitteeFactory, MeetingFactory

NOW = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)  # Monday 4 January 2027, 10:00 in New York
STARTS = datetime(2027, 1, 12, 15, 0, tzinfo=UTC)  # Tuesday 12 January, 10:00 in New York
NEW_YORK = ZoneInfo("America/New_York")


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
    )


@pytest.fixture
def series(task_force, coordinator):
    """Monthly on the second Tuesday at 10:00, six times: January to June 2027."""
    return create_series(
        task_force=task_force,
        organiser=coordinator,
        rule="FREQ=MONTHLY;BYDAY=+2TU;COUNT=6",
        first_date=date(2027, 1, 1),
        start_time=time(10),
        duration_minutes=90,
        title="Monthly task force meeting",
        kind="full",
        committee=None,
        audience="whole",
        confidential=False,
        place="County Building, Room 4",
        video_link="",
        description="",
    )


def update_url(meeting):
    return reverse("meetings:meeting-update", args=[meeting.task_force.slug, meeting.code])


def form_data(meeting, **changes):
    local_start = meeting.starts_at.astimezone(NEW_YORK)
    data = {
        "title": meeting.title,
        "kind": meeting.kind,
        "committee": meeting.committee_id or "",
        "audience": meeting.audience,
        "place": meeting.place,
        "video_link": meeting.video_link,
        "description": meeting.description,
        "date": local_start.date().isoformat(),
        "start_time": local_start.strftime("%H:%M"),
        "end_time": meeting.ends_at.astimezone(NEW_YORK).strftime("%H:%M"),
        "version": meeting.version,
        **changes,
    }
    if meeting.confidential:
        data.setdefault("confidential", "on")
    return data


def occurrences(series):
    return list(Meeting.objects.filter(series=series).order_by("starts_at"))


def local_times(meetings):
    return [meeting.starts_at.astimezone(NEW_YORK).strftime("%m-%d %H:%M") for meeting in meetings]


class TestEditOneMeeting:
    def test_the_coordinator_moves_a_meeting_and_calendars_are_told(self, login, coordinator, meeting):
        with mock.patch.object(attendance, "send_update", wraps=attendance.send_update) as send_update:
            response = login(coordinator).post(
                update_url(meeting), form_data(meeting, start_time="14:00", end_time="15:00", place="Room 9")
            )
        meeting.refresh_from_db()
        assert response.status_code == 302
        assert response["Location"] == meeting.get_absolute_url()
        assert meeting.starts_at == datetime(2027, 1, 12, 19, 0, tzinfo=UTC)
        assert meeting.ends_at == datetime(2027, 1, 12, 20, 0, tzinfo=UTC)
        assert (meeting.place, meeting.sequence, meeting.version) == ("Room 9", 1, 2)
        send_update.assert_called_once()

    def test_a_new_title_alone_does_not_raise_the_sequence(self, login, coordinator, meeting):
        with mock.patch.object(attendance, "send_update") as send_update:
            login(coordinator).post(
                update_url(meeting), form_data(meeting, title="January meeting (agenda inside)")
            )
        meeting.refresh_from_db()
        assert (meeting.title, meeting.sequence) == ("January meeting (agenda inside)", 0)
        send_update.assert_not_called()

    def test_the_form_shows_the_local_time_and_no_series_choice(self, login, coordinator, meeting):
        response = login(coordinator).get(update_url(meeting))
        page = response.content.decode()
        assert response.status_code == 200
        assert 'value="10:00"' in page and 'value="11:30"' in page and 'value="2027-01-12"' in page
        assert "apply_to" not in response.context["form"].fields

    def test_the_change_shows_in_the_history(self, login, coordinator, meeting):
        with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
            login(coordinator).post(update_url(meeting), form_data(meeting, place="Room 9"))
        page = (
            login(coordinator).get(reverse("meetings:meeting-history", args=["harbor", meeting.code])).content
        )
        assert "Room 9" in page.decode()


class TestBadInput:
    def test_an_end_before_the_start_is_refused(self, login, coordinator, meeting):
        response = login(coordinator).post(
            update_url(meeting), form_data(meeting, start_time="12:00", end_time="11:00")
        )
        meeting.refresh_from_db()
        assert response.status_code == 200
        assert "The meeting must end after it starts" in response.content.decode()
        assert (meeting.starts_at, meeting.version) == (STARTS, 1)

    def test_a_stale_edit_is_refused_and_nothing_is_saved(self, login, coordinator, co_chair, meeting):
        stale = form_data(meeting, title="Coordinator's title")
        login(co_chair).post(update_url(meeting), form_data(meeting, title="Co-chair's title"))
        response = login(coordinator).post(update_url(meeting), stale)
        meeting.refresh_from_db()
        assert response.status_code == 200
        assert STALE_EDIT_MESSAGE.replace("'", "&#x27;") in response.content.decode()
        assert meeting.title == "Co-chair's title"

    @pytest.mark.parametrize("status", [Meeting.Status.CANCELLED, Meeting.Status.HELD])
    def test_a_cancelled_or_held_meeting_cannot_be_edited(self, login, coordinator, meeting, status):
        meeting.status = status
        meeting.save(update_fields=["status"])
        client = login(coordinator)

        page = client.get(update_url(meeting), follow=True).content.decode()
        assert "can no longer be edited" in page

        response = client.post(update_url(meeting), form_data(meeting, title="Changed"))
        meeting.refresh_from_db()
        assert response.status_code == 302
        assert meeting.title == "January task force meeting"


class TestThisAndFollowing:
    def test_following_meetings_take_the_new_time_and_place_but_earlier_ones_do_not(
        self, login, coordinator, series
    ):
        meetings = occurrences(series)
        march = meetings[2]
        with mock.patch.object(attendance, "send_update") as send_update:
            response = login(coordinator).post(
                update_url(march),
                form_data(
                    march, start_time="14:00", end_time="15:30", place="Harbor Hall", apply_to="following"
                ),
            )
        assert response.status_code == 302
        after = occurrences(series)
        assert local_times(after) == [
            "01-12 10:00",
            "02-09 10:00",
            "03-09 14:00",
            "04-13 14:00",  # after the change to daylight saving time: still 14:00 local
            "05-11 14:00",
            "06-08 14:00",
        ]
        assert [meeting.place for meeting in after] == ["County Building, Room 4"] * 2 + ["Harbor Hall"] * 4
        assert [meeting.sequence for meeting in after] == [0, 0, 1, 1, 1, 1]
        assert [meeting.ends_at - meeting.starts_at for meeting in after][2:] == [timedelta(minutes=90)] * 4
        assert sorted(call.args[0].pk for call in send_update.call_args_list) == [m.pk for m in after[2:]]
        series.refresh_from_db()
        assert (series.start_time, series.duration_minutes, series.place) == (time(14), 90, "Harbor Hall")

    def test_only_this_meeting_leaves_the_rest_of_the_series_alone(self, login, coordinator, series):
        march = occurrences(series)[2]
        login(coordinator).post(
            update_url(march), form_data(march, start_time="14:00", end_time="15:30", apply_to="this")
        )
        after = occurrences(series)
        assert local_times(after)[2:4] == ["03-09 14:00", "04-13 10:00"]
        assert [meeting.sequence for meeting in after] == [0, 0, 1, 0, 0, 0]
        series.refresh_from_db()
        assert series.start_time == time(10)

    def test_a_cancelled_later_meeting_stays_as_it_was(self, login, coordinator, series):
        meetings = occurrences(series)
        meetings[4].status = Meeting.Status.CANCELLED
        meetings[4].save(update_fields=["status"])
        login(coordinator).post(
            update_url(meetings[2]), form_data(meetings[2], title="Renamed", apply_to="following")
        )
        assert [meeting.title for meeting in occurrences(series)] == [
            "Monthly task force meeting",
            "Monthly task force meeting",
            "Renamed",
            "Renamed",
            "Monthly task force meeting",
            "Renamed",
        ]

    def test_a_new_title_for_the_following_meetings_does_not_raise_their_sequence(
        self, login, coordinator, series
    ):
        march = occurrences(series)[2]
        login(coordinator).post(update_url(march), form_data(march, title="Renamed", apply_to="following"))
        assert [meeting.sequence for meeting in occurrences(series)] == [0] * 6
        assert Series.objects.get().title == "Renamed"

    def test_a_following_meeting_changed_on_its_own_keeps_what_this_edit_did_not_touch(
        self, login, coordinator, series
    ):
        meetings = occurrences(series)
        login(coordinator).post(
            update_url(meetings[4]), form_data(meetings[4], place="Library", apply_to="this")
        )
        login(coordinator).post(
            update_url(meetings[2]), form_data(meetings[2], title="Renamed", apply_to="following")
        )
        may = occurrences(series)[4]
        assert (may.title, may.place) == ("Renamed", "Library")

    def test_a_new_audience_invites_the_people_it_names(
        self, login, coordinator, series, other_agency, lead_other, member
    ):
        march = occurrences(series)[2]
        login(coordinator).post(
            update_url(march),
            form_data(march, audience="agencies", agencies=[other_agency.pk], apply_to="following"),
        )
        after = occurrences(series)
        assert [list(meeting.agencies.all()) for meeting in after] == [[]] * 2 + [[other_agency]] * 4
        assert all(meeting.invitees.filter(user=lead_other).exists() for meeting in after[2:])
        assert not after[1].invitees.filter(user=lead_other).exists()
        assert list(Series.objects.get().agencies.all()) == [other_agency]

    def test_the_series_choice_is_offered_for_an_occurrence(self, login, coordinator, series):
        page = login(coordinator).get(update_url(occurrences(series)[0])).content.decode()
        assert "This and the following meetings of the series" in page


class TestWhoMayEdit:
    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("co_chair", 200),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_only_organisers_open_the_form(self, request, login, meeting, role, status):
        assert login(request.getfixturevalue(role)).get(update_url(meeting)).status_code == status

    def test_a_member_cannot_post_a_change(self, login, member, meeting):
        assert login(member).post(update_url(meeting), form_data(meeting, title="Mine")).status_code == 403
        meeting.refresh_from_db()
        assert meeting.title == "January task force meeting"

    def test_a_chair_edits_their_committees_meeting_but_cannot_move_it_to_another(
        self, login, agency, task_force, coordinator
    ):
        chair = member_of(agency, Role.MEMBER, full_name="Cam Chair")
        mine = CommitteeFactory(task_force=task_force, chair=chair)
        other = CommitteeFactory(task_force=task_force)
        committee_meeting = MeetingFactory(
            task_force=task_force,
            organiser=coordinator,
            kind="committee",
            committee=mine,
            starts_at=STARTS,
            ends_at=STARTS + timedelta(hours=1),
        )
        other_meeting = MeetingFactory(task_force=task_force, organiser=coordinator, committee=other)
        client = login(chair)
        assert client.get(update_url(other_meeting)).status_code == 403

        refused = client.post(update_url(committee_meeting), form_data(committee_meeting, committee=other.pk))
        assert refused.status_code == 200
        assert "Choose one of the committees you may schedule meetings for" in refused.content.decode()

        saved = client.post(
            update_url(committee_meeting), form_data(committee_meeting, title="Committee, moved")
        )
        committee_meeting.refresh_from_db()
        assert saved.status_code == 302
        assert (committee_meeting.title, committee_meeting.committee) == ("Committee, moved", mine)

    def test_anonymous_people_are_sent_to_sign_in(self, client, meeting):
        response = client.get(update_url(meeting))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
