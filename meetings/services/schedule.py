"""Scheduling: meetings and series are created, changed and cancelled here, and invitees are told.

Calendars follow a meeting by its UID and SEQUENCE: every change of time, place, video link or
status raises `sequence`, and the update or cancellation goes to the invitees.
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from taskforce.errors import ServiceError

from .. import recurrence
from ..models import Invitee, Meeting, Series
from . import agenda, attendance

# Occurrences of a series further ahead are invited later, by the attendance area's daily sweep.
INVITE_AHEAD = attendance.INVITATION_WINDOW

ONLY_THIS = "this"
FOLLOWING = "following"

# What "this and following" copies from the edited meeting when it changed.
COPIED_FIELDS = (
    "title",
    "kind",
    "committee_id",
    "place",
    "video_link",
    "description",
    "confidential",
    "audience",
)
AUDIENCE_FIELDS = {"audience", "committee_id", "confidential", "agencies"}
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "video_link")


class ScheduleError(ServiceError):
    """A change the rules refuse; the message is written for the person who asked."""


@dataclass
class UpdateOutcome:
    meeting: Meeting
    following: list = field(default_factory=list)  # later occurrences that changed too
    notified: list = field(default_factory=list)  # meetings whose invitees were sent an update


def invite_now(meeting, now=None):
    """Whether a meeting is near enough for its invitations to go out today."""
    return meeting.starts_at <= (now or timezone.now()) + INVITE_AHEAD


def edit_refusal(meeting):
    """Why the meeting's details may no longer be edited, or "" if they may."""
    if meeting.status == Meeting.Status.CANCELLED:
        return "This meeting was cancelled, so it can no longer be edited."
    if meeting.status == Meeting.Status.HELD:
        return (
            "This meeting has been held, so its details can no longer be edited. "
            "Record what happened in its minutes."
        )
    return ""


def cancel_refusal(meeting):
    if meeting.status == Meeting.Status.CANCELLED:
        return "This meeting is already cancelled."
    if meeting.status == Meeting.Status.HELD:
        return "This meeting has been held, so it cannot be cancelled."
    return ""


# --- creating -----------------------------------------------------------------------------


@transaction.atomic
def create_meeting(*, task_force, organiser, starts_at, ends_at, agencies=(), **fields):
    """A single meeting: its standing agenda items, its audience invited and the invitations sent."""
    meeting = Meeting.objects.create(
        task_force=task_force, organiser=organiser, starts_at=starts_at, ends_at=ends_at, **fields
    )
    meeting.agencies.set(agencies)
    agenda.add_standing_items(meeting)
    invitees = attendance.invite_audience(meeting)
    attendance.send_invitations(meeting, invitees)
    return meeting


@transaction.atomic
def create_series(
    *, task_force, organiser, rule, first_date, start_time, duration_minutes, agencies=(), **fields
):
    """A series and one meeting per occurrence, each with the standing items and the audience invited;
    invitations go out now for the occurrences of the next INVITE_AHEAD days only."""
    pairs = recurrence.occurrences(rule, first_date, start_time, duration_minutes, task_force.time_zone)
    if not pairs:
        raise ScheduleError("These settings give no meeting at all. Choose a later last date or another day.")
    series = Series.objects.create(
        task_force=task_force,
        organiser=organiser,
        rule=rule,
        first_date=first_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        **fields,
    )
    agencies = list(agencies)
    series.agencies.set(agencies)
    meetings = bulk_create_with_history(
        [
            Meeting(
                task_force=task_force,
                organiser=organiser,
                series=series,
                starts_at=starts_at,
                ends_at=ends_at,
                **fields,
            )
            for starts_at, ends_at in pairs
        ],
        Meeting,
        default_user=organiser,
    )
    Meeting.agencies.through.objects.bulk_create(
        Meeting.agencies.through(meeting_id=meeting.pk, agency_id=agency.pk)
        for meeting in meetings
        for agency in agencies
    )
    for meeting in meetings:
        meeting.task_force = task_force
        agenda.add_standing_items(meeting)
    # Every occurrence has the same audience: read it once, invite it everywhere in one insert.
    memberships = attendance.audience_memberships(meetings[0])
    Invitee.objects.bulk_create(
        (
            Invitee(meeting=meeting, user_id=membership.user_id, agency_id=membership.agency_id)
            for meeting in meetings
            for membership in memberships
        ),
        ignore_conflicts=True,
    )
    near = [meeting for meeting in meetings if invite_now(meeting)]
    if near:
        by_meeting = {meeting.pk: [] for meeting in near}
        for invitee in Invitee.objects.filter(meeting__in=near).only("pk", "meeting_id"):
            by_meeting[invitee.meeting_id].append(invitee)
        for meeting in near:
            attendance.send_invitations(meeting, by_meeting[meeting.pk])
    series.occurrences = meetings
    return series


# --- changing -----------------------------------------------------------------------------


def _calendar_values(meeting):
    return tuple(getattr(meeting, name) for name in CALENDAR_FIELDS)


def _times_of_day(meeting, zone):
    return (meeting.starts_at.astimezone(zone).time(), meeting.ends_at.astimezone(zone).time())


@transaction.atomic
def update_meeting(form, *, apply_to=ONLY_THIS):
    """Save an edit of one meeting (a bound, valid MeetingUpdateForm) and, for FOLLOWING, make the
    same change to the later scheduled occurrences of its series and to the series itself.

    Following occurrences keep their dates and take the new time of day, and only the fields this
    edit changed, so that an occurrence changed on its own keeps the rest. Raises StaleEdit when
    someone else saved the meeting meanwhile (nothing is saved), ScheduleError when it is closed."""
    meeting = form.instance
    before = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if refusal := edit_refusal(before):
        raise ScheduleError(refusal)
    zone = zoneinfo.ZoneInfo(meeting.task_force.time_zone)
    agency_ids = sorted(agency.pk for agency in form.cleaned_data["agencies"])
    changed = {name for name in COPIED_FIELDS if getattr(before, name) != getattr(meeting, name)}
    if sorted(before.agencies.values_list("pk", flat=True)) != agency_ids:
        changed.add("agencies")
    old_times, new_times = _times_of_day(before, zone), _times_of_day(meeting, zone)
    calendar_changed = _calendar_values(before) != _calendar_values(meeting)
    if calendar_changed:
        meeting.sequence = before.sequence + 1
    form.save()  # StaleEdit if someone else saved first: the whole transaction rolls back

    outcome = UpdateOutcome(meeting=meeting, notified=[meeting] if calendar_changed else [])
    reinvite = [meeting] if changed & AUDIENCE_FIELDS else []
    if apply_to == FOLLOWING and meeting.series_id and (changed or new_times != old_times):
        following = (
            Meeting.objects.select_for_update()
            .filter(series_id=meeting.series_id, status=Meeting.Status.SCHEDULED)
            .filter(starts_at__gt=before.starts_at)
            .exclude(pk=meeting.pk)
            .order_by("starts_at", "id")
        )
        for other in following:
            other.task_force = meeting.task_force
            was = _calendar_values(other)
            for name in changed - {"agencies"}:
                setattr(other, name, getattr(meeting, name))
            if new_times != old_times:
                day = other.starts_at.astimezone(zone).date()
                other.starts_at = recurrence.local_datetime(day, new_times[0], zone)
                other.ends_at = recurrence.local_datetime(day, new_times[1], zone)
                if other.ends_at <= other.starts_at:  # a time the clocks skip that night
                    other.ends_at = other.starts_at + (meeting.ends_at - meeting.starts_at)
            if _calendar_values(other) != was:
                other.sequence += 1
                outcome.notified.append(other)
            other.version += 1
            other.save()
            if "agencies" in changed:
                other.agencies.set(agency_ids)
            if changed & AUDIENCE_FIELDS:
                reinvite.append(other)
            outcome.following.append(other)
        _update_series(meeting, changed, agency_ids, new_times if new_times != old_times else None)

    for changed_meeting in outcome.notified:
        attendance.send_update(changed_meeting)
    for audience_changed in reinvite:
        # People the new audience names are invited; nobody already invited is dropped.
        new = attendance.invite_audience(audience_changed)
        if new and invite_now(audience_changed):
            attendance.send_invitations(audience_changed, new)
    return outcome


def _update_series(meeting, changed, agency_ids, new_times):
    """The series' template: occurrences added later look like the edited ones."""
    series = Series.objects.select_for_update().get(pk=meeting.series_id)
    update_fields = ["version", "updated_at"]
    for name in changed - {"agencies"}:
        setattr(series, name, getattr(meeting, name))
        update_fields.append(name)
    if new_times is not None:
        series.start_time = new_times[0]
        series.duration_minutes = max(1, int((meeting.ends_at - meeting.starts_at) / timedelta(minutes=1)))
        update_fields += ["start_time", "duration_minutes"]
    series.version += 1
    series.save(update_fields=update_fields)
    if "agencies" in changed:
        series.agencies.set(agency_ids)


@transaction.atomic
def cancel_meeting(meeting, *, reason=""):
    """Cancel a scheduled meeting: calendars get STATUS:CANCELLED with a higher SEQUENCE."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if refusal := cancel_refusal(locked):
        raise ScheduleError(refusal)
    locked.task_force = meeting.task_force
    locked.status = Meeting.Status.CANCELLED
    locked.sequence += 1
    locked.version += 1
    locked.cancel_reason = reason.strip()
    locked.save(update_fields=["status", "sequence", "version", "cancel_reason", "updated_at"])
    attendance.send_cancellation(locked)
    return locked
