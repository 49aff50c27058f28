"""Recurring meetings: the iCalendar RRULE a series stores, its occurrences as aware datetimes in
the task force's time zone, and the sentence people read ("Monthly on the second Tuesday at 10:00").

Occurrences are computed on the local wall clock and only then given the time zone, so a meeting at
10:00 stays at 10:00 local time on both sides of a daylight-saving change.
"""

import calendar
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from itertools import islice

from dateutil.rrule import rrulestr
from django.db import models
from django.utils.formats import date_format

MAX_COUNT = 36
MAX_YEARS = 3
# A weekly series over the longest allowed span; also the guard against a hand-written endless rule.
MAX_OCCURRENCES = 53 * MAX_YEARS + 1

WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_CHOICES = list(enumerate(calendar.day_name))


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY_WEEKDAY = "monthly_weekday", "Monthly on a weekday (e.g. the second Tuesday)"
    MONTHLY_DAY = "monthly_day", "Monthly on a day of the month (e.g. the 15th)"


class Week(models.IntegerChoices):
    FIRST = 1, "First"
    SECOND = 2, "Second"
    THIRD = 3, "Third"
    FOURTH = 4, "Fourth"
    LAST = -1, "Last"


def build_rule(frequency, *, weekday=None, week=None, day_of_month=None, count=None, until=None):
    """The RRULE for a choice of the series form, e.g. FREQ=MONTHLY;BYDAY=+2TU;COUNT=12.

    `weekday` is 0 for Monday; `until` is a date (the last day a meeting may fall on)."""
    if frequency == Frequency.WEEKLY:
        parts = ["FREQ=WEEKLY", f"BYDAY={WEEKDAY_CODES[weekday]}"]
    elif frequency == Frequency.FORTNIGHTLY:
        parts = ["FREQ=WEEKLY", "INTERVAL=2", f"BYDAY={WEEKDAY_CODES[weekday]}"]
    elif frequency == Frequency.MONTHLY_WEEKDAY:
        parts = ["FREQ=MONTHLY", f"BYDAY={week:+d}{WEEKDAY_CODES[weekday]}"]
    elif frequency == Frequency.MONTHLY_DAY:
        parts = ["FREQ=MONTHLY", f"BYMONTHDAY={day_of_month}"]
    else:
        raise ValueError(f"Unknown frequency {frequency!r}")
    if count:
        parts.append(f"COUNT={count}")
    elif until:
        # Floating (local) time, like the start it bounds: the whole of the last day counts.
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    else:
        raise ValueError("A series needs a number of meetings or a last date.")
    return ";".join(parts)


def local_datetime(day, at, zone):
    """The aware datetime of a wall-clock time on a day in `zone`; a time that a spring-forward
    change skips (02:30) becomes the same instant an hour later on the clock (03:30)."""
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    aware = datetime.combine(day, at).replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone)


def occurrences(rule, first_date, start_time, duration_minutes, time_zone):
    """The (starts_at, ends_at) pairs of a rule from `first_date` on, at most MAX_OCCURRENCES."""
    zone = zoneinfo.ZoneInfo(time_zone)
    dtstart = datetime.combine(first_date, start_time)
    local_starts = islice(rrulestr(rule, dtstart=dtstart), MAX_OCCURRENCES)
    duration = timedelta(minutes=duration_minutes)
    pairs = []
    for local in local_starts:
        # Add the duration in UTC: real minutes, even on the night the clocks change.
        starts_at = local_datetime(local.date(), local.time(), zone).astimezone(UTC)
        pairs.append((starts_at, starts_at + duration))
    return pairs


def _parts(rule):
    parts = {}
    for part in rule.upper().split(";"):
        name, _, value = part.partition("=")
        parts[name.strip()] = value.strip()
    return parts


def _ordinal(number):
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _day_name(code):
    return calendar.day_name[WEEKDAY_CODES.index(code)]


def describe(rule, start_time=None):
    """The rule in words, e.g. "Monthly on the second Tuesday at 10:00" (not how it ends)."""
    parts = _parts(rule)
    frequency, interval = parts.get("FREQ"), parts.get("INTERVAL", "1")
    byday = parts.get("BYDAY", "")
    try:
        if frequency == "WEEKLY" and byday in WEEKDAY_CODES:
            lead = {"1": "Weekly", "2": "Every two weeks"}.get(interval, f"Every {interval} weeks")
            text = f"{lead} on {_day_name(byday)}"
        elif frequency == "MONTHLY" and byday and interval == "1":
            week, code = int(byday[:-2]), byday[-2:]
            text = f"Monthly on the {Week(week).label.lower()} {_day_name(code)}"
        elif frequency == "MONTHLY" and parts.get("BYMONTHDAY") and interval == "1":
            text = f"Monthly on the {_ordinal(int(parts['BYMONTHDAY']))}"
        else:
            text = f"Repeating ({rule})"
    except ValueError:
        text = f"Repeating ({rule})"
    if start_time is not None:
        text += f" at {start_time:%H:%M}"
    return text


def describe_end(rule):
    """How the series ends, e.g. "12 meetings" or "until 9 March 2027"; "" if the rule says neither."""
    parts = _parts(rule)
    if parts.get("COUNT", "").isdigit():
        count = int(parts["COUNT"])
        return f"{count} meeting{'' if count == 1 else 's'}"
    until = parts.get("UNTIL", "")
    if len(until) >= 8 and until[:8].isdigit():
        last_day = date(int(until[:4]), int(until[4:6]), int(until[6:8]))
        return f"until {date_format(last_day, 'j F Y')}"
    return ""


def latest_until(first_date):
    """The last day a series starting on `first_date` may run to."""
    try:
        return first_date.replace(year=first_date.year + MAX_YEARS)
    except ValueError:  # 29 February
        return first_date.replace(year=first_date.year + MAX_YEARS, day=28)
