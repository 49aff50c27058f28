"""Export tasks: thin, taking ids; the services make each one idempotent."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_export(job_id):
    services.run_export(job_id)


@shared_task
def publish_pending():
    """Every minute (CELERY_BEAT_SCHEDULE): the outbox of jobs the broker has not got yet."""
    services.publish_pending()


@shared_task
def delete_old_exports():
    """Hourly: exports older than seven days go, files and rows."""
    services.delete_old()
