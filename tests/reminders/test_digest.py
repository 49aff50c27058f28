from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from meetings.models import Invitee
from taskforce.reminders import services, tasks
from taskforce.reminders.models import Channel, Digest, Notice, Preference

from ..meetings.factories import ActionItemFactory, InviteeFactory, MeetingFactory

NEW_YORK = ZoneInfo("America/New_York")
# Sunday 6 December 2026, noon in New York; Monday 7 December is the digest day.
SUNDAY = datetime(2026, 12, 6, 12, 0, tzinfo=NEW_YORK)
MONDAY_MORNING = datetime(2026, 12, 7, 7, 5, tzinfo=NEW_YORK)


@pytest.fixture
def waiting(task_force, coordinator, agency, member):
    """A meeting reminder and an action item reminder, both for the weekly digest."""
    Preference.objects.create(user=member, kind="meetings", channel=Channel.DIGEST)
    Preference.objects.create(user=member, kind="action_items", channel=Channel.DIGEST)
    with time_machine.travel(SUNDAY, tick=False):
        meeting = MeetingFactory(
            task_force=task_force,
            organiser=coordinator,
            title="Quarterly review",
            starts_at=SUNDAY + timedelta(days=4),
        )
        InviteeFactory(meeting=meeting, user=member, agency=agency, response=Invitee.Response.YES)
        ActionItemFactory(
            agency=agency,
            assignee=member,
            title="Draft the referral form",
            due_on=SUNDAY.date() + timedelta(days=2),
        )
        services.sweep()
    return meeting


class TestDigest:
    def test_digest_notices_wait_for_monday_and_show_in_the_app(self, waiting, member):
        assert mail.outbox == []
        assert Notice.objects.for_reader(member).filter(status=Notice.Status.DIGEST).count() == 2

    def test_nothing_is_sent_before_monday_morning(self, waiting):
        with time_machine.travel(MONDAY_MORNING - timedelta(hours=1), tick=False):
            assert services.send_digests() == 0
        assert mail.outbox == []

    def test_monday_morning_sends_one_email_listing_everything(self, waiting, member, settings):
        settings.SITE_URL = "https://tf.example.org"
        with time_machine.travel(MONDAY_MORNING, tick=False):
            tasks.send_digests.delay()
            tasks.send_digests.delay()
            services.send_digests()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [member.email]
        assert "2 reminders" in message.subject
        assert "Quarterly review" in message.body and "Draft the referral form" in message.body
        assert "https://tf.example.org/" in message.body
        html, _ = message.alternatives[0]
        assert "Quarterly review" in html and "Harbor County Anti-Trafficking Task Force" in html
        digest = Digest.objects.get()
        assert digest.week_of.isoformat() == "2026-12-07" and digest.sent_at is not None
        assert not Notice.objects.filter(status=Notice.Status.DIGEST).exists()

    def test_a_notice_arriving_after_the_digest_waits_for_next_week(
        self, waiting, member, task_force, agency
    ):
        with time_machine.travel(MONDAY_MORNING, tick=False):
            services.send_digests()
        with time_machine.travel(MONDAY_MORNING + timedelta(hours=3), tick=False):
            ActionItemFactory(
                agency=agency,
                assignee=member,
                title="Call the shelter",
                due_on=MONDAY_MORNING.date() + timedelta(days=1),
            )
            services.sweep()
            services.send_digests()
        assert len(mail.outbox) == 1
        with time_machine.travel(MONDAY_MORNING + timedelta(days=7), tick=False):
            services.send_digests()
        assert len(mail.outbox) == 2
        assert "Call the shelter" in mail.outbox[1].body
        assert "Quarterly review" not in mail.outbox[1].body

    def test_it_follows_the_task_forces_time_zone(self, waiting, task_force):
        task_force.time_zone = "Pacific/Honolulu"
        task_force.save(update_fields=["time_zone"])
        with time_machine.travel(MONDAY_MORNING, tick=False):  # 02:05 in Honolulu
            services.send_digests()
        assert mail.outbox == []
        with time_machine.travel(
            datetime(2026, 12, 7, 7, 30, tzinfo=ZoneInfo("Pacific/Honolulu")), tick=False
        ):
            services.send_digests()
        assert len(mail.outbox) == 1
