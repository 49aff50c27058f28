"""Minutes: notes per agenda item, concurrent edits, and draft → circulated."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from taskforce.forms import STALE_EDIT_MESSAGE

from .factories import AgendaItemFactory, MeetingFactory


@pytest.fixture
def meeting(task_force, coordinator):
    """Held an hour ago: its minutes may be circulated."""
    starts_at = timezone.now() - timedelta(hours=1)
    return MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
    )


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, title="Trends and potential victims")


def notes_url(item):
    return reverse("meetings:agenda-item-notes", args=[item.meeting.task_force.slug, item.code])


def circulate_url(meeting):
    return reverse("meetings:minutes-circulate", args=[meeting.task_force.slug, meeting.code])


class TestNotes:
    def test_the_organiser_writes_the_notes_of_an_item(self, login, item, coordinator, member):
        client = login(coordinator)
        assert client.get(notes_url(item)).status_code == 200
        response = client.post(
            notes_url(item), {"notes": "Two new labour cases in agriculture.", "version": 1}
        )
        assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.code}")
        item.refresh_from_db()
        assert item.notes == "Two new labour cases in agriculture." and item.version == 2
        page = login(member).get(
            reverse("meetings:agenda", args=[item.meeting.task_force.slug, item.meeting.code])
        )
        assert "Two new labour cases in agriculture." in page.content.decode()

    def test_it_refuses_notes_that_look_like_they_identify_a_person(self, login, item, coordinator):
        notes = "Girl, DOB 03/14/2009, reached the shelter; her mother's number is 555-010-1234."
        response = login(coordinator).post(notes_url(item), {"notes": notes, "version": 1})
        page = response.content.decode()
        assert response.status_code == 200
        assert "a phone number" in page and "never who a victim is" in page
        item.refresh_from_db()
        assert item.notes == "" and item.version == 1

    def test_the_second_of_two_people_editing_the_same_notes_is_told_and_nothing_is_overwritten(
        self, login, item, coordinator, co_chair
    ):
        first, second = login(coordinator), login(co_chair)
        version = first.get(notes_url(item)).context["form"]["version"].value()
        assert second.get(notes_url(item)).context["form"]["version"].value() == version

        assert first.post(notes_url(item), {"notes": "Cora's notes", "version": version}).status_code == 302
        response = second.post(notes_url(item), {"notes": "Chris's notes", "version": version})
        assert response.status_code == 200
        assert STALE_EDIT_MESSAGE in response.content.decode()
        assert "Chris&#x27;s notes" in response.content.decode()  # their text is kept in the form to copy
        item.refresh_from_db()
        assert item.notes == "Cora's notes"

    def test_notes_cannot_change_once_the_minutes_are_approved(self, login, item, coordinator):
        AgendaItem.objects.filter(pk=item.pk).update(notes="Approved text")
        Meeting.objects.filter(pk=item.meeting_id).update(minutes_status=Meeting.MinutesStatus.APPROVED)
        client = login(coordinator)
        response = client.get(notes_url(item), follow=True)
        assert "minutes of this meeting are approved" in response.content.decode()
        response = client.post(notes_url(item), {"notes": "Rewritten", "version": 1})
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.notes == "Approved text"

    def test_circulated_notes_can_still_be_corrected(self, login, item, coordinator):
        Meeting.objects.filter(pk=item.meeting_id).update(minutes_status=Meeting.MinutesStatus.CIRCULATED)
        response = login(coordinator).post(notes_url(item), {"notes": "Corrected", "version": 1})
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.notes == "Corrected"

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_who_may_write_notes(self, request, login, item, who, status):
        client = login(None if who == "anonymous" else request.getfixturevalue(who))
        assert client.get(notes_url(item)).status_code == status
        response = client.post(notes_url(item), {"notes": "Written", "version": 1})
        item.refresh_from_db()
        assert (item.notes == "Written") == (status == 200)
        assert response.status_code == (302 if status == 200 else status)


class TestCirculation:
    def test_the_organiser_circulates_the_draft_minutes(self, login, meeting, coordinator):
        circulated_at = (meeting.ends_at + timedelta(hours=2)).replace(microsecond=0)
        with time_machine.travel(circulated_at, tick=False):
            response = login(coordinator).post(circulate_url(meeting), follow=True)
        assert "The minutes are circulated" in response.content.decode()
        meeting.refresh_from_db()
        assert meeting.minutes_status == Meeting.MinutesStatus.CIRCULATED
        assert meeting.minutes_circulated_at == circulated_at
        assert (
            meeting.history.order_by("-history_id").first().minutes_status == Meeting.MinutesStatus.CIRCULATED
        )

    def test_minutes_of_a_meeting_still_to_come_are_not_circulated(self, login, task_force, coordinator):
        later = MeetingFactory(task_force=task_force, organiser=coordinator)
        response = login(coordinator).post(circulate_url(later), follow=True)
        assert "it has not started yet" in response.content.decode()
        later.refresh_from_db()
        assert later.minutes_status == Meeting.MinutesStatus.DRAFT

    def test_minutes_are_not_circulated_twice(self, login, meeting, coordinator):
        client = login(coordinator)
        client.post(circulate_url(meeting))
        meeting.refresh_from_db()
        first = meeting.minutes_circulated_at
        response = client.post(circulate_url(meeting), follow=True)
        assert "already circulated" in response.content.decode()
        meeting.refresh_from_db()
        assert meeting.minutes_circulated_at == first

    def test_approved_minutes_are_not_circulated_again(self, login, meeting, coordinator):
        Meeting.objects.filter(pk=meeting.pk).update(minutes_status=Meeting.MinutesStatus.APPROVED)
        response = login(coordinator).post(circulate_url(meeting), follow=True)
        assert "already approved" in response.content.decode()
        meeting.refresh_from_db()
        assert (
            meeting.minutes_status == Meeting.MinutesStatus.APPROVED and meeting.minutes_circulated_at is None
        )

    def test_a_cancelled_meetings_minutes_are_not_circulated(self, login, meeting, coordinator):
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
        response = login(coordinator).post(circulate_url(meeting), follow=True)
        assert "cancelled" in response.content.decode()
        meeting.refresh_from_db()
        assert meeting.minutes_status == Meeting.MinutesStatus.DRAFT

    def test_circulating_makes_an_open_meeting_form_stale(self, login, meeting, coordinator):
        version = meeting.version
        login(coordinator).post(circulate_url(meeting))
        meeting.refresh_from_db()
        assert meeting.version == version + 1

    def test_it_is_a_post(self, login, meeting, coordinator):
        assert login(coordinator).get(circulate_url(meeting)).status_code == 405

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("co_chair", 302),
            ("admin", 302),
        ],
    )
    def test_who_may_circulate(self, request, login, meeting, who, status):
        client = login(None if who == "anonymous" else request.getfixturevalue(who))
        assert client.post(circulate_url(meeting)).status_code == status
        meeting.refresh_from_db()
        circulated = meeting.minutes_status == Meeting.MinutesStatus.CIRCULATED
        assert circulated == (who in ("co_chair", "admin"))
