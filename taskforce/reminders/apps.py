from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "taskforce.reminders"
    label = "reminders"
    verbose_name = "Reminders and notices"
