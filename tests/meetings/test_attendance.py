"""Inviting people, the invitation / update / cancellation emails, nudges and the daily sweep."""

from datetime import timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Invitee, Meeting
from meetings.services import attendance
from meetings.services.schedule import cancel_meeting
from meetings.tasks import send_due_invitations
from members.models import Membership, Role
from tests.factories import AgencyFactory, member_of

from .factories import CommitteeFactory, InviteeFactory, MeetingFactory


@pytest.fixture
def meeting(task_force, coordinator):
    return MeetingFactory(task_force=task_force, organiser=coordinator, title="March meeting")


@pytest.fixture
def everyone(coordinator, co_chair, lead, member, observer, lead_other):
    return [coordinator, co_chair, lead, member, observer, lead_other]


def invite_url(meeting):
    return reverse("meetings:meeting-invite", args=[meeting.task_force.slug, meeting.code])


def nudge_url(meeting):
    return reverse("meetings:meeting-nudge", args=[meeting.task_force.slug, meeting.code])


def invited(meeting):
    return set(meeting.invitees.values_list("user__email", flat=True))


def calendar_part(message):
    """The text/calendar attachment of an email, parsed, and its METHOD parameter."""
    for part in message.attachments:
        if hasattr(part, "get_content_type") and part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True)), part.get_param("method")
    raise AssertionError("no text/calendar attachment")


def event_of(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


class TestInvitePage:
    def test_the_organiser_invites_the_whole_task_force_and_each_gets_an_email(
        self, login, coordinator, meeting, everyone, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = login(coordinator).post(invite_url(meeting), {"whole": "on"}, follow=True)
        assert response.status_code == 200
        assert "Invited 6 people. They get the invitation email now." in response.content.decode()
        assert invited(meeting) == {person.email for person in everyone}
        assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in everyone)
        assert Invitee.objects.filter(meeting=meeting, invited_at__isnull=True).count() == 0

    def test_people_already_invited_are_skipped_and_counted(
        self, login, coordinator, meeting, everyone, django_capture_on_commit_callbacks
    ):
        client = login(coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(invite_url(meeting), {"whole": "on"})
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(invite_url(meeting), {"whole": "on"}, follow=True)
        assert "Nobody new to invite. 6 people were already invited." in response.content.decode()
        assert meeting.invitees.count() == 6
        assert mail.outbox == []

    def test_observers_are_never_invited_to_a_confidential_meeting(
        self, login, coordinator, meeting, everyone, observer
    ):
        Meeting.objects.filter(pk=meeting.pk).update(confidential=True)
        login(coordinator).post(invite_url(meeting), {"whole": "on"})
        assert observer.email not in invited(meeting)
        assert len(invited(meeting)) == 5

    def test_an_observer_cannot_even_be_chosen_for_a_confidential_meeting(
        self, login, coordinator, meeting, observer
    ):
        Meeting.objects.filter(pk=meeting.pk).update(confidential=True)
        response = login(coordinator).post(invite_url(meeting), {"people": [observer.pk]})
        assert response.status_code == 200
        assert "is not one of the available choices" in response.content.decode()
        assert not meeting.invitees.exists()

    def test_choosing_an_agency_invites_its_active_members_only(
        self, login, coordinator, meeting, everyone, other_agency
    ):
        former = member_of(other_agency, Role.MEMBER, email="former@example.org")
        Membership.objects.filter(user=former).update(ended_on=timezone.localdate())
        login(coordinator).post(invite_url(meeting), {"agencies": [other_agency.pk]})
        assert invited(meeting) == {"otherlead@example.org"}

    def test_choosing_people_invites_them_for_their_agency(self, login, coordinator, meeting, member, agency):
        login(coordinator).post(invite_url(meeting), {"people": [member.pk]})
        assert list(meeting.invitees.values_list("user", "agency")) == [(member.pk, agency.pk)]

    def test_choosing_a_committee_invites_its_chair_and_members(
        self, login, coordinator, meeting, task_force, lead, member, lead_other
    ):
        committee = CommitteeFactory(task_force=task_force, name="Labour trafficking", chair=lead)
        committee.members.add(member)
        login(coordinator).post(invite_url(meeting), {"committee": committee.pk})
        assert invited(meeting) == {lead.email, member.email}

    def test_choosing_nobody_is_refused_with_a_message(self, login, coordinator, meeting):
        response = login(coordinator).post(invite_url(meeting), {})
        assert response.status_code == 200
        assert "Choose whom to invite" in response.content.decode()

    def test_a_person_of_another_task_force_cannot_be_chosen(
        self, login, coordinator, meeting, other_coordinator
    ):
        response = login(coordinator).post(invite_url(meeting), {"people": [other_coordinator.pk]})
        assert response.status_code == 200
        assert not meeting.invitees.exists()

    def test_a_cancelled_meeting_takes_no_invitees(self, login, coordinator, meeting, member):
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
        client = login(coordinator)
        assert "nobody can be invited" in client.get(invite_url(meeting)).content.decode()
        response = client.post(invite_url(meeting), {"people": [member.pk]})
        assert "nobody can be invited" in response.content.decode()
        assert not meeting.invitees.exists()

    def test_a_meeting_further_than_the_window_is_invited_later(
        self, login, coordinator, task_force, member, django_capture_on_commit_callbacks
    ):
        later = MeetingFactory(
            task_force=task_force,
            organiser=coordinator,
            starts_at=timezone.now() + timedelta(days=60),
            ends_at=timezone.now() + timedelta(days=60, hours=1),
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = login(coordinator).post(invite_url(later), {"people": [member.pk]}, follow=True)
        assert "35 days before the meeting" in response.content.decode()
        assert mail.outbox == []

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("co_chair", 200),
            ("admin", 200),
        ],
    )
    def test_only_organisers_open_the_page(self, request, client, login, meeting, who, status):
        visitor = client if who == "anonymous" else login(request.getfixturevalue(who))
        response = visitor.get(invite_url(meeting))
        assert response.status_code == status
        if status == 302:
            assert response["Location"].startswith("/accounts/login/")

    def test_a_committee_chair_invites_to_their_committees_meeting(
        self, login, task_force, coordinator, lead, member
    ):
        committee = CommitteeFactory(task_force=task_force, chair=lead)
        own = MeetingFactory(
            task_force=task_force, organiser=coordinator, kind="committee", committee=committee
        )
        response = login(lead).post(invite_url(own), {"people": [member.pk]})
        assert response.status_code == 302
        assert invited(own) == {member.email}

    def test_the_page_takes_the_same_number_of_queries_for_many_members(
        self, login, coordinator, meeting, agency, django_assert_max_num_queries
    ):
        client = login(coordinator)
        client.get(invite_url(meeting))
        with CaptureQueriesContext(connection) as few:
            client.get(invite_url(meeting))
        for _ in range(30):
            member_of(AgencyFactory(task_force=meeting.task_force))
        with django_assert_max_num_queries(len(few)):
            response = client.get(invite_url(meeting))
        assert response.content.decode().count("<option") >= 31


class TestInvitationEmail:
    def test_it_carries_a_request_for_the_calendar_and_answer_links(
        self, meeting, member, agency, django_capture_on_commit_callbacks
    ):
        invitee = InviteeFactory(meeting=meeting, user=member, agency=agency)
        with django_capture_on_commit_callbacks(execute=True):
            attendance.send_invitations(meeting, [invitee])
        (message,) = mail.outbox
        assert message.to == [member.email]
        assert message.subject.startswith("Invitation: March meeting")
        calendar, method = calendar_part(message)
        assert method == "REQUEST"
        assert calendar["METHOD"] == "REQUEST"
        event = event_of(calendar)
        assert str(event["UID"]) == meeting.ical_uid
        assert event["SEQUENCE"] == meeting.sequence
        assert str(event["ORGANIZER"]) == "mailto:coordinator@example.org"
        assert str(event["ATTENDEE"]) == f"mailto:{member.email}"
        assert event["ATTENDEE"].params["RSVP"] == "TRUE"
        assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
        meeting_url = f"/tf/harbor/meetings/{meeting.code}/"
        assert meeting_url in str(event["DESCRIPTION"])
        assert str(event["URL"]).endswith(meeting_url)
        assert message.body.count("/meetings/answer/") == 3
        html = message.alternatives[0][0]
        assert html.count("/meetings/answer/") == 3

    def test_it_shows_the_time_in_the_task_forces_time_zone(
        self, meeting, member, agency, task_force, django_capture_on_commit_callbacks
    ):
        invitee = InviteeFactory(meeting=meeting, user=member, agency=agency)
        with django_capture_on_commit_callbacks(execute=True):
            attendance.send_invitations(meeting, [invitee])
        local = timezone.localtime(meeting.starts_at, timezone=ZoneInfo(task_force.time_zone))
        assert f"{local:%H:%M}" in mail.outbox[0].body
        assert task_force.time_zone in mail.outbox[0].body

    def test_the_subject_is_plain_text_and_the_html_is_escaped(self, task_force, coordinator, member, agency):
        meeting = MeetingFactory(task_force=task_force, organiser=coordinator, title="Q & A <b>")
        invitee = InviteeFactory(meeting=meeting, user=member, agency=agency)
        attendance.deliver_invitations(meeting.pk, [invitee.pk])
        (message,) = mail.outbox
        assert message.subject.startswith("Invitation: Q & A <b>,")
        assert "Q &amp; A &lt;b&gt;" in message.alternatives[0][0]

    def test_a_retried_task_sends_nothing_twice(self, meeting, member, agency):
        invitee = InviteeFactory(meeting=meeting, user=member, agency=agency)
        attendance.deliver_invitations(meeting.pk, [invitee.pk])
        attendance.deliver_invitations(meeting.pk, [invitee.pk])
        assert len(mail.outbox) == 1

    def test_a_failed_send_is_given_back_for_the_retry(self, meeting, member, agency):
        invitee = InviteeFactory(meeting=meeting, user=member, agency=agency)
        failing = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("smtp down"))
        with failing, pytest.raises(OSError):
            attendance.deliver_invitations(meeting.pk, [invitee.pk])
        invitee.refresh_from_db()
        assert invitee.invited_at is None
        attendance.deliver_invitations(meeting.pk, [invitee.pk])
        assert len(mail.outbox) == 1

    def test_the_daily_sweep_invites_once_when_the_meeting_comes_within_35_days(
        self, task_force, coordinator, member, agency
    ):
        starts = timezone.now() + timedelta(days=50)
        later = MeetingFactory(
            task_force=task_force,
            organiser=coordinator,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
        InviteeFactory(meeting=later, user=member, agency=agency)
        send_due_invitations.delay()
        assert mail.outbox == []
        with time_machine.travel(starts - timedelta(days=34)):
            send_due_invitations.delay()
            send_due_invitations.delay()
        assert [message.to for message in mail.outbox] == [[member.email]]

    def test_the_sweep_skips_cancelled_and_past_meetings(self, task_force, coordinator, member, agency):
        cancelled = MeetingFactory(task_force=task_force, organiser=coordinator, status="cancelled")
        past = MeetingFactory(
            task_force=task_force,
            organiser=coordinator,
            starts_at=timezone.now() - timedelta(days=2),
            ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
        )
        for meeting in (cancelled, past):
            InviteeFactory(meeting=meeting, user=member, agency=agency)
        send_due_invitations.delay()
        assert mail.outbox == []


class TestUpdateAndCancellationEmails:
    @pytest.fixture
    def invitations(self, meeting, agency, other_agency, member, lead, lead_other):
        rows = [
            InviteeFactory(meeting=meeting, user=member, agency=agency, response="yes"),
            InviteeFactory(meeting=meeting, user=lead, agency=agency, response="no"),
            InviteeFactory(meeting=meeting, user=lead_other, agency=other_agency),
        ]
        attendance.deliver_invitations(meeting.pk, [row.pk for row in rows])
        mail.outbox.clear()
        return rows

    def change(self, meeting, **fields):
        Meeting.objects.filter(pk=meeting.pk).update(sequence=meeting.sequence + 1, **fields)
        meeting.refresh_from_db()
        return meeting

    def test_an_update_goes_to_those_who_have_not_declined_with_the_new_sequence(
        self, meeting, invitations, django_capture_on_commit_callbacks
    ):
        meeting = self.change(meeting, place="Town Hall")
        with django_capture_on_commit_callbacks(execute=True):
            attendance.send_update(meeting)
        assert sorted(m.to[0] for m in mail.outbox) == ["member@example.org", "otherlead@example.org"]
        calendar, method = calendar_part(mail.outbox[0])
        assert method == "REQUEST"
        event = event_of(calendar)
        assert event["SEQUENCE"] == 1
        assert "Town Hall" in str(event["LOCATION"])
        assert mail.outbox[0].subject.startswith("Changed: March meeting")

    def test_an_update_is_sent_once_and_a_stale_one_not_at_all(self, meeting, invitations):
        meeting = self.change(meeting)
        attendance.deliver_update(meeting.pk, 1)
        attendance.deliver_update(meeting.pk, 1)
        attendance.deliver_update(meeting.pk, 0)
        assert len(mail.outbox) == 2

    def test_a_cancellation_carries_cancel_and_a_higher_sequence_to_everyone(
        self, meeting, invitations, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            cancel_meeting(meeting, reason="The room is flooded.")
        assert len(mail.outbox) == 3
        calendar, method = calendar_part(mail.outbox[0])
        assert method == "CANCEL"
        assert calendar["METHOD"] == "CANCEL"
        event = event_of(calendar)
        assert event["STATUS"] == "CANCELLED"
        assert event["SEQUENCE"] == 1
        assert str(event["UID"]) == meeting.ical_uid
        assert "The room is flooded." in mail.outbox[0].body
        attendance.deliver_cancellation(meeting.pk, 1)
        assert len(mail.outbox) == 3

    def test_people_never_told_of_the_meeting_get_no_cancellation(
        self, meeting, member, agency, django_capture_on_commit_callbacks
    ):
        InviteeFactory(meeting=meeting, user=member, agency=agency)
        with django_capture_on_commit_callbacks(execute=True):
            cancel_meeting(meeting)
        assert mail.outbox == []


class TestNudge:
    @pytest.fixture
    def invitations(self, meeting, agency, other_agency, member, lead, lead_other):
        return [
            InviteeFactory(meeting=meeting, user=member, agency=agency),
            InviteeFactory(meeting=meeting, user=lead, agency=agency, response="yes"),
            InviteeFactory(meeting=meeting, user=lead_other, agency=other_agency),
        ]

    def test_it_reminds_those_who_have_not_answered_and_says_how_many(
        self, login, coordinator, meeting, invitations, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = login(coordinator).post(nudge_url(meeting), follow=True)
        assert "A reminder is on its way to 2 people who have not answered." in response.content.decode()
        assert sorted(m.to[0] for m in mail.outbox) == ["member@example.org", "otherlead@example.org"]
        assert mail.outbox[0].subject.startswith("Will you come? March meeting")
        assert mail.outbox[0].body.count("/meetings/answer/") == 3

    def test_a_second_click_within_a_day_sends_nothing_more(
        self, login, coordinator, meeting, invitations, django_capture_on_commit_callbacks
    ):
        client = login(coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(nudge_url(meeting))
            response = client.post(nudge_url(meeting), follow=True)
        assert len(mail.outbox) == 2
        assert "Nobody to remind" in response.content.decode()

    def test_a_day_later_they_can_be_reminded_again(
        self, login, coordinator, meeting, invitations, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            login(coordinator).post(nudge_url(meeting))
        later = time_machine.travel(timezone.now() + timedelta(hours=25))
        with later, django_capture_on_commit_callbacks(execute=True):
            login(coordinator).post(nudge_url(meeting))
        assert len(mail.outbox) == 4

    def test_nobody_is_reminded_of_a_cancelled_meeting(self, login, coordinator, meeting, invitations):
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
        response = login(coordinator).post(nudge_url(meeting), follow=True)
        assert "Nobody was reminded." in response.content.decode()
        assert not Invitee.objects.filter(nudged_at__isnull=False).exists()

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
    def test_only_organisers_nudge(self, request, client, login, meeting, invitations, who, status):
        visitor = client if who == "anonymous" else login(request.getfixturevalue(who))
        response = visitor.post(nudge_url(meeting))
        assert response.status_code == status
        if who == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
            assert not Invitee.objects.filter(nudged_at__isnull=False).exists()

    def test_a_get_is_refused(self, login, coordinator, meeting):
        assert login(coordinator).get(nudge_url(meeting)).status_code == 405


def test_an_invitee_in_a_new_agency_counts_in_the_invite_form(login, coordinator, meeting, task_force):
    """Agencies without anyone active are offered but add nobody."""
    empty = AgencyFactory(task_force=task_force, name="Empty Agency")
    response = login(coordinator).post(invite_url(meeting), {"agencies": [empty.pk]}, follow=True)
    assert "Nobody new to invite." in response.content.decode()
