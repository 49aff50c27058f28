from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import QueuedTask, SignInEvent, TaskForce


@admin.register(TaskForce)
class TaskForceAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["name", "slug", "jurisdiction", "mandate", "founded_on"]
    list_filter = ["mandate"]
    search_fields = ["name", "slug", "jurisdiction"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "email", "user", "ip_address"]
    list_filter = ["kind", "at"]
    search_fields = ["email", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    readonly_fields = ["kind", "user", "email", "ip_address", "user_agent", "at", "code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QueuedTask)
class QueuedTaskAdmin(admin.ModelAdmin):
    """The outbox, to see what waits for the broker or a worker; it is not edited by hand."""

    list_display = ["created_at", "task", "args", "published_at", "publications", "done_at"]
    list_filter = [("done_at", admin.EmptyFieldListFilter), "task"]
    search_fields = ["task"]
    date_hierarchy = "created_at"
    readonly_fields = ["code", "task", "args", "created_at", "published_at", "publications", "done_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
