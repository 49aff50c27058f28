"""Trend briefs: sharing one, and summing them by type and quarter so that labour trafficking is
as visible as sex trafficking. The sums are made in the database: a few queries, whatever the rows."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import ExtractQuarter, ExtractYear

from members import access
from taskforce.taxonomy import TraffickingType

from ..models import COUNT_RANGE_LOW, Indicator, Industry, Meeting, TrendBrief

TOP = 5
QUARTER_MONTHS = {1: "Jan–Mar", 2: "Apr–Jun", 3: "Jul–Sep", 4: "Oct–Dec"}
# Each column of the trends page, and the briefs it counts: "both" counts for each type.
COLUMNS = {
    TraffickingType.SEX: (TraffickingType.SEX, TraffickingType.BOTH),
    TraffickingType.LABOUR: (TraffickingType.LABOUR, TraffickingType.BOTH),
}

LOWER_BOUND = Case(
    *(When(count_range=value, then=Value(low)) for value, low in COUNT_RANGE_LOW.items()),
    default=Value(0),
    output_field=IntegerField(),
)


@transaction.atomic
def share_trend_brief(brief, *, meeting, by):
    """Save a new brief (an unsaved TrendBrief from the form) for the meeting, by this person."""
    brief.task_force_id = meeting.task_force_id
    brief.meeting = meeting
    brief.submitted_by = by
    brief.save()
    return brief


def visible_trend_briefs(user, task_force):
    """The task force's briefs from meetings the person may see."""
    meetings = access.visible_meetings(user, task_force, Meeting.objects.filter(task_force=task_force))
    return TrendBrief.objects.filter(task_force=task_force, meeting__in=meetings.values("pk"))


@dataclass
class Tally:
    briefs: int = 0
    at_least: int = 0

    def add(self, briefs, at_least):
        self.briefs += briefs
        self.at_least += at_least or 0


@dataclass
class QuarterRow:
    year: int
    quarter: int
    sex: Tally = field(default_factory=Tally)
    labour: Tally = field(default_factory=Tally)
    both: Tally = field(default_factory=Tally)
    sex_bar: int = 0  # percent of the largest cell, for the bars
    labour_bar: int = 0

    @property
    def label(self):
        return f"{QUARTER_MONTHS[self.quarter]} {self.year}"

    @property
    def short_label(self):
        return f"Q{self.quarter} {self.year}"


@dataclass
class TypeSummary:
    """One column of the page: a trafficking type, with the "both" briefs counted in."""

    value: str
    label: str
    total: Tally
    industries: list  # (label, briefs), most reported first
    indicators: list  # (label, briefs), most reported first


@dataclass
class Trends:
    quarters: list
    totals: QuarterRow
    types: list

    @property
    def is_empty(self):
        return not self.quarters


def summarise(briefs):
    """Sum the briefs by quarter (from the first day of their period) and trafficking type."""
    rows = (
        briefs.annotate(year=ExtractYear("period_start"), quarter=ExtractQuarter("period_start"))
        .values("year", "quarter", "trafficking_type")
        .annotate(briefs=Count("id"), at_least=Sum(LOWER_BOUND))
        .order_by()
    )
    quarters = {}
    totals = QuarterRow(year=0, quarter=0)
    for row in rows:
        key = (row["year"], row["quarter"])
        quarter = quarters.setdefault(key, QuarterRow(year=row["year"], quarter=row["quarter"]))
        for target in (quarter, totals):
            _count(target, row["trafficking_type"], row["briefs"], row["at_least"])
    ordered = [quarters[key] for key in sorted(quarters, reverse=True)]
    largest = max((max(q.sex.briefs, q.labour.briefs) for q in ordered), default=0)
    for quarter in ordered:
        quarter.sex_bar = round(100 * quarter.sex.briefs / largest)
        quarter.labour_bar = round(100 * quarter.labour.briefs / largest)
    return Trends(quarters=ordered, totals=totals, types=_type_summaries(briefs, totals))


def _count(row, trafficking_type, briefs, at_least):
    if trafficking_type in COLUMNS[TraffickingType.SEX]:
        row.sex.add(briefs, at_least)
    if trafficking_type in COLUMNS[TraffickingType.LABOUR]:
        row.labour.add(briefs, at_least)
    if trafficking_type == TraffickingType.BOTH:
        row.both.add(briefs, at_least)


def _type_summaries(briefs, totals):
    by_industry = {}
    for row in briefs.values("trafficking_type", "industry").annotate(briefs=Count("id")).order_by():
        by_industry.setdefault(row["trafficking_type"], {})[row["industry"]] = row["briefs"]
    # A brief's indicators are a JSON list: count the briefs whose list holds each one.
    indicator_counts = {
        f"indicator_{value}": Count("id", filter=Q(indicators__icontains=f'"{value}"'))
        for value in Indicator.values
    }
    by_indicator = {
        row["trafficking_type"]: {value: row[f"indicator_{value}"] for value in Indicator.values}
        for row in briefs.values("trafficking_type").annotate(**indicator_counts).order_by()
    }
    summaries = []
    for value, counted in COLUMNS.items():
        summaries.append(
            TypeSummary(
                value=value,
                label=TraffickingType(value).label,
                total=totals.sex if value == TraffickingType.SEX else totals.labour,
                industries=_top(Industry, by_industry, counted),
                indicators=_top(Indicator, by_indicator, counted),
            )
        )
    return summaries


def _top(choices, counts_by_type, counted):
    summed = {}
    for trafficking_type in counted:
        for value, n in counts_by_type.get(trafficking_type, {}).items():
            summed[value] = summed.get(value, 0) + n
    ranked = sorted(
        ((n, choices(value).label) for value, n in summed.items() if n), key=lambda p: (-p[0], p[1])
    )
    return [(label, n) for n, label in ranked[:TOP]]
