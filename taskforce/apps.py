from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TaskforceConfig(AppConfig):
    name = "taskforce"
    verbose_name = "Task force"

    def ready(self):
        # Connect the sign-in and task signal receivers; declare the handbook export and its first section.
        from . import audit, handbook, outbox  # noqa: F401
        from .celery import ensure_broker_folders
        from .schedule import install_schedule

        ensure_broker_folders()
        post_migrate.connect(install_schedule, sender=self, dispatch_uid="taskforce-install-schedule")
