"""The outbox of Celery tasks asked for by web requests (emails of invitations, meeting updates,
cancellations and nudges). `enqueue` records the task in the caller's transaction and publishes
it once that commits; if the broker is down, the page still answers and the row waits. Every
minute `publish_pending` publishes what the broker never got, and again what no worker has run
after REPUBLISH_AFTER (a message lost with a Redis restart, or a run that failed: the mail
server was down), MAX_PUBLICATIONS times at most. A worker marks the row done when
the task has run. The tasks themselves are idempotent, so one run twice sends nothing twice."""

import logging
from datetime import timedelta
from importlib import import_module

from celery.signals import task_postrun
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import QueuedTask

log = logging.getLogger(__name__)

REPUBLISH_AFTER = timedelta(minutes=10)
MAX_PUBLICATIONS = 5  # then it is left, not done, for an admin to see (Queued tasks in the admin)
KEEP_DONE = timedelta(days=7)
BATCH = 200


def publish_after():
    """What the request did not publish (the broker was down) waits this long: sooner would race
    a request still publishing it."""
    return timedelta(seconds=settings.OUTBOX_PUBLISH_AFTER)


def enqueue(task, *args):
    """Record `task(*args)` (args: JSON values) and publish it after the commit. `task` is a
    Celery task or its name: by name, a service queues its app's task without importing it."""
    name = task if isinstance(task, str) else task.name
    queued = QueuedTask.objects.create(task=name, args=list(args))
    transaction.on_commit(lambda: publish([queued.pk]))
    return queued


def find_task(name):
    """The Celery task of this name, its module imported if nothing imported it yet."""
    from .celery import app

    if name not in app.tasks:
        try:
            import_module(name.rpartition(".")[0])
        except (ImportError, ValueError):  # no such module, or no module in the name
            return None
    return app.tasks.get(name)


def enqueue_many(task, args_lists):
    """Record `task(*args)` for each list of args, in one query, and publish them after the commit."""
    name = task if isinstance(task, str) else task.name
    queued = QueuedTask.objects.bulk_create([QueuedTask(task=name, args=list(args)) for args in args_lists])
    ids = [row.pk for row in queued]
    if ids:
        transaction.on_commit(lambda: publish(ids))
    return queued


def publish(ids):
    """Hand the tasks to the broker; those it refuses stay for publish_pending. The ids published."""
    published = []
    for queued in QueuedTask.objects.filter(pk__in=ids, done_at__isnull=True).order_by("pk"):
        task = find_task(queued.task)
        if task is None:
            log.error("outbox: no task %s in this code: %s stays, for an admin to see", queued.task, queued)
            continue
        try:
            task.apply_async(args=queued.args, task_id=str(queued.code), retry=False)
        except Exception as error:  # noqa: BLE001 — whatever the broker raised, the row keeps the work
            log.warning("outbox: could not publish %s, it waits for the next run: %s", queued, error)
            break
        published.append(queued.pk)
    if published:
        QueuedTask.objects.filter(pk__in=published).update(
            published_at=timezone.now(), publications=F("publications") + 1
        )
    return published


def publish_pending(now=None):
    """Every minute (the beat schedule): publish what is waiting; forget what was done long ago."""
    now = now or timezone.now()
    QueuedTask.objects.filter(done_at__lt=now - KEEP_DONE).delete()
    waiting = (
        QueuedTask.objects.filter(done_at__isnull=True)
        .filter(
            Q(published_at__isnull=True, created_at__lt=now - publish_after())
            | Q(published_at__lt=now - REPUBLISH_AFTER, publications__lt=MAX_PUBLICATIONS)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    return publish(list(waiting))


@task_postrun.connect
def mark_done(task_id=None, state=None, **kwargs):
    """A task that ran to the end is not published again; one that failed is, a while later."""
    if state == "SUCCESS":
        QueuedTask.objects.filter(code=task_id, done_at__isnull=True).update(done_at=timezone.now())
