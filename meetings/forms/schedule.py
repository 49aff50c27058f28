"""Scheduling forms: one meeting, a series, an edit, a cancellation, and the list's filters."""

from django import forms
from django.utils import timezone

from members import access
from members.models import Agency, Committee
from taskforce.forms import VersionedModelForm

from .. import recurrence
from ..models import Audience, Kind, Meeting, Series

SELECT = {"class": "form-select"}
SHARED_FIELDS = [
    "title",
    "kind",
    "committee",
    "audience",
    "agencies",
    "confidential",
    "place",
    "video_link",
    "description",
]
SHARED_WIDGETS = {
    "kind": forms.Select(attrs=SELECT),
    "audience": forms.RadioSelect,
    "description": forms.Textarea(attrs={"rows": 4}),
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingFieldsForm(forms.ModelForm):
    """What a meeting and a series share, with the rules that bind those fields together."""

    committee = forms.ModelChoiceField(
        queryset=Committee.objects.none(),
        required=False,
        empty_label="No committee",
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Choose one of the committees you may schedule meetings for."},
        help_text="For a committee meeting, or to invite a committee's members.",
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Agencies to invite",
        help_text="For 'the people of chosen agencies': tick each agency whose people are invited.",
    )
    video_link = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="Teams, Zoom or Meet link, if people can join online.",
    )

    def __init__(self, *args, task_force, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.task_force = task_force
        person = access.standing(user, task_force)
        committees = task_force.committees.order_by("name", "id")
        if not person.manager:
            # A committee chair schedules only for the committees they chair, and must say which.
            committees = committees.filter(pk__in=person.chaired_committee_ids)
            self.fields["committee"].required = True
            self.fields["committee"].empty_label = None
            self.fields["committee"].help_text = "You schedule meetings for the committees you chair."
        self.fields["committee"].queryset = committees
        self.fields["agencies"].queryset = task_force.agencies.order_by("name", "id")
        self.fields["confidential"].help_text = (
            "Hidden from observers and from people who are not invited. "
            "Tick it for case coordination (choosing that kind ticks it for you)."
        )

    def clean(self):
        data = super().clean()
        committee = data.get("committee")
        committee_ok = "committee" not in self.errors
        if committee_ok and data.get("kind") == Kind.COMMITTEE and committee is None:
            self.add_error("committee", "Choose the committee that meets.")
        elif committee_ok and data.get("audience") == Audience.COMMITTEE and committee is None:
            self.add_error("committee", "Choose the committee whose members are invited.")
        if data.get("audience") == Audience.AGENCIES and not data.get("agencies"):
            self.add_error("agencies", "Choose at least one agency whose people are invited.")
        if "place" in data and "video_link" in data and not (data["place"] or data["video_link"]):
            self.add_error("place", "Give a place, a video link, or both, so that people know where to go.")
        return data

    def shared_data(self):
        """The cleaned shared fields, as keyword arguments for the services."""
        return {name: self.cleaned_data[name] for name in SHARED_FIELDS}


class MeetingForm(MeetingFieldsForm):
    """A single meeting; the date and times are read on the task force's clock."""

    date = forms.DateField(widget=DATE)
    start_time = forms.TimeField(widget=TIME, label="Starts at")
    end_time = forms.TimeField(widget=TIME, label="Ends at")

    class Meta:
        model = Meeting
        fields = SHARED_FIELDS
        widgets = SHARED_WIDGETS

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            starts_at = recurrence.local_datetime(day, start, self.task_force.time_zone)
            ends_at = recurrence.local_datetime(day, end, self.task_force.time_zone)
            if ends_at <= starts_at:
                self.add_error("end_time", "The meeting must end after it starts: choose a later end time.")
            else:
                data["starts_at"], data["ends_at"] = starts_at, ends_at
                self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
        return data


class MeetingCreateForm(MeetingForm):
    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data["starts_at"] < timezone.now():
            self.add_error("date", "This time has already passed: choose a date and time to come.")
        return data


class MeetingUpdateForm(MeetingForm, VersionedModelForm):
    """An edit of one meeting; for an occurrence of a series, also of the ones after it."""

    ONLY_THIS = "this"
    FOLLOWING = "following"

    apply_to = forms.ChoiceField(
        label="Apply the changes to",
        choices=[
            (ONLY_THIS, "Only this meeting"),
            (FOLLOWING, "This and the following meetings of the series"),
        ],
        initial=ONLY_THIS,
        widget=forms.RadioSelect,
        help_text="Following meetings keep their own dates; a new time of day applies to each of them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.series_id is None:
            del self.fields["apply_to"]
        local_start = timezone.localtime(self.instance.starts_at)
        self.initial.setdefault("date", local_start.date())
        self.initial.setdefault("start_time", local_start.time())
        self.initial.setdefault("end_time", timezone.localtime(self.instance.ends_at).time())


class SeriesForm(MeetingFieldsForm):
    """A recurring meeting: "Monthly on the second Tuesday, 10:00", and how long it runs."""

    COUNT, UNTIL = "count", "until"

    frequency = forms.ChoiceField(
        choices=recurrence.Frequency.choices,
        initial=recurrence.Frequency.MONTHLY_WEEKDAY,
        widget=forms.Select(attrs=SELECT),
    )
    weekday = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        choices=[("", "Choose a day"), *recurrence.WEEKDAY_CHOICES],
        required=False,
        label="Day of the week",
        widget=forms.Select(attrs=SELECT),
    )
    week = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        choices=[("", "Choose a week"), *recurrence.Week.choices],
        required=False,
        label="Which week of the month",
        help_text="For monthly on a weekday: e.g. the second Tuesday.",
        widget=forms.Select(attrs=SELECT),
    )
    day_of_month = forms.IntegerField(
        min_value=1,
        max_value=31,
        required=False,
        label="Day of the month",
        help_text="For monthly on a day of the month. Months without this day are skipped.",
    )
    ends = forms.ChoiceField(
        choices=[(COUNT, "After a number of meetings"), (UNTIL, "On a date")],
        initial=COUNT,
        widget=forms.RadioSelect,
        label="The series ends",
    )
    count = forms.IntegerField(
        min_value=1,
        max_value=recurrence.MAX_COUNT,
        required=False,
        initial=12,
        label="Number of meetings",
        help_text=f"At most {recurrence.MAX_COUNT}.",
    )
    until = forms.DateField(
        required=False,
        widget=DATE,
        label="Last date",
        help_text=f"Within {recurrence.MAX_YEARS} years of the first date.",
    )

    class Meta:
        model = Series
        fields = [*SHARED_FIELDS, "first_date", "start_time", "duration_minutes"]
        widgets = {**SHARED_WIDGETS, "first_date": DATE, "start_time": TIME}
        labels = {
            "first_date": "Starting on",
            "start_time": "Starts at",
            "duration_minutes": "Length in minutes",
        }
        help_texts = {"first_date": "The first meeting is on the first matching day from this date."}

    def clean(self):
        data = super().clean()
        frequency = data.get("frequency")
        if frequency == recurrence.Frequency.MONTHLY_DAY:
            if data.get("day_of_month") is None and "day_of_month" not in self.errors:
                self.add_error("day_of_month", "Choose the day of the month the meetings fall on.")
        elif frequency and data.get("weekday") is None:
            self.add_error("weekday", "Choose the day of the week the meetings fall on.")
        if frequency == recurrence.Frequency.MONTHLY_WEEKDAY and data.get("week") is None:
            self.add_error("week", "Choose which week of the month: first, second, third, fourth or last.")
        first_date = data.get("first_date")
        if first_date and first_date < self.task_force.today():
            self.add_error("first_date", "A series starts today or later.")
        ends = data.get("ends")
        if ends == self.COUNT and data.get("count") is None and "count" not in self.errors:
            self.add_error("count", "Say how many meetings the series has.")
        if ends == self.UNTIL:
            until = data.get("until")
            if until is None and "until" not in self.errors:
                self.add_error("until", "Choose the last date of the series.")
            elif until and first_date and until < first_date:
                self.add_error("until", "The last date must be on or after the first date.")
            elif until and first_date and until > recurrence.latest_until(first_date):
                years = recurrence.MAX_YEARS
                self.add_error("until", f"A series runs for at most {years} years: choose an earlier date.")
        if not self.errors:
            self._build_rule(data)
        return data

    def _build_rule(self, data):
        rule = recurrence.build_rule(
            data["frequency"],
            weekday=data.get("weekday"),
            week=data.get("week"),
            day_of_month=data.get("day_of_month"),
            count=data["count"] if data["ends"] == self.COUNT else None,
            until=data["until"] if data["ends"] == self.UNTIL else None,
        )
        occurrences = recurrence.occurrences(
            rule, data["first_date"], data["start_time"], data["duration_minutes"], self.task_force.time_zone
        )
        if not occurrences:
            self.add_error(
                None,
                "These settings give no meeting at all: no matching day falls between the first and the "
                "last date. Choose a later last date or another day.",
            )
            return
        if occurrences[0][0] <= timezone.now():
            self.add_error(
                "start_time",
                "The first meeting would start at a time that has already passed: "
                "choose a later time or a later first date.",
            )
            return
        data["rule"] = rule
        data["occurrences"] = occurrences

    def describe(self):
        return recurrence.describe(self.cleaned_data["rule"], self.cleaned_data["start_time"])


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Reason (optional)",
        help_text="Sent to the invitees with the cancellation, e.g. “Moved to next week”.",
    )


class MeetingFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search titles")
    kind = forms.ChoiceField(
        required=False, choices=[("", "All kinds"), *Kind.choices], widget=forms.Select(attrs=SELECT)
    )
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.none(),
        required=False,
        empty_label="All committees",
        widget=forms.Select(attrs=SELECT),
        to_field_name="code",
    )
    series = forms.ModelChoiceField(
        queryset=Series.objects.none(), required=False, to_field_name="code", widget=forms.HiddenInput
    )

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        committees = Committee.objects.filter(task_force=task_force)
        self.fields["committee"].queryset = committees.only("code", "name")
        self.fields["series"].queryset = task_force.series.all()
