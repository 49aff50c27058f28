"""The sweep: each due reminder once, whatever runs twice; nothing to people or items gone."""

import smtplib
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import ActionItem, Invitee, Meeting
from taskforce.reminders import services, tasks
from taskforce.reminders.models import Channel, Notice, Preference

from ..factories import member_of
from ..meetings.factories import ActionItemFactory, InviteeFactory, MeetingFactory


def meeting_in(task_force, organiser, delta, **fields):
    return MeetingFactory(
        task_force=task_force,
        organiser=organiser,
        starts_at=timezone.now() + delta,
        title="Monthly meeting",
        **fields,
    )


def invite(meeting, user, agency, response=Invitee.Response.PENDING):
    return InviteeFactory(meeting=meeting, user=user, agency=agency, response=response)


@pytest.fixture
def soon(task_force, coordinator, agency, member):
    meeting = meeting_in(task_force, coordinator, timedelta(days=5))
    invite(meeting, member, agency)
    return meeting


class TestExactlyOnce:
    def test_it_reminds_each_invitee_once_when_the_sweep_runs_twice(self, soon, member):
        services.sweep()
        services.sweep()
        assert [m.to for m in mail.outbox] == [[member.email]]
        notice = Notice.objects.get()
        assert (notice.threshold, notice.status, notice.channel) == ("7d", "delivered", "email")

    def test_the_celery_task_sends_nothing_twice(self, soon):
        tasks.sweep.delay()
        tasks.sweep.delay()
        assert len(mail.outbox) == 1

    def test_two_sweeps_interleaved_deliver_once(self, soon):
        now = timezone.now()
        services.record_due(now)
        services.record_due(now)
        services.deliver_pending(now)
        services.deliver_pending(now)
        assert len(mail.outbox) == 1
        assert Notice.objects.count() == 1

    def test_a_notice_claimed_by_another_worker_is_not_sent_again(self, soon):
        services.record_due(timezone.now())
        Notice.objects.update(status=Notice.Status.SENDING, claimed_at=timezone.now())
        services.deliver_pending()
        assert mail.outbox == []

    def test_a_notice_whose_worker_died_is_sent_by_a_later_sweep(self, soon):
        services.record_due(timezone.now())
        Notice.objects.update(status=Notice.Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1))
        services.deliver_pending()
        assert len(mail.outbox) == 1

    def test_a_notice_taken_over_by_a_later_sweep_is_left_to_it(self, soon, settings):
        settings.REMINDERS_CLAIM_TIMEOUT = 60
        services.record_due(timezone.now())
        mine, theirs = services.uuid.uuid4(), services.uuid.uuid4()
        Notice.objects.update(status=Notice.Status.SENDING, claimed_at=timezone.now(), claim=theirs)
        notice = Notice.objects.get()
        message = mail.EmailMessage("Reminder", "Text", to=["member@example.org"])
        # This sweep claimed it 40 s ago and stalled: past half the timeout, it checks its claim.
        stalled = services.Mailer(mine, {notice.pk}, time.monotonic() - 40)

        assert stalled.send(notice, message) is False
        assert mail.outbox == []
        assert Notice.objects.get().claim == theirs

    def test_a_stalled_sweep_renews_the_claim_it_still_holds_and_sends(self, soon, settings):
        settings.REMINDERS_CLAIM_TIMEOUT = 60
        services.record_due(timezone.now())
        claim, long_ago = services.uuid.uuid4(), timezone.now() - timedelta(seconds=40)
        Notice.objects.update(status=Notice.Status.SENDING, claimed_at=long_ago, claim=claim)
        notice = Notice.objects.get()
        message = mail.EmailMessage("Reminder", "Text", to=["member@example.org"])

        assert services.Mailer(claim, {notice.pk}, time.monotonic() - 40).send(notice, message)
        assert len(mail.outbox) == 1
        notice.refresh_from_db()
        assert notice.status == Notice.Status.DELIVERED and notice.claimed_at > long_ago

    def test_a_claim_younger_than_half_the_timeout_is_not_checked_again(self, soon, settings):
        settings.REMINDERS_CLAIM_TIMEOUT = 60
        services.record_due(timezone.now())
        claim = services.uuid.uuid4()
        Notice.objects.update(status=Notice.Status.SENDING, claimed_at=timezone.now(), claim=claim)
        notice = Notice.objects.get()
        message = mail.EmailMessage("Reminder", "Text", to=["member@example.org"])
        with CaptureQueriesContext(connection) as queries:
            assert services.Mailer(claim, {notice.pk}, time.monotonic() - 20).send(notice, message)
        assert len(queries) == 1  # the outcome, nothing else
        assert Notice.objects.get().status == Notice.Status.DELIVERED

    def test_how_long_a_claim_lasts_is_a_setting(self, soon, settings):
        settings.REMINDERS_CLAIM_TIMEOUT = 60
        services.record_due(timezone.now())
        Notice.objects.update(status=Notice.Status.SENDING, claimed_at=timezone.now() - timedelta(seconds=30))
        services.deliver_pending()
        assert mail.outbox == []
        Notice.objects.update(claimed_at=timezone.now() - timedelta(seconds=90))
        services.deliver_pending()
        assert len(mail.outbox) == 1

    def test_the_one_day_reminder_follows_the_seven_day_one(self, soon, member):
        services.sweep()
        services.sweep(now=soon.starts_at - timedelta(hours=20))
        assert sorted(Notice.objects.values_list("threshold", flat=True)) == ["1d", "7d"]
        assert len(mail.outbox) == 2


class TestMeetings:
    def test_it_skips_invitees_who_declined(self, task_force, coordinator, agency, member, lead):
        meeting = meeting_in(task_force, coordinator, timedelta(days=2))
        invite(meeting, member, agency, Invitee.Response.NO)
        invite(meeting, lead, agency, Invitee.Response.YES)
        services.sweep()
        assert [m.to for m in mail.outbox] == [[lead.email]]

    def test_it_sends_nothing_for_meetings_already_past_after_downtime(
        self, task_force, coordinator, agency, member
    ):
        meeting = meeting_in(task_force, coordinator, timedelta(hours=-3))
        invite(meeting, member, agency)
        services.sweep()
        assert mail.outbox == [] and not Notice.objects.exists()

    def test_it_catches_up_with_the_tightest_reminder_after_downtime(
        self, task_force, coordinator, agency, member
    ):
        meeting = meeting_in(task_force, coordinator, timedelta(hours=10))
        invite(meeting, member, agency)
        services.sweep()
        assert list(Notice.objects.values_list("threshold", flat=True)) == ["1d"]
        assert mail.outbox[0].subject.startswith("Tomorrow: Monthly meeting")

    def test_a_meeting_cancelled_between_recording_and_delivery_is_skipped(self, soon):
        services.record_due(timezone.now())
        Meeting.objects.filter(pk=soon.pk).update(status=Meeting.Status.CANCELLED)
        services.deliver_pending()
        assert mail.outbox == []
        assert Notice.objects.get().status == Notice.Status.SKIPPED

    def test_a_meeting_deleted_meanwhile_is_skipped(self, soon):
        services.record_due(timezone.now())
        soon.delete()
        services.deliver_pending()
        assert mail.outbox == []
        assert not Notice.objects.for_reader(soon.organiser).exists()

    def test_a_recipient_whose_membership_ended_gets_nothing(self, soon, member):
        services.record_due(timezone.now())
        member.memberships.update(ended_on=timezone.localdate())
        services.deliver_pending()
        assert mail.outbox == []
        assert Notice.objects.get().status == Notice.Status.SKIPPED

    def test_an_invitee_without_an_active_membership_is_not_recorded(self, soon, member):
        member.memberships.update(ended_on=timezone.localdate())
        services.sweep()
        assert not Notice.objects.exists()


class TestEmail:
    def test_it_has_a_text_and_an_html_part_with_an_absolute_link(self, soon, settings):
        settings.SITE_URL = "https://tf.example.org"
        services.sweep()
        message = mail.outbox[0]
        link = f"https://tf.example.org{soon.get_absolute_url()}"
        assert link in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html" and f'href="{link}"' in html

    def test_it_shows_the_time_in_the_task_forces_time_zone(self, task_force, coordinator, agency, member):
        task_force.time_zone = "America/Chicago"
        task_force.save(update_fields=["time_zone"])
        start = timezone.now().replace(microsecond=0) + timedelta(days=3)
        meeting = meeting_in(task_force, coordinator, start - timezone.now())
        invite(meeting, member, agency)
        services.sweep()
        local = timezone.localtime(
            meeting.starts_at, timezone=__import__("zoneinfo").ZoneInfo("America/Chicago")
        )
        assert local.strftime("%H:%M") in mail.outbox[0].body

    def test_a_refused_recipient_is_recorded_and_the_sweep_goes_on(
        self, task_force, coordinator, agency, member, lead
    ):
        meeting = meeting_in(task_force, coordinator, timedelta(days=2))
        invite(meeting, member, agency)
        invite(meeting, lead, agency)
        real_send = mail.EmailMultiAlternatives.send

        def send(message, *args, **kwargs):
            if member.email in message.to:
                raise smtplib.SMTPRecipientsRefused({member.email: (550, b"No such user")})
            return real_send(message, *args, **kwargs)

        with mock.patch.object(mail.EmailMultiAlternatives, "send", send):
            services.sweep()
        assert [m.to for m in mail.outbox] == [[lead.email]]
        failed = Notice.objects.get(recipient=member)
        assert failed.status == Notice.Status.FAILED and "No such user" in failed.error
        services.sweep()
        assert len(mail.outbox) == 1

    def test_an_unreachable_server_leaves_the_notice_for_the_next_sweep(self, soon):
        with mock.patch.object(mail.EmailMultiAlternatives, "send", side_effect=ConnectionRefusedError()):
            services.sweep()
        assert Notice.objects.get().status == Notice.Status.PENDING
        services.sweep()
        assert len(mail.outbox) == 1

    def test_a_batch_goes_through_one_connection_to_the_mail_server(self, soon, agency, settings):
        for number in range(3):
            invite(soon, member_of(agency, email=f"person{number}@example.org"), agency)
        settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
        CountingBackend.opened = 0
        services.sweep()
        assert len(mail.outbox) == 4
        assert CountingBackend.opened == 1

    def test_a_notice_sent_again_has_the_same_message_id(self, soon, settings):
        settings.SITE_URL = "https://tf.example.org"
        services.sweep()
        notice = Notice.objects.get()
        Notice.objects.update(status=Notice.Status.PENDING, claim=None)  # as after a lost worker
        services.sweep()
        first, second = (message.extra_headers["Message-ID"] for message in mail.outbox)
        assert first == second == f"<taskforce-notice-{notice.pk}@tf.example.org>"


class CountingBackend(EmailBackend):
    opened = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CountingBackend.opened += 1


class TestPreferences:
    def test_in_app_only_sends_no_email(self, soon, member):
        Preference.objects.create(user=member, kind="meetings", channel=Channel.IN_APP)
        services.sweep()
        assert mail.outbox == []
        assert Notice.objects.for_reader(member).count() == 1

    def test_a_preference_for_another_kind_does_not_apply(self, soon, member):
        Preference.objects.create(user=member, kind="action_items", channel=Channel.IN_APP)
        services.sweep()
        assert len(mail.outbox) == 1


class TestActionItems:
    def test_the_assignee_hears_three_days_before_and_once_overdue(self, task_force, agency, member):
        today = task_force.today()
        item = ActionItemFactory(agency=agency, assignee=member, due_on=today + timedelta(days=3))
        services.sweep()
        assert mail.outbox[-1].subject.startswith("Due")
        services.sweep(now=timezone.now() + timedelta(days=4))
        services.sweep(now=timezone.now() + timedelta(days=4, hours=1))
        assert [m.subject.split(":")[0] for m in mail.outbox][:2] == [
            "Due " + item.due_on.strftime("%-d %b"),
            "Overdue since " + item.due_on.strftime("%-d %b"),
        ]
        assert " is due on " in mail.outbox[0].body and " was due on " in mail.outbox[1].body
        assert Notice.objects.filter(recipient=member).count() == 2

    def test_done_items_are_not_reminded(self, task_force, agency, member):
        ActionItemFactory(
            agency=agency,
            assignee=member,
            due_on=task_force.today() - timedelta(days=1),
            status=ActionItem.Status.DONE,
        )
        services.sweep()
        assert not Notice.objects.filter(recipient=member).exists()

    def test_coordinators_get_one_overdue_summary_a_week(self, task_force, agency, member, coordinator):
        ActionItemFactory(
            agency=agency, assignee=member, due_on=task_force.today() - timedelta(days=2), title="File report"
        )
        services.sweep()
        services.sweep()
        summaries = [m for m in mail.outbox if coordinator.email in m.to]
        assert len(summaries) == 1
        assert "File report" in summaries[0].body
        services.sweep(now=timezone.now() + timedelta(days=7))
        assert len([m for m in mail.outbox if coordinator.email in m.to]) == 2


class TestQueryCount:
    def test_recording_does_not_grow_with_the_number_of_invitees(self, task_force, coordinator, agency):
        meeting = meeting_in(task_force, coordinator, timedelta(days=3))
        people = [member_of(agency) for _ in range(12)]
        for person in people[:3]:
            invite(meeting, person, agency)
        with CaptureQueriesContext(connection) as few:
            services.record_due(timezone.now())
        for person in people[3:]:
            invite(meeting, person, agency)
        with CaptureQueriesContext(connection) as many:
            services.record_due(timezone.now())
        assert len(many) == len(few)

    def test_in_app_delivery_does_not_grow_with_the_number_of_notices(self, task_force, coordinator, agency):
        def run(count):
            meeting = meeting_in(task_force, coordinator, timedelta(days=3))
            for _ in range(count):
                person = member_of(agency)
                Preference.objects.create(user=person, kind="meetings", channel=Channel.IN_APP)
                invite(meeting, person, agency)
            services.record_due(timezone.now())
            with CaptureQueriesContext(connection) as queries:
                services.deliver_pending()
            return len(queries)

        assert run(2) == run(10)
