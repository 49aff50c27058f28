"""Trend briefs: de-identified by design. There is no field for anything that identifies a person,
and the two free-text fields are refused when they look like they hold one."""

import calendar
import re
from datetime import date

from django import forms

from members.models import Agency
from taskforce.pii import NoPiiValidator
from taskforce.taxonomy import TraffickingType

from ..models import CountRange, Indicator, Industry, TrendBrief

SELECT = {"class": "form-select"}
validate_trend_text = NoPiiValidator("Trend briefs carry patterns, never anything that identifies a person.")

_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}


class MonthField(forms.Field):
    """A month, typed as 2024-03 (what a month picker sends), 03/2024 or "March 2024";
    cleaned to the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM", "inputmode": "numeric"})
    default_error_messages = {"invalid": "Give a month, for example 2024-03 or March 2024."}

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, date) else value

    def to_python(self, value):
        if isinstance(value, date):
            return value.replace(day=1)
        text = (value or "").strip()
        if not text:
            return None
        year = month = None
        if match := re.fullmatch(r"(\d{4})[-/.](\d{1,2})", text):
            year, month = int(match[1]), int(match[2])
        elif match := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", text):
            month, year = int(match[1]), int(match[2])
        elif match := re.fullmatch(r"([A-Za-z]+)\.?,?\s+(\d{4})", text):
            month, year = _MONTH_NAMES.get(match[1].lower()), int(match[2])
        if not month or not 1 <= month <= 12 or not 1990 <= (year or 0) <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date(year, month, 1)


def last_day_of_month(first):
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


class TrendBriefForm(forms.ModelForm):
    indicators = forms.MultipleChoiceField(
        choices=Indicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Indicators seen",
        help_text="Tick every indicator seen in the period.",
    )
    period_from = MonthField(label="From (month)", help_text="The first month the brief covers.")
    period_to = MonthField(label="To (month)", help_text="The last month; the same month for a single month.")
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Reporting agency",
        to_field_name="code",
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Report for one of your own agencies."},
    )

    class Meta:
        model = TrendBrief
        fields = [
            "trafficking_type",
            "indicators",
            "industry",
            "area",
            "count_range",
            "reporting_sector",
            "agency",
            "summary",
        ]
        labels = {"trafficking_type": "Type of trafficking", "summary": "Patterns seen"}
        help_texts = {
            "area": "A county, town or district; never a street address.",
            "count_range": "How many potential victims the brief is about, roughly.",
            "summary": (
                "Patterns only: how recruitment, control or movement worked, what changed. "
                "Never a name, birth date, address, phone number, email or case number."
            ),
        }
        widgets = {
            "trafficking_type": forms.RadioSelect,
            "industry": forms.Select(attrs=SELECT),
            "count_range": forms.Select(attrs=SELECT),
            "reporting_sector": forms.Select(attrs=SELECT),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, agencies, today, default_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["agency"].queryset = agencies
        self.fields["trafficking_type"].choices = TraffickingType.choices
        self.fields["industry"].choices = [("", "Choose an industry or venue"), *Industry.choices]
        self.fields["count_range"].choices = [("", "Choose a range"), *CountRange.choices]
        self.fields["area"].validators.append(validate_trend_text)
        self.fields["summary"].validators.append(validate_trend_text)
        if self.instance.pk:
            self.initial["agency"] = self.instance.agency  # the form names agencies by code
            self.initial.setdefault("period_from", self.instance.period_start)
            self.initial.setdefault("period_to", self.instance.period_end)
        elif default_agency is not None:  # the author's agency, in its sector
            self.initial.setdefault("agency", default_agency.code)
            self.initial.setdefault("reporting_sector", default_agency.sector)

    def clean_area(self):
        return self.cleaned_data["area"].strip()

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", "The period ends before it starts: choose a later month.")
        elif start and start > self.today.replace(day=1):
            self.add_error("period_from", "The period cannot start in a month that has not begun.")
        return data

    def save(self, commit=True):
        self.instance.period_start = self.cleaned_data["period_from"]
        self.instance.period_end = last_day_of_month(self.cleaned_data["period_to"])
        return super().save(commit)


class TrendFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, widget=forms.Select(attrs=SELECT)
    )
    area = forms.CharField(required=False, max_length=120, label="County or area")
    industry = forms.ChoiceField(
        required=False,
        choices=[("", "All industries"), *Industry.choices],
        label="Industry or venue",
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All years"), *((year, year) for year in years)]
