"""Forms for decisions and votes, the decisions log and action items."""

from django import forms
from django.db.models import Exists, OuterRef, Q

from members import access
from members.models import Agency, Membership, Role, User
from taskforce.forms import VersionedModelForm

from ..models import ActionItem, Decision, Meeting, Vote

SELECT = {"class": "form-select"}
VOTE_PREFIX = "vote_"
NOT_VOTED = ""
VOTE_CHOICES = [(NOT_VOTED, "Did not vote"), *Vote.Choice.choices]


def _person_label(user):
    return user.full_name or user.email


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.starts_at:%d %b %Y})"


class DecisionForm(forms.Form):
    """The motion, who moved and seconded it, the result and one vote per invited agency."""

    motion = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="What was decided, as the motion was put."
    )
    moved_by = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="Not recorded",
        widget=forms.Select(attrs=SELECT),
        help_text="People invited to this meeting.",
    )
    seconded_by = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="Not recorded",
        widget=forms.Select(attrs=SELECT),
    )
    result = forms.ChoiceField(
        choices=[("", "Take it from the votes"), *Decision.Result.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=(
            "When agencies voted, leave this as “Take it from the votes”: the motion carries when more "
            "agencies vote for than against (abstentions do not count). A result you choose must agree "
            "with the votes. Without votes, choose the result."
        ),
    )
    approves_minutes_of = MeetingChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        to_field_name="code",
        label="Approves the minutes of",
        empty_label="No: this decision approves no minutes",
        widget=forms.Select(attrs=SELECT),
        help_text="Earlier meetings whose minutes are circulated and not yet approved.",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        invited = User.objects.filter(meeting_invitations__meeting=meeting).order_by("full_name", "id")
        self.fields["moved_by"].queryset = invited
        self.fields["seconded_by"].queryset = invited
        # Any meeting of the task force is accepted here, so that the service can say precisely why
        # a draft, already approved or later meeting cannot be approved; only eligible ones are offered.
        earlier = Meeting.objects.filter(task_force=meeting.task_force).exclude(pk=meeting.pk)
        approvable = (
            earlier.filter(starts_at__lt=meeting.starts_at, minutes_status=Meeting.MinutesStatus.CIRCULATED)
            .exclude(status=Meeting.Status.CANCELLED)
            .annotate(approved=Exists(Decision.objects.filter(approves_minutes_of=OuterRef("pk"))))
            .filter(approved=False)
            .order_by("-starts_at", "-id")
        )
        field = self.fields["approves_minutes_of"]
        field.queryset = earlier
        field.choices = [("", field.empty_label)] + [
            (str(m.code), field.label_from_instance(m)) for m in approvable
        ]
        self.agencies = list(
            Agency.objects.filter(
                task_force=meeting.task_force, pk__in=meeting.invitees.values("agency_id")
            ).order_by("name", "id")
        )
        for agency in self.agencies:
            self.fields[f"{VOTE_PREFIX}{agency.code}"] = forms.ChoiceField(
                label=agency.name, choices=VOTE_CHOICES, required=False, widget=forms.Select(attrs=SELECT)
            )

    def main_fields(self):
        return [self[name] for name in ("motion", "moved_by", "seconded_by", "result", "approves_minutes_of")]

    def vote_fields(self):
        return [self[f"{VOTE_PREFIX}{agency.code}"] for agency in self.agencies]

    def clean(self):
        data = super().clean()
        expected = {f"{VOTE_PREFIX}{agency.code}" for agency in self.agencies}
        for key in self.data:
            if not key.startswith(VOTE_PREFIX):
                continue
            if key not in expected:
                # A forged vote: an agency that is not invited here (or not in this task force at all).
                raise forms.ValidationError(
                    "A vote came from an agency that is not a member agency invited to this meeting. "
                    "Only the agencies listed below vote; nothing was saved."
                )
            if hasattr(self.data, "getlist") and len(self.data.getlist(key)) > 1:
                agency = next(a for a in self.agencies if f"{VOTE_PREFIX}{a.code}" == key)
                raise forms.ValidationError(f"One agency, one vote: {agency.name} voted more than once.")
        return data

    def votes(self):
        """(agency, choice) for each agency that voted."""
        return [
            (agency, self.cleaned_data[f"{VOTE_PREFIX}{agency.code}"])
            for agency in self.agencies
            if self.cleaned_data.get(f"{VOTE_PREFIX}{agency.code}")
        ]


class DecisionFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search the motions", max_length=200)
    result = forms.ChoiceField(
        required=False,
        choices=[("", "Any result"), *Decision.Result.choices],
        widget=forms.Select(attrs=SELECT),
    )
    year = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any year")],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any year"), *((year, str(year)) for year in years)]


# --- action items -------------------------------------------------------------------------

NOT_A_MEMBER = (
    "Choose a person who is an active member of this task force. Observers do not take action items."
)


def assignable_people(task_force):
    """Active members of the task force who may hold action items: everyone but observers."""
    memberships = Membership.objects.active().filter(task_force=task_force).exclude(role=Role.OBSERVER)
    return User.objects.filter(Exists(memberships.filter(user=OuterRef("pk"))), is_active=True).order_by(
        "full_name", "id"
    )


class ActionItemForm(VersionedModelForm):
    assignee = PersonChoiceField(
        queryset=User.objects.none(),
        to_field_name="code",
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": NOT_A_MEMBER},
        help_text="An active member of this task force.",
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="The assignee's agency",
        widget=forms.Select(attrs=SELECT),
        help_text="The agency the work is done for: one the assignee serves. Empty: their agency.",
    )
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="Not from a meeting",
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Choose one of the meetings you organise."},
        help_text="The meeting the item came from, if any.",
    )

    class Meta:
        model = ActionItem
        fields = ["title", "description", "assignee", "agency", "due_on", "meeting"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"due_on": "Due date"}

    def __init__(self, *args, task_force, user, meeting_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.task_force = task_force
        self.fields["assignee"].queryset = assignable_people(task_force)
        self.fields["agency"].queryset = Agency.objects.filter(task_force=task_force).order_by("name", "id")
        meetings = Meeting.objects.filter(task_force=task_force).exclude(status=Meeting.Status.CANCELLED)
        meetings = access.changeable_meetings(user, task_force, meetings)
        if self.instance.meeting_id:  # an item keeps its meeting even if that meeting was cancelled since
            meetings = meetings | Meeting.objects.filter(pk=self.instance.meeting_id)
        self.fields["meeting"].queryset = meetings.order_by("-starts_at", "-id")
        if meeting_required:
            self.fields["meeting"].required = True
            self.fields["meeting"].empty_label = None
            self.fields["meeting"].help_text = "The meeting the item came from."

    def clean(self):
        data = super().clean()
        assignee = data.get("assignee")
        if assignee is None:
            return data
        agency_ids = list(
            Membership.objects.active()
            .filter(task_force=self.task_force, user=assignee)
            .exclude(role=Role.OBSERVER)
            .order_by("started_on", "id")
            .values_list("agency_id", flat=True)
        )
        agency = data.get("agency")
        if agency is None:
            data["agency"] = Agency.objects.get(pk=agency_ids[0])
        elif agency.pk not in agency_ids:
            names = ", ".join(Agency.objects.filter(pk__in=agency_ids).values_list("name", flat=True))
            self.add_error(
                "agency", f"{_person_label(assignee)} does not serve {agency.name}; choose {names}."
            )
        return data


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices)


class ActionItemFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), ("open_any", "Open or in progress"), *ActionItem.Status.choices],
        widget=forms.Select(attrs=SELECT),
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="All agencies",
        widget=forms.Select(attrs=SELECT),
    )
    assignee = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="Anyone",
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(task_force=task_force).only("code", "name")
        # People who ever served this task force first (an index walk), then those with items here.
        served = Membership.objects.filter(task_force=task_force).values("user_id")
        has_items = Exists(ActionItem.objects.filter(task_force=task_force, assignee=OuterRef("pk")))
        self.fields["assignee"].queryset = User.objects.filter(Q(pk__in=served), has_items).only(
            "code", "full_name", "email"
        )
