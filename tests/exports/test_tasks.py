"""The export task and the beat tasks: idempotent runs, the outbox when the broker is down, jobs
whose worker died, and the seven-day clean-up. (Tests with a real worker, killed with SIGKILL or
with Redis stopped, are a later step: these run Celery eagerly.)"""

from datetime import timedelta

import pytest
from django.utils import timezone

from members import services as members
from members.models import Membership
from taskforce import outbox
from taskforce.exports import services, tasks
from taskforce.exports.models import ExportJob
from taskforce.models import QueuedTask

from .conftest import request_export

Status = ExportJob.Status


def later(**delta):
    return timezone.now() + timedelta(**delta)


def exported_files(media_root):
    folder = media_root / "exports"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def queued_job(login, meeting, member, broker_down, django_capture_on_commit_callbacks):
    """A request made while the broker was down."""
    response = request_export(
        login(member), "meetings.minutes", meeting.code, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    return ExportJob.objects.get()


@pytest.fixture
def published(monkeypatch):
    """The broker is up but no worker runs: the ids of the published jobs."""
    sent = []
    monkeypatch.setattr(tasks.render_export, "apply_async", lambda args, **kwargs: sent.append(args[0]))
    return sent


def run_the_outbox():
    """The outbox's minute beat, a minute after the request."""
    return outbox.publish_pending(now=later(minutes=1))


class TestBrokerDown:
    def test_the_request_still_succeeds_and_says_queued(
        self, login, member, meeting, broker_down, django_capture_on_commit_callbacks
    ):
        client = login(member)
        response = request_export(
            client, "meetings.minutes", meeting.code, django_capture_on_commit_callbacks
        )
        job = ExportJob.objects.get()
        assert job.status == Status.QUEUED
        task = QueuedTask.objects.get()
        assert (task.task, task.args, task.published_at) == (services.RENDER_TASK, [job.pk], None)
        html = client.get(response.url).content.decode()
        assert "Your export is queued" in html and "Queued: it starts as soon as a worker is free" in html

    def test_other_pages_keep_working(self, login, member, meeting, queued_job):
        assert login(member).get(meeting.get_absolute_url()).status_code == 200

    def test_the_outbox_publishes_it_when_the_broker_is_back(self, queued_job, monkeypatch, media_root):
        assert outbox.publish_pending() == []  # too fresh: its own on_commit may still be on the way
        monkeypatch.undo()  # the broker is back
        assert run_the_outbox() == [QueuedTask.objects.get().pk]
        queued_job.refresh_from_db()
        assert queued_job.status == Status.DONE
        assert exported_files(media_root) == [queued_job.file.name.removeprefix("exports/")]

    def test_while_the_broker_is_still_down_it_stays_queued(self, queued_job):
        assert run_the_outbox() == []
        queued_job.refresh_from_db()
        assert queued_job.status == Status.QUEUED and QueuedTask.objects.get().published_at is None

    def test_a_message_lost_by_the_broker_is_published_again(self, queued_job, published):
        QueuedTask.objects.update(published_at=later(minutes=-11), publications=1)
        assert outbox.publish_pending() == [QueuedTask.objects.get().pk]
        assert outbox.publish_pending() == []  # just published: not again
        assert published == [queued_job.pk]


class TestRunTime:
    def test_an_owner_who_left_meanwhile_gets_nothing(
        self, queued_job, member, meeting, coordinator, monkeypatch
    ):
        members.end_membership(
            by=coordinator,
            membership=Membership.objects.get(user=member),
            ended_on=meeting.task_force.today(),
            reason="Moved on",
        )
        monkeypatch.undo()
        run_the_outbox()
        queued_job.refresh_from_db()
        assert queued_job.status == Status.FAILED and queued_job.error == services.NOT_VISIBLE
        assert not queued_job.file

    def test_a_deleted_meeting_fails_the_job_with_a_message(self, queued_job, meeting, monkeypatch):
        meeting.delete()
        monkeypatch.undo()
        run_the_outbox()
        queued_job.refresh_from_db()
        assert queued_job.status == Status.FAILED and "no longer see" in queued_job.error

    def test_a_rendering_error_fails_the_job_and_the_page_says_so(
        self, login, member, queued_job, monkeypatch, caplog
    ):
        monkeypatch.undo()

        def broken(*args, **kwargs):
            raise RuntimeError("font cache is corrupt")

        monkeypatch.setattr(services, "render_pdf", broken)
        services.run_export(queued_job.pk)
        queued_job.refresh_from_db()
        assert queued_job.status == Status.FAILED and queued_job.error == services.RENDER_FAILED
        html = login(member).get(queued_job.get_absolute_url()).content.decode()
        assert "could not be made" in html and "font cache" not in html
        assert "font cache is corrupt" in caplog.text

    def test_running_it_twice_renders_once(self, queued_job, media_root, monkeypatch):
        monkeypatch.undo()
        services.run_export(queued_job.pk)
        queued_job.refresh_from_db()
        first = (queued_job.file.name, queued_job.finished_at, queued_job.attempts)
        services.run_export(queued_job.pk)
        queued_job.refresh_from_db()
        assert (queued_job.file.name, queued_job.finished_at, queued_job.attempts) == first
        assert len(exported_files(media_root)) == 1

    def test_a_job_running_elsewhere_is_left_alone(self, queued_job):
        ExportJob.objects.filter(pk=queued_job.pk).update(status=Status.RUNNING, started_at=timezone.now())
        services.run_export(queued_job.pk)
        queued_job.refresh_from_db()
        assert queued_job.status == Status.RUNNING and queued_job.attempts == 0

    def test_a_run_overtaken_by_a_retry_keeps_no_file(self, queued_job, media_root, monkeypatch):
        """A slow run whose job was put back in the queue and taken by another worker meanwhile."""
        monkeypatch.undo()

        def overtaken(*args, **kwargs):
            ExportJob.objects.filter(pk=queued_job.pk).update(attempts=5)
            return b"%PDF-1.7 stale"

        monkeypatch.setattr(services, "render_pdf", overtaken)
        services.run_export(queued_job.pk)
        queued_job.refresh_from_db()
        assert queued_job.status == Status.RUNNING and not queued_job.file
        assert exported_files(media_root) == []


class TestStuckRunning:
    def test_a_job_whose_worker_died_is_run_again(
        self, queued_job, monkeypatch, django_capture_on_commit_callbacks
    ):
        ExportJob.objects.filter(pk=queued_job.pk).update(
            status=Status.RUNNING, started_at=later(minutes=-11), attempts=1
        )
        monkeypatch.undo()
        with django_capture_on_commit_callbacks(execute=True):
            assert services.requeue_stuck() == [queued_job.pk]
        queued_job.refresh_from_db()
        assert queued_job.status == Status.DONE and queued_job.attempts == 2 and queued_job.file

    def test_a_job_still_within_its_time_is_left_running(self, queued_job, published):
        ExportJob.objects.filter(pk=queued_job.pk).update(
            status=Status.RUNNING, started_at=later(minutes=-5), attempts=1
        )
        assert services.requeue_stuck(now=later(minutes=1)) == []
        assert ExportJob.objects.get().status == Status.RUNNING

    def test_it_gives_up_after_three_attempts(self, login, member, queued_job, published):
        ExportJob.objects.filter(pk=queued_job.pk).update(
            status=Status.RUNNING, started_at=later(minutes=-11), attempts=3
        )
        assert services.requeue_stuck() == []
        queued_job.refresh_from_db()
        assert queued_job.status == Status.FAILED and "stopped 3 times" in queued_job.error
        assert "stopped 3 times" in login(member).get(queued_job.get_absolute_url()).content.decode()

    def test_its_queries_do_not_grow_with_the_jobs(
        self, queued_job, published, django_assert_max_num_queries, django_capture_on_commit_callbacks
    ):
        stuck = {"status": Status.RUNNING, "started_at": later(minutes=-11), "attempts": 1}
        ExportJob.objects.update(**stuck)
        with django_assert_max_num_queries(10) as few:
            services.requeue_stuck()
        fields = {f: getattr(queued_job, f) for f in ("owner", "task_force", "kind", "target_code", "title")}
        ExportJob.objects.bulk_create([ExportJob(**fields, **stuck) for _ in range(40)])
        ExportJob.objects.update(**stuck)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert len(services.requeue_stuck()) == 41
        with django_capture_on_commit_callbacks(execute=True):
            assert len(run_the_outbox()) == 1 + 1 + 41  # the request's task, then each requeue

    def test_the_beat_task_runs_the_service(
        self, queued_job, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.undo()
        ExportJob.objects.update(status=Status.RUNNING, started_at=later(minutes=-11), attempts=1)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.requeue_stuck.delay()
        assert ExportJob.objects.get().status == Status.DONE


class TestCleanUp:
    def test_exports_older_than_seven_days_go_with_their_files(
        self, login, meeting, member, media_root, django_capture_on_commit_callbacks
    ):
        client = login(member)
        request_export(client, "meetings.minutes", meeting.code, django_capture_on_commit_callbacks)
        request_export(client, "meetings.agenda", meeting.code, django_capture_on_commit_callbacks)
        old, recent = ExportJob.objects.order_by("id")
        ExportJob.objects.filter(pk=old.pk).update(created_at=later(days=-7, minutes=-1))
        ExportJob.objects.filter(pk=recent.pk).update(created_at=later(days=-6, hours=-23))
        with django_capture_on_commit_callbacks(execute=True):
            tasks.delete_old_exports.delay()
        assert list(ExportJob.objects.all()) == [recent]
        assert exported_files(media_root) == [recent.file.name.removeprefix("exports/")]
        assert client.get(old.get_absolute_url()).status_code == 404
