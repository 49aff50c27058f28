from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        # Turnover (hand over open action items) and demo/scale data plug into members' signals.
        from . import decisions, demo, exports, reminders, scale, signals  # noqa: F401
