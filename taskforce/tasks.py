"""Tasks of the task force app itself."""

from celery import shared_task

from . import outbox


@shared_task
def publish_outbox():
    """Every minute (taskforce/schedule.py): the outbox's tasks the broker has not got, or that no
    worker has run."""
    outbox.publish_pending()
