"""Forms of the workflow: approving a version, returning it to draft, retiring a document,
and a reviewer's comment."""

from django import forms

from taskforce import decisions

DATE = {"type": "date"}


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        cited = decisions.source().cite(obj)
        motion = cited.motion if len(cited.motion) <= 90 else f"{cited.motion[:89]}…"
        return f"{cited.taken_at}, {cited.taken_on:%d %b %Y}: {motion}"


class ApproveForm(forms.Form):
    effective_on = forms.DateField(
        label="In force from",
        widget=forms.DateInput(attrs=DATE),
        help_text="The day it takes effect. Today or earlier puts it in force now"
        " (an MOU once every agency has signed).",
    )
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text="The last day it binds is the day before; leave empty for never.",
    )
    approval_decision = DecisionChoiceField(
        queryset=None,  # the task force's adopted decisions, set in __init__
        required=False,
        to_field_name="code",
        label="Approved by the meeting decision",
        empty_label="No meeting decision",
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text="Decisions adopted at this task force's meetings, newest first.",
    )
    note = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Anything the record should say about this approval.",
    )

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approval_decision"].queryset = decisions.source().adopted(task_force)

    def clean(self):
        data = super().clean()
        effective_on, expires_on = data.get("effective_on"), data.get("expires_on")
        if effective_on and expires_on and expires_on <= effective_on:
            self.add_error("expires_on", "The expiry date must come after the day it takes effect.")
        return data


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="What needs changing",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what needs changing before you return the version to draft."},
    )


class RetireForm(forms.Form):
    note = forms.CharField(
        label="Why it is retired",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="E.g. replaced by the regional protocol, or the program it covered has ended.",
        error_messages={"required": "Say why the document is retired."},
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write your comment first."},
    )
