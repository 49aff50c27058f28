"""Reminder tasks, run by Celery beat: thin, idempotent (the notice log's unique key and the
conditional claims make a retried or doubled run send nothing twice)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep():
    recorded, delivered = services.sweep()
    return {"recorded": recorded, "delivered": delivered}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_digests():
    return services.send_digests()
