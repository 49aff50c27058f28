import zoneinfo

from django import forms
from django.db import transaction
from django.db.models import F

from .models import QuorumRule, TaskForce

STALE_EDIT_MESSAGE = (
    "Someone else saved a change to this record while you were editing it. "
    "Reload the page to see their change, then make yours again."
)


class StaleEdit(Exception):
    pass


class VersionedModelForm(forms.ModelForm):
    """A form for a record with a version number: saving over someone else's newer change
    is refused instead of silently overwriting it."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    @transaction.atomic
    def save(self, commit=True):
        instance = self.instance
        if instance.pk is None:
            return super().save(commit)
        seen = self.cleaned_data["version"]
        bumped = self._meta.model._default_manager.filter(pk=instance.pk, version=seen).update(
            version=F("version") + 1
        )
        if bumped != 1:
            raise StaleEdit
        instance.version = seen + 1
        return super().save(commit)


class TaskForceForm(VersionedModelForm):
    time_zone = forms.ChoiceField(
        choices=[(name, name) for name in sorted(zoneinfo.available_timezones())],
        help_text="Meeting times and due dates are shown in this time zone.",
    )

    class Meta:
        model = TaskForce
        fields = [
            "name",
            "jurisdiction",
            "mission",
            "purpose",
            "mandate",
            "legal_citation",
            "founded_on",
            "time_zone",
            "quorum_rule",
            "quorum_agencies",
        ]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "founded_on": forms.DateInput(attrs={"type": "date"}),
            "quorum_rule": forms.Select(attrs={"class": "form-select"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("quorum_rule") == QuorumRule.FIXED_AGENCIES and not data.get("quorum_agencies"):
            self.add_error(
                "quorum_agencies", "Say how many agencies make a quorum under the fixed-number rule."
            )
        return data
