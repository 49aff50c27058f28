from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "taskforce.exports"
    label = "exports"
    verbose_name = "PDF exports"

    def ready(self):
        from taskforce.uploads import delete_files_with_rows

        from .models import ExportJob

        delete_files_with_rows(ExportJob, "file")
