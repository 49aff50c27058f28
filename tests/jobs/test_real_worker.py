"""The jobs with a real `celery worker` process: reminders sent exactly once whatever runs twice
or dies, and exports that wait out a broker outage. Slow (a worker takes seconds to start), so
these are the few journeys the unit tests (eager tasks) cannot show."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from members.models import Role
from taskforce.exports.models import ExportJob
from taskforce.models import QueuedTask
from taskforce.reminders.models import Notice
from tests.conftest import client_for
from tests.factories import AgencyFactory, TaskForceFactory, member_of
from tests.meetings.factories import AgendaItemFactory, InviteeFactory, MeetingFactory

from .conftest import Broker, wait_for
from .mailbox import message_ids

SWEEP = "taskforce.reminders.tasks.sweep"


def meeting_with_invitees(count):
    """A meeting in five days with `count` invitees: each is due the seven-day reminder."""
    task_force = TaskForceFactory(name="Harbor County Anti-Trafficking Task Force", slug="harbor")
    agency = AgencyFactory(task_force=task_force, name="Harbor County Sheriff's Office")
    coordinator = member_of(agency, Role.COORDINATOR, email="coordinator@example.org")
    meeting = MeetingFactory(
        task_force=task_force, organiser=coordinator, starts_at=timezone.now() + timedelta(days=5)
    )
    for number in range(count):
        person = member_of(agency, email=f"person{number}@example.org")
        InviteeFactory(meeting=meeting, user=person, agency=agency)
    return meeting


def reminder_emails(worker):
    return [mid for mid in message_ids(worker.mailbox) if mid.startswith("<taskforce-notice-")]


def assert_each_sent_once(worker, count):
    notices = Notice.objects.all()
    assert notices.count() == count
    assert set(notices.values_list("status", flat=True)) == {Notice.Status.DELIVERED}
    sent = reminder_emails(worker)
    assert len(sent) == len(set(sent)) == count, "an email went out twice, or not at all"
    assert set(sent) == {
        f"<taskforce-notice-{pk}@tf.example.org>" for pk in notices.values_list("pk", flat=True)
    }


def test_two_sweeps_at_once_send_each_reminder_once(shared_db, broker, start_worker):
    meeting_with_invitees(150)
    broker.send(SWEEP)  # both are waiting as the worker starts: its two processes take one each
    broker.send(SWEEP)

    worker = start_worker(concurrency=2, REMINDERS_BATCH_SIZE=10)  # small batches: they interleave
    wait_for(lambda: worker.succeeded(SWEEP) == 2, what="both sweeps to finish")

    log = worker.output()
    assert log.count(f"Task {SWEEP}[") >= 4  # two received, two succeeded
    second_received = log.index(f"Task {SWEEP}[", log.index(f"Task {SWEEP}[") + 1)
    assert second_received < log.index("succeeded"), "the sweeps did not overlap"
    assert_each_sent_once(worker, 150)


def test_a_worker_killed_mid_sweep_then_started_again_sends_each_reminder_once(
    shared_db, broker, start_worker, tmp_path
):
    meeting_with_invitees(120)
    holding = tmp_path / "holding"
    first = start_worker(
        concurrency=1, MAILBOX_HOLD_AFTER=40, MAILBOX_HOLD_MARKER=holding, REMINDERS_CLAIM_TIMEOUT=2
    )
    broker.send(SWEEP)
    wait_for(holding.exists, what="the sweep to reach its 41st email")
    first.kill()  # SIGKILL while the mail server has the 41st email half-way

    assert len(reminder_emails(first)) == 40
    assert Notice.objects.filter(status=Notice.Status.DELIVERED).count() == 40
    assert Notice.objects.filter(status=Notice.Status.SENDING).count() == 80  # claimed, unsent

    # Started again, as `make run` does, with beat: the sweep's schedule is read from the database.
    every_two_seconds, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(name="reminders-sweep").update(interval=every_two_seconds)
    second = start_worker(concurrency=1, beat=True, REMINDERS_CLAIM_TIMEOUT=2)
    wait_for(
        lambda: Notice.objects.filter(status=Notice.Status.DELIVERED).count() == 120,
        what="the restarted worker to deliver the rest",
    )
    wait_for(lambda: second.succeeded(SWEEP) >= 2, what="a further sweep, which must send nothing")
    assert_each_sent_once(second, 120)


def test_with_the_broker_down_pages_work_and_what_was_asked_for_runs_once_it_is_back(
    shared_db, redis_server, start_worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "var" / "media"  # the worker's, to download what it made
    agency = AgencyFactory(task_force=TaskForceFactory(slug="harbor"))
    coordinator = member_of(agency, Role.COORDINATOR, email="coordinator@example.org")
    member = member_of(agency, email="member@example.org")
    meeting = MeetingFactory(
        task_force=agency.task_force,
        organiser=coordinator,
        title="March task force meeting",
        starts_at=timezone.now() + timedelta(days=3),
    )
    AgendaItemFactory(meeting=meeting, position=0, title="Introductions")
    InviteeFactory(meeting=meeting, user=member, agency=agency)
    every_two_seconds, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(name__in=["exports-requeue-stuck", "outbox-publish-pending"]).update(
        interval=every_two_seconds
    )
    redis = Broker(redis_server.url)
    worker = start_worker(concurrency=1, beat=True, on=redis, OUTBOX_PUBLISH_AFTER=1)
    client = client_for(member)

    redis_server.stop()
    with redis.for_this_process():
        for url in (
            meeting.task_force.get_absolute_url(),
            reverse("meetings:meeting-list", kwargs={"tf": meeting.task_force.slug}),
            meeting.get_absolute_url(),
            reverse("reminders:notice-list"),
            reverse("exports:job-list"),
        ):
            assert client.get(url).status_code == 200, url
        # The member asks for the agenda PDF; the coordinator reminds those who have not answered.
        response = client.post(
            reverse("exports:job-create"), {"kind": "meetings.agenda", "target": meeting.code}
        )
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response.url == job.get_absolute_url()
        assert job.status == ExportJob.Status.QUEUED
        assert "Queued: it starts as soon as a worker is free." in client.get(job.get_absolute_url()).text
        nudge = client_for(coordinator).post(
            reverse("meetings:meeting-nudge", args=[meeting.task_force.slug, meeting.code]), follow=True
        )
        assert "A reminder is on its way to 1 person" in nudge.text
        assert list(QueuedTask.objects.values_list("published_at", flat=True)) == [None, None]  # PDF, email

        redis_server.start()
        wait_for(
            lambda: ExportJob.objects.get().status == ExportJob.Status.DONE,
            what="the export to be made once Redis is back",
        )
        download = client.get(reverse("exports:job-download", args=[job.code]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
        assert ExportJob.objects.get().attempts == 1
        wait_for(
            lambda: not QueuedTask.objects.filter(done_at__isnull=True).exists(),
            what="the reminder email to go",
        )
        assert "To: member@example.org" in "".join(path.read_text() for path in worker.mailbox.glob("*.log"))
        assert len(message_ids(worker.mailbox)) == 1


def test_an_export_whose_worker_was_killed_is_made_by_the_next_one(
    shared_db, broker, start_worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    task_force = TaskForceFactory(name="Harbor County Anti-Trafficking Task Force", slug="harbor")
    agency = AgencyFactory(task_force=task_force, name="Harbor County Sheriff's Office")
    coordinator = member_of(agency, Role.COORDINATOR, email="coordinator@example.org")
    for number in range(300):  # a long roster: the handbook takes a few seconds to render
        member_of(agency, email=f"person{number}@example.org", full_name=f"Person {number:03}")
    every_two_seconds, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(name__in=["exports-requeue-stuck", "outbox-publish-pending"]).update(
        interval=every_two_seconds
    )
    client = client_for(coordinator)

    first = start_worker(concurrency=1)
    with broker.for_this_process():
        client.post(reverse("exports:job-create"), {"kind": "taskforce.handbook", "target": "harbor"})
    wait_for(
        lambda: ExportJob.objects.filter(status=ExportJob.Status.RUNNING, progress=30).exists(),
        what="the worker to start rendering",
    )
    first.kill()
    job = ExportJob.objects.get()
    assert (job.status, job.attempts, job.file.name) == (ExportJob.Status.RUNNING, 1, "")

    start_worker(concurrency=1, beat=True, EXPORTS_RUNNING_TIMEOUT=3)
    wait_for(
        lambda: ExportJob.objects.get().status == ExportJob.Status.DONE, what="the export to be made again"
    )
    job = ExportJob.objects.get()
    assert job.attempts == 2 and job.progress == 100
    download = client.get(reverse("exports:job-download", args=[job.code]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert [path.name for path in (settings.MEDIA_ROOT / "exports").rglob("*.pdf")] == [
        job.file.name.split("/")[-1]
    ]
