from django.apps import AppConfig


class TaskforceConfig(AppConfig):
    name = "taskforce"
    verbose_name = "Task force"

    def ready(self):
        # Connect the sign-in signal receivers; declare the handbook export and its first section.
        from . import audit, handbook  # noqa: F401
        from .celery import ensure_broker_folders

        ensure_broker_folders()
