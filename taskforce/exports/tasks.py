"""Export tasks: thin, taking ids; the services make each one idempotent."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_export(job_id):
    services.run_export(job_id)


@shared_task
def requeue_stuck():
    """Every minute (taskforce/schedule.py): jobs whose worker died are queued again."""
    services.requeue_stuck()


@shared_task
def delete_old_exports():
    """Hourly: exports older than seven days go, files and rows."""
    services.delete_old()
