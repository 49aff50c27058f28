"""Forms for inviting people to a meeting and recording who attended."""

from django import forms
from django.db.models import Exists, OuterRef

from members.models import Membership, Role, User

from ..models import Invitee

ATTENDANCE_PREFIX = "attendance_"
ATTENDANCE_CHOICES = [
    (Invitee.Attendance.PRESENT, "Present"),
    (Invitee.Attendance.ABSENT, "Absent"),
    (Invitee.Attendance.EXCUSED, "Excused"),
]


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class InviteForm(forms.Form):
    """Whom to add: any mix of the whole task force, a committee, agencies and people."""

    whole = forms.BooleanField(
        label="The whole task force",
        required=False,
        help_text="Every active member of the task force.",
    )
    committee = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No committee",
        help_text="The committee's chair and members.",
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="Everyone who is an active member for these agencies.",
    )
    people = PersonMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (Cmd on a Mac) to choose more than one.",
    )

    def __init__(self, *args, task_force, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = task_force.committees.order_by("name", "id")
        self.fields["agencies"].queryset = task_force.agencies.order_by("name", "id")
        members = Membership.objects.active().filter(task_force=task_force, user=OuterRef("pk"))
        if meeting.confidential:
            members = members.exclude(role=Role.OBSERVER)
            self.fields["people"].help_text += " Observers cannot be invited to a confidential meeting."
        self.fields["people"].queryset = User.objects.filter(Exists(members), is_active=True).order_by(
            "full_name", "id"
        )

    def clean(self):
        data = super().clean()
        if not (data.get("whole") or data.get("committee") or data.get("agencies") or data.get("people")):
            raise forms.ValidationError(
                "Choose whom to invite: the whole task force, a committee, agencies or people."
            )
        return data


class AttendanceForm(forms.Form):
    """One present / absent / excused choice per invitee; a row left empty stays "not recorded"."""

    def __init__(self, *args, invitees, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitees = list(invitees)
        initial = self.initial
        for invitee in self.invitees:
            self.fields[f"{ATTENDANCE_PREFIX}{invitee.pk}"] = forms.ChoiceField(
                label=invitee.user.full_name or invitee.user.email,
                choices=ATTENDANCE_CHOICES,
                required=False,
                initial=initial.get(invitee.pk, invitee.attendance),
                widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
            )

    def rows(self):
        """(invitee, its bound field), for the attendance table."""
        return [(invitee, self[f"{ATTENDANCE_PREFIX}{invitee.pk}"]) for invitee in self.invitees]

    def attendance(self):
        """{invitee id: attendance} from the cleaned form."""
        return {
            invitee.pk: self.cleaned_data[f"{ATTENDANCE_PREFIX}{invitee.pk}"] or Invitee.Attendance.UNKNOWN
            for invitee in self.invitees
        }
