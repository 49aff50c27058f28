"""Protocols jobs, run by Celery: thin tasks; the services make each one idempotent."""

from celery import shared_task

from .services import workflow


@shared_task
def apply_dates():
    """Hourly: approved versions whose day has come go in force, lapsed ones expire."""
    workflow.apply_dates()
