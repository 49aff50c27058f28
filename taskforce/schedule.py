"""The beat schedule's starting point. Celery beat reads the schedule from the database
(django-celery-beat's DatabaseScheduler), where an admin changes it; after each migrate, an
entry missing from the database is created from here, and an existing one is left as the admin
set it (CELERY_BEAT_SCHEDULE would be written over the admin's change at every beat start).
To stop one, untick "Enabled" in the admin: a deleted entry comes back at the next migrate."""

from django.db import transaction

MINUTE, HOUR, DAY = 60, 60 * 60, 24 * 60 * 60

# name: (task, every how many seconds)
DEFAULT_SCHEDULE = {
    "clear-expired-sessions": ("members.tasks.clear_expired_sessions", HOUR),
    "send-due-meeting-invitations": ("meetings.tasks.send_due_invitations", DAY),
    "protocols-apply-dates": ("protocols.tasks.apply_dates", HOUR),
    "reminders-sweep": ("taskforce.reminders.tasks.sweep", 15 * MINUTE),
    "reminders-send-digests": ("taskforce.reminders.tasks.send_digests", HOUR),
    "exports-requeue-stuck": ("taskforce.exports.tasks.requeue_stuck", MINUTE),
    "outbox-publish-pending": ("taskforce.tasks.publish_outbox", MINUTE),
    "exports-delete-old": ("taskforce.exports.tasks.delete_old_exports", HOUR),
}


def install_schedule(using="default", **kwargs):
    """Create the entries the database lacks (connected to post_migrate); the names created."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    created = []
    with transaction.atomic(using=using):
        existing = set(PeriodicTask.objects.using(using).values_list("name", flat=True))
        for name, (task, seconds) in DEFAULT_SCHEDULE.items():
            if name in existing:
                continue
            interval, _ = IntervalSchedule.objects.using(using).get_or_create(
                every=seconds, period=IntervalSchedule.SECONDS
            )
            PeriodicTask.objects.using(using).create(name=name, task=task, interval=interval)
            created.append(name)
    return created
