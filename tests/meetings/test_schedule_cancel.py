from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from meetings.models import Meeting
from members.models import Role
from tests.factories import member_of

from .factories import CommitteeFactory, InviteeFactory, MeetingFactory

NOW = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)  # Monday 4 January 2027, 10:00 in New York
STARTS = datetime(2027, 1, 12, 15, 0, tzinfo=UTC)


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
    )


def cancel_url(meeting):
    return reverse("meetings:meeting-cancel", args=[meeting.task_force.slug, meeting.code])


def history_url(meeting):
    return reverse("meetings:meeting-history", args=[meeting.task_force.slug, meeting.code])


class TestCancel:
    def test_the_page_asks_for_confirmation_and_an_optional_reason(self, login, coordinator, meeting):
        response = login(coordinator).get(cancel_url(meeting))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Cancel “January task force meeting”?" in page
        assert 'name="reason"' in page
        meeting.refresh_from_db()
        assert meeting.status == "scheduled"

    def test_the_coordinator_cancels_and_the_invitees_are_told(
        self, login, coordinator, member, agency, meeting, django_capture_on_commit_callbacks
    ):
        InviteeFactory(meeting=meeting, user=member, agency=agency, invited_at=NOW - timedelta(days=1))
        with django_capture_on_commit_callbacks(execute=True):
            response = login(coordinator).post(cancel_url(meeting), {"reason": "Moved to next week"})
        meeting.refresh_from_db()
        assert response.status_code == 302
        assert response["Location"] == meeting.get_absolute_url()
        assert (meeting.status, meeting.sequence, meeting.cancel_reason) == (
            "cancelled",
            1,
            "Moved to next week",
        )
        assert [message.to for message in mail.outbox] == [[member.email]]

    def test_a_cancelled_meeting_stays_listed_with_a_badge(self, login, coordinator, member, meeting):
        login(coordinator).post(cancel_url(meeting), {"reason": ""})
        listing = login(member).get(reverse("meetings:meeting-list", args=["harbor"])).content.decode()
        assert "January task force meeting" in listing and "Cancelled" in listing
        detail = login(member).get(meeting.get_absolute_url()).content.decode()
        assert "This meeting was cancelled." in detail

    def test_a_cancelled_meeting_cannot_be_cancelled_again(self, login, coordinator, meeting):
        client = login(coordinator)
        client.post(cancel_url(meeting), {"reason": "Snow"})
        response = client.post(cancel_url(meeting), {"reason": "Again"}, follow=True)
        meeting.refresh_from_db()
        assert response.status_code == 200
        assert "This meeting is already cancelled." in response.content.decode()
        assert (meeting.sequence, meeting.cancel_reason) == (1, "Snow")
        assert "already cancelled" in client.get(cancel_url(meeting), follow=True).content.decode()

    def test_a_held_meeting_cannot_be_cancelled(self, login, coordinator, meeting):
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
        response = login(coordinator).post(cancel_url(meeting), {"reason": ""}, follow=True)
        meeting.refresh_from_db()
        assert "has been held, so it cannot be cancelled" in response.content.decode()
        assert meeting.status == "held"

    def test_a_too_long_reason_is_refused(self, login, coordinator, meeting):
        response = login(coordinator).post(cancel_url(meeting), {"reason": "x" * 301})
        meeting.refresh_from_db()
        assert response.status_code == 200
        assert meeting.status == "scheduled"

    def test_a_chair_cancels_their_committees_meeting(self, login, agency, task_force, meeting):
        chair = member_of(agency, Role.MEMBER, full_name="Cam Chair")
        meeting.committee = CommitteeFactory(task_force=task_force, chair=chair)
        meeting.save(update_fields=["committee"])
        assert login(chair).post(cancel_url(meeting), {"reason": ""}).status_code == 302
        meeting.refresh_from_db()
        assert meeting.status == "cancelled"

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
    def test_only_organisers_open_the_page(self, request, login, meeting, role, status):
        assert login(request.getfixturevalue(role)).get(cancel_url(meeting)).status_code == status

    def test_a_member_cannot_cancel(self, login, member, meeting):
        assert login(member).post(cancel_url(meeting), {"reason": ""}).status_code == 403
        meeting.refresh_from_db()
        assert meeting.status == "scheduled"

    def test_anonymous_people_are_sent_to_sign_in(self, client, meeting):
        response = client.post(cancel_url(meeting))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


class TestHistory:
    def test_the_coordinator_reads_who_changed_what(self, login, coordinator, meeting):
        with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
            login(coordinator).post(cancel_url(meeting), {"reason": "Snow"})
        page = login(coordinator).get(history_url(meeting)).content.decode()
        assert "Cora Coordinator" in page
        assert "<del>Scheduled</del> → <ins>Cancelled</ins>" in page
        assert "Snow" in page

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
    def test_only_the_people_who_manage_the_meeting_read_its_history(
        self, request, login, meeting, role, status
    ):
        assert login(request.getfixturevalue(role)).get(history_url(meeting)).status_code == status

    def test_anonymous_people_are_sent_to_sign_in(self, client, meeting):
        response = client.get(history_url(meeting))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
