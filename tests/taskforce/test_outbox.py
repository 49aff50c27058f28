"""The outbox: a task asked for by a page is recorded with the change, published after the
commit, and published again if the broker was down or no worker ran it; nothing twice."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from meetings.tasks import send_nudge_emails
from taskforce import outbox
from taskforce.celery import app as celery_app
from taskforce.models import QueuedTask
from tests.meetings.factories import InviteeFactory, MeetingFactory


@pytest.fixture
def meeting(task_force, coordinator, agency, member, lead):
    meeting = MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        title="March meeting",
        starts_at=timezone.now() + timedelta(days=3),
    )
    InviteeFactory(meeting=meeting, user=member, agency=agency)
    InviteeFactory(meeting=meeting, user=lead, agency=agency)
    return meeting


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing raises, as kombu does when Redis refuses the connection."""

    def refuse(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(send_nudge_emails, "apply_async", refuse)


def nudge(client, meeting, capture):
    with capture(execute=True):
        return client.post(
            reverse("meetings:meeting-nudge", args=[meeting.task_force.slug, meeting.code]), follow=True
        )


def test_the_task_runs_after_the_commit_and_is_marked_done(
    login, coordinator, meeting, django_capture_on_commit_callbacks
):
    response = nudge(login(coordinator), meeting, django_capture_on_commit_callbacks)
    assert "A reminder is on its way to 2 people" in response.text
    assert len(mail.outbox) == 2
    queued = QueuedTask.objects.get()
    assert queued.task == "meetings.tasks.send_nudge_emails"
    assert queued.args[0] == meeting.pk
    assert sorted(queued.args[1]) == sorted(meeting.invitees.values_list("pk", flat=True))
    assert queued.publications == 1 and queued.published_at and queued.done_at


def test_with_the_broker_down_the_page_answers_and_the_task_waits(
    login, coordinator, meeting, broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    response = nudge(login(coordinator), meeting, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "A reminder is on its way to 2 people" in response.text
    assert mail.outbox == []
    queued = QueuedTask.objects.get()
    assert (queued.published_at, queued.publications, queued.done_at) == (None, 0, None)

    assert outbox.publish_pending() == []  # still the request's to publish, for half a minute
    monkeypatch.undo()  # the broker is back
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert outbox.publish_pending() == [queued.pk]
        assert outbox.publish_pending() == []
    assert len(mail.outbox) == 2
    queued.refresh_from_db()
    assert queued.publications == 1 and queued.done_at is not None


def test_the_beat_task_publishes_through_the_database_schedule(db):
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.select_related("interval").get(name="outbox-publish-pending")
    assert entry.task == "taskforce.tasks.publish_outbox"
    assert entry.interval.schedule.run_every == timedelta(minutes=1)


class TestRepublishing:
    @pytest.fixture
    def failing(self, db):
        """A task whose runs fail (the mail server is down): the row stays not done."""

        @celery_app.task(name="tests.failing_task")
        def failing_task():
            raise ConnectionRefusedError("mail server down")

        celery_app.conf.task_eager_propagates = False
        yield failing_task
        celery_app.conf.task_eager_propagates = True
        celery_app.tasks.pop("tests.failing_task")

    def test_a_task_that_failed_is_published_again_later_up_to_a_limit(
        self, failing, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            queued = outbox.enqueue(failing)
        queued.refresh_from_db()
        assert queued.publications == 1 and queued.done_at is None

        now = timezone.now()
        assert outbox.publish_pending(now + timedelta(minutes=5)) == []
        for round in range(1, outbox.MAX_PUBLICATIONS):
            with time_machine.travel(now + timedelta(minutes=11 * round)):
                assert outbox.publish_pending() == [queued.pk]
        with time_machine.travel(now + timedelta(hours=3)):
            assert outbox.publish_pending() == []
        queued.refresh_from_db()
        assert queued.publications == outbox.MAX_PUBLICATIONS and queued.done_at is None

    def test_a_task_this_code_does_not_know_waits_without_holding_up_the_rest(
        self, meeting, django_capture_on_commit_callbacks
    ):
        unknown = QueuedTask.objects.create(task="gone.tasks.renamed", args=[1])
        known = QueuedTask.objects.create(task=send_nudge_emails.name, args=[meeting.pk, []])
        QueuedTask.objects.update(created_at=timezone.now() - timedelta(minutes=5))

        assert outbox.publish_pending() == [known.pk]
        unknown.refresh_from_db()
        assert unknown.published_at is None and unknown.done_at is None

    def test_done_tasks_are_forgotten_after_a_week(self, db):
        QueuedTask.objects.create(task="x", done_at=timezone.now() - timedelta(days=8))
        recent = QueuedTask.objects.create(task="x", done_at=timezone.now() - timedelta(days=6))
        waiting = QueuedTask.objects.create(task="x")
        QueuedTask.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=30))

        outbox.publish_pending()

        assert set(QueuedTask.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


def test_admins_see_the_outbox_and_cannot_change_it(login, admin, coordinator, meeting, broker_down):
    outbox.enqueue(send_nudge_emails, meeting.pk, [])
    client = login(admin)
    page = client.get(reverse("admin:taskforce_queuedtask_changelist"))
    assert page.status_code == 200 and "meetings.tasks.send_nudge_emails" in page.text
    assert client.get(reverse("admin:taskforce_queuedtask_add")).status_code == 403
