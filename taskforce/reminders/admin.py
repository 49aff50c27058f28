from django.contrib import admin

from .models import Digest, Notice, Preference


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["subject", "rule", "threshold", "recipient", "status", "channel", "created_at", "read_at"]
    list_filter = ["status", "kind", "channel", "rule"]
    search_fields = ["subject", "recipient__email", "recipient__full_name"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "task_force", "digest"]
    readonly_fields = ["code", "created_at", "claimed_at", "claim", "delivered_at"]
    date_hierarchy = "created_at"


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "week_of", "sent_at", "error"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__full_name"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at", "claimed_at", "sent_at"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel"]
    list_filter = ["kind", "channel"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]
