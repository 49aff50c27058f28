"""The meetings app's reminder rules (imported from MeetingsConfig.ready)."""

from datetime import timedelta
from functools import partial

from django.db.models import Q
from django.urls import reverse

from members.models import Role
from taskforce.models import TaskForce
from taskforce.reminders.models import Kind
from taskforce.reminders.registry import (
    Due,
    ReminderRule,
    in_batches,
    local_date,
    people_by_task_force,
    register,
)

from .models import ActionItem, Invitee, Meeting

# The tightest threshold that applies is the one sent: a meeting set up two days ahead gets the
# "in 7 days" reminder at once, then the one-day reminder; never one for a meeting already begun.
MEETING_THRESHOLDS = (("1d", timedelta(days=1)), ("7d", timedelta(days=7)))
ACTION_ITEM_SOON_DAYS = 3


def meeting_threshold(meeting, now):
    for name, ahead in MEETING_THRESHOLDS:
        if now < meeting.starts_at <= now + ahead:
            return name
    return None


def find_meeting_reminders(now, batch_size):
    invitees = Invitee.objects.filter(
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=now + MEETING_THRESHOLDS[-1][1],
    ).exclude(response=Invitee.Response.NO)
    for rows in in_batches(invitees.select_related("meeting"), batch_size):
        yield [
            Due(
                invitee.meeting,
                invitee.user_id,
                meeting_threshold(invitee.meeting, now),
                invitee.meeting.task_force_id,
            )
            for invitee in rows
        ]


def meeting_still_due(meeting, notice, now):
    """Not for a meeting cancelled or begun since, nor for an invitee who declined or was removed."""
    if meeting.status != Meeting.Status.SCHEDULED or meeting.starts_at <= now:
        return False
    answers = {invitee.user_id: invitee.response for invitee in meeting.invitees.all()}
    return notice.recipient_id in answers and answers[notice.recipient_id] != Invitee.Response.NO


register(
    ReminderRule(
        name="meetings.meeting-soon",
        kind=Kind.MEETINGS,
        model=Meeting,
        find=find_meeting_reminders,
        template="meetings/meeting_soon",
        link=lambda meeting: meeting.get_absolute_url(),
        queryset=lambda: Meeting.objects.select_related("task_force").prefetch_related("invitees"),
        still_due=meeting_still_due,
    )
)


# --- action items ----------------------------------------------------------------------------


def _by_local_date(now, lookup):
    """A Q matching action items by `lookup(today)`, today taken in each task force's time zone
    (one query for the time zones in use)."""
    match = Q(pk__in=[])
    for zone in TaskForce.objects.values_list("time_zone", flat=True).distinct():
        match |= Q(task_force__time_zone=zone, **lookup(local_date(zone, now)))
    return match


def _due_soon(today):
    return {"due_on__gte": today, "due_on__lte": today + timedelta(days=ACTION_ITEM_SOON_DAYS)}


def _overdue(today):
    return {"due_on__lt": today}


def find_open_action_items(now, batch_size, lookup, prefix):
    """The assignee of each open item whose due date matches `lookup`, once per due date."""
    items = ActionItem.objects.open().filter(_by_local_date(now, lookup))
    for rows in in_batches(items, batch_size):
        yield [
            Due(item, item.assignee_id, f"{prefix}-{item.due_on.isoformat()}", item.task_force_id)
            for item in rows
        ]


def action_item_still_due(item, notice, now):
    return item.is_open and item.assignee_id == notice.recipient_id


def action_item_link(item):
    return reverse("meetings:action-item-detail", args=[item.task_force.slug, item.code])


def action_item_context(item, notice, now):
    return {"item": item, "overdue": notice.threshold.startswith("overdue")}


for _name, _lookup, _prefix in (
    ("meetings.action-item-due-soon", _due_soon, "due"),
    ("meetings.action-item-overdue", _overdue, "overdue"),
):
    register(
        ReminderRule(
            name=_name,
            kind=Kind.ACTION_ITEMS,
            model=ActionItem,
            find=partial(find_open_action_items, lookup=_lookup, prefix=_prefix),
            template="meetings/action_item",  # "was due" when overdue (action_item_context)
            link=action_item_link,
            queryset=lambda: ActionItem.objects.select_related("task_force", "assignee", "agency"),
            still_due=action_item_still_due,
            context=action_item_context,
        )
    )


# The weekly summary of overdue items goes to coordinators: one per task force per ISO week.


def _iso_week(today):
    year, week, _ = today.isocalendar()
    return f"week-{year}-W{week:02d}"


def find_overdue_summaries(now, batch_size):
    task_forces = TaskForce.objects.filter(
        pk__in=ActionItem.objects.open().filter(_by_local_date(now, _overdue)).values("task_force_id")
    )
    for rows in in_batches(task_forces, batch_size):
        coordinators = people_by_task_force([tf.pk for tf in rows], [Role.COORDINATOR])
        yield [
            Due(tf, user_id, _iso_week(local_date(tf.time_zone, now)), tf.pk)
            for tf in rows
            for user_id in coordinators.get(tf.pk, [])
        ]


def overdue_summary_context(task_force, notice, now):
    today = task_force.today()
    items = list(
        ActionItem.objects.overdue(today)
        .filter(task_force=task_force)
        .select_related("assignee", "agency")
        .order_by("due_on", "id")
    )
    return {"items": items, "today": today}


register(
    ReminderRule(
        name="meetings.action-items-overdue-weekly",
        kind=Kind.ACTION_ITEMS,
        model=TaskForce,
        find=find_overdue_summaries,
        template="meetings/action_items_overdue_weekly",
        link=lambda task_force: reverse("meetings:action-item-overdue", args=[task_force.slug]),
        still_due=lambda task_force, notice, now: (
            ActionItem.objects.overdue(task_force.today()).filter(task_force=task_force).exists()
        ),
        context=overdue_summary_context,
    )
)
