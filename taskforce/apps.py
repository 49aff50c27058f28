from django.apps import AppConfig


class TaskforceConfig(AppConfig):
    name = "taskforce"
    verbose_name = "Task force"

    def ready(self):
        from . import audit  # noqa: F401  (connects the sign-in signal receivers)
        from .celery import ensure_broker_folders

        ensure_broker_folders()
