"""Documents, versions, transitions, review comments and signatories in the Django admin, for fixing
data.

What the workflow keeps (statuses, who approved and signed, when, from which address, the files
uploaded through the site's content checks) is shown, not edited: the model marks those fields
non-editable. Transitions are the record of who moved a version where, so they are read-only too.
People, versions and decisions are picked by raw id and agencies by search, and every changelist
selects the rows it names with the rows it shows, so that a changelist costs the same number of
queries at 20,000 versions as at 20.
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from taskforce import decisions

from .models import Document, ReviewComment, Signatory, Transition, Version


class SavesAsNewVersion:
    """An admin change counts as an edit: forms opened on the site before it are told they are
    stale instead of overwriting it (see taskforce.forms.VersionedModelForm)."""

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


def refuse_agency_of_another_task_force(form, name, task_force_id):
    """The admin's pickers offer every agency of the installation: keep the record's own."""
    agency = form.cleaned_data.get(name)
    if task_force_id is not None and agency is not None and agency.task_force_id != task_force_id:
        form.add_error(name, "Choose an agency of the document's task force.")


# --- documents -----------------------------------------------------------------------------


class DocumentForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        task_force = cleaned_data.get("task_force")
        if task_force is not None:
            refuse_agency_of_another_task_force(self, "owner_agency", task_force.pk)
            shared = cleaned_data.get("shared_with") or []
            foreign = [agency.name for agency in shared if agency.task_force_id != task_force.pk]
            if foreign:
                self.add_error(
                    "shared_with", f"Not agencies of the document's task force: {', '.join(foreign)}."
                )
        return cleaned_data


class VersionInline(admin.TabularInline):
    """The document's versions at a glance; each is changed on its own page (new versions are
    made on the site, which numbers them and copies the signatories)."""

    model = Version
    extra = 0
    fields = ["number", "status", "change_summary", "effective_on", "expires_on", "approved_at", "author"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Document)
class DocumentAdmin(SavesAsNewVersion, SimpleHistoryAdmin):
    """Documents are created on the site, together with their first version."""

    form = DocumentForm
    list_display = ["title", "task_force", "kind", "category", "status", "owner_agency", "confidentiality",
                    "next_review_on"]  # fmt: skip
    list_filter = ["task_force", "kind", "status", "confidentiality", "category", "trafficking_type"]
    search_fields = ["title", "summary"]
    list_select_related = ["task_force", "owner_agency"]
    ordering = ["title", "id"]
    show_full_result_count = False
    autocomplete_fields = ["owner_agency", "shared_with"]
    readonly_fields = ["code", "status", "current_version", "next_review_on", "created_by", "created_at",
                       "updated_at"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["task_force", "kind", "category", "title", "summary", "code"]}),
        ("Who and what it covers", {"fields": ["owner_agency", "trafficking_type", "populations"]}),
        ("Who may read it", {"fields": ["confidentiality", "shared_with"]}),
        ("Status and dates", {"fields": ["status", "current_version", "review_every_months",
                                         "next_review_on", "created_by", "created_at", "updated_at"]}),
    ]  # fmt: skip
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False


# --- versions ------------------------------------------------------------------------------


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class ReviewCommentInline(admin.StackedInline):
    model = ReviewComment
    extra = 0
    fields = ["author", "agency", "body", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["author"]
    autocomplete_fields = ["agency"]


class SignatoryInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        task_force_id = self.instance.document.task_force_id if self.instance.document_id else None
        for form in self.forms:
            if hasattr(form, "cleaned_data") and not form.cleaned_data.get("DELETE"):
                refuse_agency_of_another_task_force(form, "agency", task_force_id)


class SignatoryInline(admin.TabularInline):
    model = Signatory
    formset = SignatoryInlineFormSet
    extra = 0
    fields = ["agency", "status", "needs_outside_approval", "approving_body", "outside_approval_on",
              "signer_name", "signer_title", "signed_on", "declined_reason"]  # fmt: skip
    readonly_fields = ["status", "signer_name", "signer_title", "signed_on", "declined_reason"]
    autocomplete_fields = ["agency"]
    show_change_link = True  # who signed, when, from where, and the signed page on its own page


class VersionForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        document, decision = self.instance.document, cleaned_data.get("approval_decision")
        if document and decision and not decisions.taken_in(document.task_force, decision):
            self.add_error("approval_decision", "Choose a decision of a meeting of this task force.")
        return cleaned_data


@admin.register(Version)
class VersionAdmin(SavesAsNewVersion, SimpleHistoryAdmin):
    """Versions are made on the site, which numbers them and copies the text and signatories; here
    one is corrected, never moved to another document."""

    form = VersionForm
    list_display = ["__str__", "number", "status", "effective_on", "expires_on", "approved_at", "author"]
    list_filter = ["status", "document__kind", "document__task_force"]
    search_fields = ["document__title", "change_summary"]
    list_select_related = ["document", "author"]
    ordering = ["-id"]
    show_full_result_count = False
    raw_id_fields = ["approved_by", "approval_decision"]
    # Files come in through the site, which checks them by content, and leave through its permission
    # check: here they are only named.
    readonly_fields = ["document", "code", "number", "status", "author", "approved_at", "file_name",
                       "file_content_type", "file_size", "created_at", "updated_at"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["document", "number", "code", "status", "change_summary", "author"]}),
        ("Text", {"fields": ["body", "file_name", "file_content_type", "file_size"]}),
        ("Dates and approval", {"fields": ["effective_on", "expires_on", "approved_at", "approved_by",
                                           "approval_decision", "created_at", "updated_at"]}),
    ]  # fmt: skip
    inlines = [SignatoryInline, ReviewCommentInline, TransitionInline]

    def has_add_permission(self, request):
        return False


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "at", "from_status", "to_status", "by", "note"]
    list_filter = ["to_status", "version__document__task_force"]
    search_fields = ["version__document__title", "note"]
    list_select_related = ["version__document", "by"]
    ordering = ["-id"]
    show_full_result_count = False
    fields = ["version", "at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "agency", "created_at"]
    list_filter = ["version__document__task_force"]
    search_fields = ["body", "author__full_name", "version__document__title"]
    list_select_related = ["author", "agency", "version__document"]
    ordering = ["-id"]
    show_full_result_count = False
    raw_id_fields = ["version", "author"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["code", "created_at"]


# --- signatories ---------------------------------------------------------------------------


class SignatoryForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        version = cleaned_data.get("version")
        if version is not None:
            refuse_agency_of_another_task_force(self, "agency", version.document.task_force_id)
        return cleaned_data


@admin.register(Signatory)
class SignatoryAdmin(SimpleHistoryAdmin):
    form = SignatoryForm
    list_display = ["agency", "version", "status", "needs_outside_approval", "signer_name", "signed_on"]
    list_filter = ["status", "version__status", "needs_outside_approval", "version__document__task_force"]
    search_fields = ["agency__name", "version__document__title", "signer_name"]
    list_select_related = ["agency", "version__document"]
    ordering = ["-id"]
    show_full_result_count = False
    raw_id_fields = ["version"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["code", "status", "signer", "signer_name", "signer_title", "signed_on", "answered_at",
                       "ip_address", "signed_page_name", "declined_reason", "created_at",
                       "updated_at"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["version", "agency", "code", "status"]}),
        ("Outside approval", {"fields": ["needs_outside_approval", "approving_body", "outside_approval_on"]}),
        ("Answer", {"fields": ["signer", "signer_name", "signer_title", "signed_on", "answered_at",
                               "ip_address", "signed_page_name", "declined_reason"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]  # fmt: skip
