from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import SignInEvent, TaskForce


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
