"""Exports: request (the row, and its task queued through the outbox, in one transaction), run
(claimed by a conditional update, so a repeated message or a second worker does nothing), put
back in the queue what lost its worker, and delete what is old."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from members import access
from taskforce import outbox
from taskforce.pdf import render_pdf

from . import registry
from .models import KEEP_FOR, ExportJob, export_file_path

logger = logging.getLogger(__name__)

Status = ExportJob.Status

RENDER_TASK = "taskforce.exports.tasks.render_export"
BATCH = 200

NOT_VISIBLE = "You can no longer see what this export would contain, so it was not made."
RENDER_FAILED = "The PDF could not be made. Try again; if it fails again, tell a coordinator."
GAVE_UP = "The export stopped {n} times before it was finished, so it was given up. Try again later."


def running_timeout():
    """A job "running" longer than this lost its worker and goes back to the queue."""
    return timedelta(seconds=getattr(settings, "EXPORTS_RUNNING_TIMEOUT", 10 * 60))


def max_attempts():
    return getattr(settings, "EXPORTS_MAX_ATTEMPTS", 3)


def resolve(kind, user, target_code):
    """The task force and the target of an export, as `user` may see them: Http404 otherwise."""
    try:
        slug = kind.task_force_slug(target_code)
    except (ValidationError, ValueError) as error:
        raise Http404("No such item.") from error
    if slug is None:
        raise Http404("No such item.")
    task_force = access.get_task_force_for_user(user, slug)
    return task_force, kind.get_target(user, task_force, target_code)


def get_kind(name):
    try:
        return registry.get(name)
    except KeyError as error:
        raise Http404("No such kind of export.") from error


def request_export(user, kind_name, target_code):
    """The job for this person and target: one already under way, or a new one whose task the
    outbox publishes once the row is committed. Raises Http404 if they may not see the target."""
    kind = get_kind(kind_name)
    task_force, target = resolve(kind, user, target_code)
    target_code = str(target_code)
    under_way = ExportJob.objects.active().filter(owner=user, kind=kind.name, target_code=target_code).first()
    if under_way is not None:
        return under_way
    with transaction.atomic():
        with timezone.override(task_force.time_zone):
            title = kind.title(target)
        job = ExportJob.objects.create(
            owner=user, task_force=task_force, kind=kind.name, target_code=target_code, title=title[:300]
        )
        outbox.enqueue(RENDER_TASK, job.pk)
    return job


def run_export(job_id):
    """Render one job, if it is still queued; otherwise (done, taken by another worker, deleted)
    do nothing."""
    started = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=started, progress=5, attempts=F("attempts") + 1, error=""
    )
    if claimed != 1:
        return
    job = ExportJob.objects.select_related("owner", "task_force").get(pk=job_id)
    # Only this run may move the job on: a job put back in the queue has a higher attempt.
    this_run = ExportJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=job.attempts)
    try:
        kind = registry.get(job.kind)
        with timezone.override(job.task_force.time_zone):
            task_force, target = resolve(kind, job.owner, job.target_code)
            context = kind.get_context(job.owner, task_force, target)
            context.update(task_force=task_force, reader=job.owner, generated_at=started)
            this_run.update(progress=30)
            pdf = render_pdf(kind.template_name, context)
            file_name = kind.file_name(target)
    except (Http404, PermissionDenied):
        this_run.update(status=Status.FAILED, error=NOT_VISIBLE, finished_at=timezone.now())
        return
    except Exception:
        logger.exception("exports: job %s (%s) failed", job.pk, job.kind)
        this_run.update(status=Status.FAILED, error=RENDER_FAILED, finished_at=timezone.now())
        return
    this_run.update(progress=90)
    name = default_storage.save(export_file_path(job, file_name), ContentFile(pdf))
    finished = this_run.update(
        status=Status.DONE, progress=100, file=name, file_name=file_name, finished_at=timezone.now()
    )
    if finished != 1:
        default_storage.delete(name)


def requeue_stuck(now=None):
    """Every minute: jobs whose worker died go back to the queue, their task queued again through
    the outbox, or fail after too many tries. The ids of the jobs queued again."""
    now = now or timezone.now()
    stuck = ExportJob.objects.filter(status=Status.RUNNING, started_at__lt=now - running_timeout())
    stuck.filter(attempts__gte=max_attempts()).update(
        status=Status.FAILED, error=GAVE_UP.format(n=max_attempts()), finished_at=now
    )
    with transaction.atomic():
        ids = list(
            stuck.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)[:BATCH]
        )
        ExportJob.objects.filter(pk__in=ids).update(status=Status.QUEUED, progress=0)
        outbox.enqueue_many(RENDER_TASK, [[pk] for pk in ids])
    if ids:
        logger.warning("exports: %s job(s) stuck running went back to the queue", len(ids))
    return ids


def delete_old(now=None):
    """Exports (rows and files) are kept for KEEP_FOR; the files go when their rows' deletion is
    committed (taskforce.uploads.delete_files_with_rows)."""
    now = now or timezone.now()
    deleted = 0
    while True:
        ids = list(
            ExportJob.objects.filter(created_at__lt=now - KEEP_FOR).values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return deleted
        with transaction.atomic():
            deleted += ExportJob.objects.filter(pk__in=ids).delete()[1].get(ExportJob._meta.label, 0)
