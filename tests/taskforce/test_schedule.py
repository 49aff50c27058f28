"""The beat schedule lives in the database: created after migrate, and what an admin changes
there stays changed when beat starts again."""

from datetime import timedelta
from unittest import mock

from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from taskforce.celery import app
from taskforce.schedule import DEFAULT_SCHEDULE, install_schedule


def beat_schedule():
    """What a starting beat process would run: {name: seconds between runs}. (Beat closes stale
    database connections as it goes; inside the test's transaction that would end the test.)"""
    scheduler = DatabaseScheduler(app=app, lazy=True)
    with mock.patch("django_celery_beat.schedulers.close_old_connections"):
        scheduler.setup_schedule()
        entries = scheduler.all_as_schedule()
    return {
        name: entry.schedule.run_every.total_seconds()
        for name, entry in entries.items()
        if name in DEFAULT_SCHEDULE
    }


def test_migrate_installs_every_entry(db):
    app.loader.import_default_modules()  # what a worker does as it starts: find every tasks module
    rows = {row.name: row for row in PeriodicTask.objects.select_related("interval")}
    for name, (task, seconds) in DEFAULT_SCHEDULE.items():
        assert rows[name].task == task
        assert task in app.tasks, f"{task} is not a registered task"
        assert rows[name].enabled
        assert rows[name].interval.schedule.run_every == timedelta(seconds=seconds)
    assert beat_schedule() == {name: seconds for name, (task, seconds) in DEFAULT_SCHEDULE.items()}


def test_an_admins_change_survives_migrate_and_a_beat_start(db):
    half_hour, _ = IntervalSchedule.objects.get_or_create(every=30, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.filter(name="reminders-sweep").update(interval=half_hour)
    PeriodicTask.objects.filter(name="exports-delete-old").update(enabled=False)

    assert install_schedule() == []
    schedule = beat_schedule()

    assert schedule["reminders-sweep"] == 30 * 60
    assert "exports-delete-old" not in schedule
    assert not PeriodicTask.objects.get(name="exports-delete-old").enabled


def test_a_deleted_entry_comes_back(db):
    PeriodicTask.objects.filter(name="reminders-send-digests").delete()

    assert install_schedule() == ["reminders-send-digests"]
    assert install_schedule() == []
    assert PeriodicTask.objects.filter(name="reminders-send-digests").count() == 1
