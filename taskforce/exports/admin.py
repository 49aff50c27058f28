from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "task_force", "status", "progress", "attempts", "created_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["title", "owner__email", "code", "target_code"]
    date_hierarchy = "created_at"
    list_select_related = ["owner", "task_force"]
    readonly_fields = [
        "code",
        "owner",
        "task_force",
        "kind",
        "target_code",
        "title",
        "progress",
        "file",
        "file_name",
        "attempts",
        "created_at",
        "started_at",
        "finished_at",
    ]
    # An admin may fail a stuck job or correct its error text; nothing else is theirs to edit.
    fields = [*readonly_fields[:6], "status", "error", *readonly_fields[6:]]

    def has_add_permission(self, request):
        return False
