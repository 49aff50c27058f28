"""Forms of the library: a document's details, a version's text and file, the library's filters and
the choice of two versions to compare."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from members.models import Agency
from taskforce.forms import VersionedModelForm
from taskforce.taxonomy import PopulationsField
from taskforce.uploads import DOCX, MAX_UPLOAD_BYTES, PDF, describe, validate_upload

from ..models import Category, Confidentiality, Document, Kind, Status, TraffickingType, Version
from ..services import documents as services

SELECT = {"class": "form-select"}
FILE_KINDS = (PDF, DOCX)
MARKDOWN_HELP = (
    "Markdown: start a line with # for a heading (## for a smaller one), - for a list item, 1. for a "
    "numbered one; **bold**, *italic*, [a link](https://example.org). Leave a blank line between paragraphs."
)


def file_help():
    return (
        f"Optional: the signed or formatted copy, as a {describe(FILE_KINDS)} file of "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB at most."
    )


class VersionTextForm(forms.Form):
    """A version's text and file, shared by the forms that write one."""

    body = forms.CharField(
        label="Text",
        required=False,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}),
    )
    file = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = file_help()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload, FILE_KINDS)
        return upload


class DocumentForm(VersionedModelForm):
    """What a document is, who it covers and who may read it."""

    # Two ticks on the form, one trafficking type on the document.
    covers_sex_trafficking = forms.BooleanField(required=False, label="Covers sex trafficking")
    covers_labour_trafficking = forms.BooleanField(required=False, label="Covers labour trafficking")
    populations = PopulationsField(help_text="Leave all unticked if it covers everyone.")

    class Meta:
        model = Document
        fields = [
            "kind",
            "category",
            "title",
            "summary",
            "owner_agency",
            "covers_sex_trafficking",
            "covers_labour_trafficking",
            "populations",
            "confidentiality",
            "shared_with",
            "review_every_months",
        ]
        labels = {
            "category": "What the protocol is about",
            "owner_agency": "Owner agency",
            "confidentiality": "Who may read it",
            "shared_with": "Agencies that may read it",
            "review_every_months": "Review every (months)",
        }
        help_texts = {
            "category": "For protocols only.",
            "shared_with": "For “Named agencies only”: their people, besides the coordinators, may read it.",
        }
        widgets = {
            "kind": forms.Select(attrs=SELECT),
            "category": forms.Select(attrs=SELECT),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "owner_agency": forms.Select(attrs=SELECT),
            "confidentiality": forms.RadioSelect,
            "shared_with": forms.CheckboxSelectMultiple,
            "review_every_months": forms.NumberInput(attrs={"min": 1, "max": 120}),
        }

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(task_force=task_force).order_by("name", "id")
        self.fields["owner_agency"].queryset = agencies
        self.fields["owner_agency"].empty_label = "No agency in particular"
        self.fields["shared_with"].queryset = agencies
        self.fields["review_every_months"].validators += [MinValueValidator(1), MaxValueValidator(120)]
        self.fields["category"].choices = [("", "—"), *Category.choices]
        covered = TraffickingType.kinds(self.instance.trafficking_type)
        self.fields["covers_sex_trafficking"].initial = TraffickingType.SEX in covered
        self.fields["covers_labour_trafficking"].initial = TraffickingType.LABOUR in covered
        if self.instance.pk and self.instance.status != Status.DRAFT:
            # Its versions were reviewed (and for MOUs signed) as this kind of document.
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = "Fixed once a version has gone to review."

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.PROTOCOL:
            if not data.get("category"):
                self.add_error("category", "Choose what the protocol is about.")
        elif "category" in data:
            data["category"] = ""
        covers = TraffickingType.from_flags(
            data.get("covers_sex_trafficking"), data.get("covers_labour_trafficking")
        )
        if not covers:
            self.add_error(
                "covers_sex_trafficking", "Tick at least one: sex trafficking, labour trafficking or both."
            )
        self.instance.trafficking_type = covers
        if data.get("confidentiality") == Confidentiality.AGENCIES:
            if not data.get("shared_with"):
                self.add_error("shared_with", "Choose the agencies whose people may read it.")
        elif "shared_with" in data:
            data["shared_with"] = []
        return data

    def model_fields(self):
        """The document's own columns this form sets (shared_with is a separate table; the two
        ticks set trafficking_type)."""
        ticks = ("shared_with", "covers_sex_trafficking", "covers_labour_trafficking")
        return [*(name for name in self._meta.fields if name not in ticks), "trafficking_type"]

    def save(self):
        """The details, through the service (it locks the document and keeps its review date
        right); StaleEdit if someone saved it since this form was shown."""
        return services.update_document(
            self.instance,
            seen_version=self.cleaned_data["version"],
            fields=self.model_fields(),
            shared_with=self.cleaned_data["shared_with"],
        )


class DocumentCreateForm(VersionTextForm, DocumentForm):
    """A new document with the text of its first version."""

    change_summary = forms.CharField(
        max_length=300, initial="First draft", help_text="What this version is, in a line."
    )

    field_order = [*DocumentForm.Meta.fields, "body", "file", "change_summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]  # nothing to collide with yet

    def save(self, *, by):
        """The document and its version 1, a draft, in one transaction."""
        data = self.cleaned_data
        return services.create_document(
            self.instance,
            by=by,
            shared_with=data["shared_with"],
            body=data["body"],
            change_summary=data["change_summary"],
            upload=data["file"],
        )


class VersionCreateForm(VersionTextForm):
    """A new draft: the newest version's text to start from, and what this one will change."""

    change_summary = forms.CharField(
        max_length=300, help_text="What this version changes, in a line (you can edit it later)."
    )

    field_order = ["change_summary", "body", "file"]


class VersionForm(VersionTextForm, VersionedModelForm):
    """A draft's text, file and change summary; two people saving the same draft at once are told."""

    remove_file = forms.BooleanField(required=False, label="Remove the current file")

    class Meta:
        model = Version
        fields = ["change_summary", "body"]

    field_order = ["change_summary", "body", "file", "remove_file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.file:
            self.fields["file"].label = "Replace the file"
        else:
            del self.fields["remove_file"]

    def save(self):
        """The draft's text and file; StaleEdit if someone saved it since this form was shown,
        DocumentError once it is no longer a draft."""
        data = self.cleaned_data
        return services.update_version(
            self.instance,
            seen_version=data["version"],
            body=data["body"],
            change_summary=data["change_summary"],
            upload=data["file"],
            remove_file=data.get("remove_file", False),
        )


class DocumentFilterForm(forms.Form):
    TYPES = [("", "Any trafficking type"), ("sex", "Sex trafficking"), ("labour", "Labour trafficking")]

    q = forms.CharField(required=False, max_length=200, label="Search titles and text")
    kind = forms.ChoiceField(
        required=False, choices=[("", "All kinds"), *Kind.choices], widget=forms.Select(attrs=SELECT)
    )
    category = forms.ChoiceField(
        required=False,
        choices=[("", "All categories"), *Category.choices],
        widget=forms.Select(attrs=SELECT),
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Status.choices], widget=forms.Select(attrs=SELECT)
    )
    agency = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All agencies",
        to_field_name="code",
        widget=forms.Select(attrs=SELECT),
        help_text="Owner or signatory.",
    )
    type = forms.ChoiceField(required=False, choices=TYPES, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        # Not task_force.agencies.only(…): the related manager would reload each agency's task_force_id.
        agencies = Agency.objects.filter(task_force=task_force).only("code", "name")
        self.fields["agency"].queryset = agencies.order_by("name", "id")

    def usable_data(self):
        """The filters that are valid; a wrong value in one does not throw away the others."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(coerce=int, label="Compare", widget=forms.Select(attrs=SELECT))
    b = forms.TypedChoiceField(coerce=int, label="with", widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (version.number, f"{version.label} ({version.get_status_display()})") for version in versions
        ]
        self.fields["a"].choices = self.fields["b"].choices = choices
