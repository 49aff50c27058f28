"""The meetings in the Django admin, for fixing data.

People and meetings are picked by raw id (there are thousands of them), agencies, committees
and series by search, and every changelist selects the rows it shows with the rows it names, so
a changelist costs the same number of queries at 30,000 meetings as at 30. The biggest tables
skip the unfiltered total count and sort by id, which needs no join.
"""

from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from taskforce.pii import validate_no_pii

from .models import (
    ActionItem,
    AgendaItem,
    Attachment,
    CalendarFeed,
    Decision,
    Indicator,
    Invitee,
    Meeting,
    Series,
    StandingItem,
    TrendBrief,
    Vote,
)

ARTICLE = {"agency": "an", "meeting": "a"}
LINKS = {models.URLField: {"assume_scheme": "https"}}


def refuse_other_task_forces(form, task_force_id, names):
    """Refuse a named agency or meeting of another task force than the record's: the admin's
    pickers offer every one of the installation."""
    if task_force_id is None:
        return
    for name in names:
        chosen = form.cleaned_data.get(name)
        if chosen is not None and chosen.task_force_id != task_force_id:
            form.add_error(name, f"Choose {ARTICLE[name]} {name} of the same task force.")


class ParentTaskForceFormSet(forms.BaseInlineFormSet):
    """Inline rows whose agency must be of the task force of the record they are inlined in."""

    def parent_task_force_id(self):
        return self.instance.task_force_id

    def clean(self):
        super().clean()
        task_force_id = self.parent_task_force_id()
        for form in self.forms:
            if hasattr(form, "cleaned_data") and not form.cleaned_data.get("DELETE"):
                refuse_other_task_forces(form, task_force_id, ["agency"])


# --- series and meetings -----------------------------------------------------------------


@admin.register(Series)
class SeriesAdmin(SimpleHistoryAdmin):
    list_display = ["title", "task_force", "kind", "rule", "first_date", "start_time", "organiser"]
    list_filter = ["task_force", "kind", "audience", "confidential"]
    search_fields = ["title"]
    list_select_related = ["task_force", "organiser"]
    raw_id_fields = ["organiser"]
    autocomplete_fields = ["committee", "agencies"]
    readonly_fields = ["code"]
    formfield_overrides = LINKS


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "presenter", "minutes_allotted", "sensitivity"]
    raw_id_fields = ["presenter"]
    show_change_link = True  # description, notes, named agencies and files on the item's own page


class InviteeInline(admin.TabularInline):
    model = Invitee
    formset = ParentTaskForceFormSet
    extra = 0
    fields = ["user", "agency", "response", "attendance", "responded_at", "invited_at"]
    raw_id_fields = ["user", "agency"]


class DecisionInline(admin.StackedInline):
    model = Decision
    fk_name = "meeting"
    extra = 0
    fields = ["motion", "result", "moved_by", "seconded_by", "approves_minutes_of"]
    raw_id_fields = ["moved_by", "seconded_by", "approves_minutes_of"]
    show_change_link = True  # its votes are on the decision's own page


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "task_force", "kind", "starts_at", "status", "minutes_status", "confidential"]
    list_filter = ["task_force", "kind", "status", "minutes_status", "confidential", "audience"]
    search_fields = ["title"]
    list_select_related = ["task_force"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at", "-id"]
    show_full_result_count = False
    raw_id_fields = ["organiser"]
    autocomplete_fields = ["series", "committee", "agencies"]
    readonly_fields = ["code", "sequence"]
    formfield_overrides = LINKS
    fieldsets = [
        (None, {"fields": ["task_force", "title", "kind", "status", "code", "sequence"]}),
        ("When and where", {"fields": ["starts_at", "ends_at", "place", "video_link", "series"]}),
        ("Who", {"fields": ["organiser", "audience", "committee", "agencies", "confidential"]}),
        ("Details", {"fields": ["description", "cancel_reason", "minutes_status", "minutes_circulated_at"]}),
    ]
    inlines = [AgendaItemInline, InviteeInline, DecisionInline]


@admin.register(StandingItem)
class StandingItemAdmin(admin.ModelAdmin):
    list_display = ["title", "task_force", "position", "minutes_allotted", "sensitivity"]
    list_filter = ["task_force", "sensitivity"]
    search_fields = ["title"]
    list_select_related = ["task_force"]
    readonly_fields = ["code"]


# --- agenda --------------------------------------------------------------------------------


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["name", "file", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["uploaded_at"]
    raw_id_fields = ["uploaded_by"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "position", "sensitivity", "minutes_allotted", "presenter"]
    list_filter = ["sensitivity", "meeting__task_force"]
    search_fields = ["title", "meeting__title"]
    list_select_related = ["meeting", "presenter"]
    ordering = ["-id"]
    show_full_result_count = False
    raw_id_fields = ["meeting", "presenter", "standing_item"]
    autocomplete_fields = ["agencies"]
    readonly_fields = ["code"]
    inlines = [AttachmentInline]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "item", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["item__meeting__task_force", "content_type"]
    search_fields = ["name", "item__title"]
    list_select_related = ["item", "uploaded_by"]
    ordering = ["-id"]
    raw_id_fields = ["item", "uploaded_by"]
    readonly_fields = ["code", "uploaded_at"]


# --- attendance ----------------------------------------------------------------------------


class InviteeForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        meeting = cleaned_data.get("meeting")
        refuse_other_task_forces(self, meeting and meeting.task_force_id, ["agency"])
        return cleaned_data


@admin.register(Invitee)
class InviteeAdmin(admin.ModelAdmin):
    form = InviteeForm
    list_display = ["user", "meeting", "agency", "response", "attendance", "responded_at"]
    list_filter = ["response", "attendance", "meeting__task_force"]
    search_fields = ["user__full_name", "user__email", "meeting__title"]
    list_select_related = ["user", "meeting", "agency"]
    ordering = ["-id"]
    show_full_result_count = False
    raw_id_fields = ["meeting", "user", "agency"]


# --- decisions -----------------------------------------------------------------------------


class DecisionVoteFormSet(ParentTaskForceFormSet):
    def parent_task_force_id(self):
        meeting = Meeting.objects.filter(pk=self.instance.meeting_id).first()
        return meeting and meeting.task_force_id


class VoteInline(admin.TabularInline):
    model = Vote
    formset = DecisionVoteFormSet
    extra = 0
    fields = ["agency", "choice", "cast_by"]
    raw_id_fields = ["agency", "cast_by"]


class VoteForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        decision = cleaned_data.get("decision")
        refuse_other_task_forces(self, decision and decision.meeting.task_force_id, ["agency"])
        return cleaned_data


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "result", "approves_minutes_of", "created_at"]
    list_filter = ["result", "meeting__task_force"]
    search_fields = ["motion", "meeting__title"]
    list_select_related = ["meeting", "approves_minutes_of"]
    ordering = ["-id"]
    show_full_result_count = False
    raw_id_fields = ["meeting", "moved_by", "seconded_by", "approves_minutes_of", "recorded_by"]
    readonly_fields = ["code", "created_at"]
    inlines = [VoteInline]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    form = VoteForm
    list_display = ["decision", "agency", "choice", "cast_by"]
    list_filter = ["choice", "decision__meeting__task_force"]
    search_fields = ["agency__name", "decision__motion"]
    list_select_related = ["decision", "agency", "cast_by"]
    ordering = ["-id"]
    show_full_result_count = False
    raw_id_fields = ["decision", "agency", "cast_by"]


# --- action items --------------------------------------------------------------------------


class ActionItemForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        task_force = cleaned_data.get("task_force")
        refuse_other_task_forces(self, task_force and task_force.pk, ["agency", "meeting"])
        return cleaned_data


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    form = ActionItemForm
    list_display = ["title", "task_force", "assignee", "agency", "due_on", "status"]
    list_filter = ["status", "task_force"]
    search_fields = ["title", "assignee__full_name", "assignee__email"]
    list_select_related = ["task_force", "assignee", "agency"]
    date_hierarchy = "due_on"
    ordering = ["-due_on", "-id"]
    show_full_result_count = False
    raw_id_fields = ["assignee", "meeting", "created_by"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["code", "completed_at"]


# --- trend briefs --------------------------------------------------------------------------


class TrendBriefForm(forms.ModelForm):
    """The same refusals as the site's form: indicators from the list, no personal data in the text."""

    indicators = forms.MultipleChoiceField(
        choices=Indicator.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("area", "summary"):
            self.fields[name].validators.append(validate_no_pii)

    def clean(self):
        cleaned_data = super().clean()
        task_force = cleaned_data.get("task_force")
        refuse_other_task_forces(self, task_force and task_force.pk, ["agency", "meeting"])
        return cleaned_data


@admin.register(TrendBrief)
class TrendBriefAdmin(admin.ModelAdmin):
    form = TrendBriefForm
    list_display = [
        "__str__",
        "task_force",
        "trafficking_type",
        "industry",
        "period_start",
        "count_range",
        "reporting_sector",
    ]
    list_filter = ["trafficking_type", "industry", "reporting_sector", "count_range", "task_force"]
    search_fields = ["area", "summary"]
    list_select_related = ["task_force"]
    ordering = ["-period_start", "-id"]
    raw_id_fields = ["meeting", "submitted_by"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["code", "created_at"]


# --- calendar feeds ------------------------------------------------------------------------


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "generation"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user"]
    ordering = ["-id"]
    raw_id_fields = ["user"]
