from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "protocols"
    verbose_name = "Protocols and MOUs"

    def ready(self):
        # Demo and scale data plug into members' signals; stored files go with their rows.
        from . import demo, exports, handbook, reminders, scale, signals  # noqa: F401
