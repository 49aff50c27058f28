from django import forms
from django.db.models import Q

from members.models import User
from taskforce.forms import VersionedModelForm
from taskforce.pii import NoPiiValidator
from taskforce.uploads import DOCUMENTS, describe, validate_upload

from ..models import AgendaItem, Sensitivity, StandingItem

SELECT = {"class": "form-select"}


class AgendaItemForm(VersionedModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description", "presenter", "minutes_allotted", "sensitivity", "agencies"]
        labels = {"minutes_allotted": "Minutes allotted", "sensitivity": "Who may read it"}
        help_texts = {
            "description": (
                "What the item is about and what the meeting should decide. Never a victim's details."
            ),
            "agencies": "For “Named agencies only”: the agencies whose people may read the item.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "presenter": forms.Select(attrs=SELECT),
            "sensitivity": forms.Select(attrs=SELECT),
            "agencies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        active = Q(memberships__task_force=task_force, memberships__ended_on__isnull=True)
        if self.instance.presenter_id:  # someone who has since left stays selectable on their own item
            active |= Q(pk=self.instance.presenter_id)
        self.fields["presenter"].queryset = User.objects.filter(active).distinct().order_by("full_name", "id")
        self.fields["presenter"].empty_label = "Nobody in particular"
        self.fields["agencies"].queryset = task_force.agencies.order_by("name", "id")

    def clean(self):
        data = super().clean()
        if data.get("sensitivity") == Sensitivity.AGENCIES:
            if not data.get("agencies"):
                self.add_error("agencies", "Choose the agencies whose people may read this item.")
        elif "agencies" in data:
            data["agencies"] = []
        return data


class AgendaItemNotesForm(VersionedModelForm):
    class Meta:
        model = AgendaItem
        fields = ["notes"]
        labels = {"notes": "Minutes of this item"}
        help_texts = {
            "notes": (
                "What was reported, discussed and agreed. Never a victim's name or other identifying details."
            )
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Minutes travel far (circulated, printed): the same check as trend briefs.
        self.fields["notes"].validators.append(
            NoPiiValidator("Minutes record what agencies did and agreed, never who a victim is.")
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Attach a file",
        help_text=f"{describe(DOCUMENTS)}; 20 MB at most.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = validate_upload(upload, DOCUMENTS)
        return upload


class StandingItemForm(forms.ModelForm):
    class Meta:
        model = StandingItem
        fields = ["title", "description", "minutes_allotted", "sensitivity", "position"]
        labels = {
            "minutes_allotted": "Minutes allotted",
            "sensitivity": "Who may read it",
            "position": "Place on the agenda",
        }
        help_texts = {
            "position": "Standing items are put on agendas in this order, lowest number first.",
            "description": "Copied onto every new agenda; the organiser can change it there.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "sensitivity": forms.Select(attrs=SELECT),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A standing item names no agencies, so "named agencies only" would hide it from everyone.
        self.fields["sensitivity"].choices = [
            choice for choice in Sensitivity.choices if choice[0] != Sensitivity.AGENCIES
        ]
