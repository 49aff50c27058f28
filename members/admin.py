from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.db.models import Count, Q
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from taskforce.models import TaskForce

from . import access, services
from .models import Agency, Committee, Invitation, Membership, User, UserSession


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["task_force", "agency", "role", "started_on", "ended_on", "end_reason"]
    autocomplete_fields = ["agency"]
    show_change_link = True


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["full_name", "id"]
    list_display = ["email", "full_name", "job_title", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__task_force",
                   "expertise_trafficking_type"]  # fmt: skip
    search_fields = ["email", "full_name", "job_title"]
    readonly_fields = ["code", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password", "code"]}),
        ("Person", {"fields": ["full_name", "job_title", "work_phone"]}),
        ("Expertise", {"fields": ["expertise_trafficking_type", "expertise_populations", "expertise"]}),
        (
            "Access",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    inlines = [MembershipInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for task_force in TaskForce.objects.all():  # memberships may have been edited inline
            access.sync_grants(form.instance, task_force)


@admin.register(Agency)
class AgencyAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["name", "task_force", "sector", "jurisdiction_level", "phone"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["task_force", "sector", "jurisdiction_level"]
    search_fields = ["name"]
    list_select_related = ["task_force"]
    readonly_fields = ["code"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "task_force", "agency", "role", "started_on", "ended_on"]
    list_filter = ["task_force", "role", "ended_on"]
    search_fields = ["user__full_name", "user__email", "agency__name"]
    list_select_related = ["user", "task_force", "agency"]
    autocomplete_fields = ["user", "agency"]
    readonly_fields = ["code"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        access.sync_grants(obj.user, obj.task_force)
        if obj.ended_on:
            services.end_sessions(obj.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        access.sync_grants(obj.user, obj.task_force)
        services.end_sessions(obj.user)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "task_force",
        "agency",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["task_force", "role"]
    search_fields = ["email", "full_name"]
    list_select_related = ["task_force", "agency"]
    readonly_fields = ["code", "created_at", "accepted_at", "accepted_by", "invited_by"]


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "session_key", "created_at"]


class CommitteeForm(forms.ModelForm):
    """A committee's chair and members are people of its own task force."""

    def clean(self):
        cleaned_data = super().clean()
        task_force = cleaned_data.get("task_force")
        if task_force is None:
            return cleaned_data
        people = set(
            Membership.objects.active().filter(task_force=task_force).values_list("user_id", flat=True)
        )
        chair = cleaned_data.get("chair")
        if chair is not None and chair.pk not in people:
            self.add_error("chair", "Choose a person with an active membership of the task force.")
        outsiders = [person for person in cleaned_data.get("members") or [] if person.pk not in people]
        if outsiders:
            names = ", ".join(str(person) for person in outsiders)
            self.add_error("members", f"Not members of the task force: {names}.")
        return cleaned_data


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    form = CommitteeForm
    list_display = ["name", "task_force", "chair", "member_count"]
    list_filter = ["task_force"]
    search_fields = ["name", "purpose"]
    list_select_related = ["task_force", "chair"]
    raw_id_fields = ["chair"]
    filter_horizontal = ["members"]
    readonly_fields = ["code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members", distinct=True))

    @admin.display(description="members", ordering="member_count")
    def member_count(self, committee):
        return committee.member_count

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:  # offer the task force's people only, not the whole installation's
            active = Q(memberships__task_force=obj.task_force_id, memberships__ended_on__isnull=True)
            people = User.objects.filter(active | Q(committees=obj)).distinct()
            form.base_fields["members"].queryset = people
        return form
