"""What one reader may read of a meeting's agenda: the same answer for pages and PDFs."""

from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch

from members import access

from .models import AgendaItem, Attachment, Sensitivity

WITHHELD = {
    Sensitivity.CORE: "Withheld: core team only",
    Sensitivity.LAW_ENFORCEMENT: "Withheld: law enforcement only",
    Sensitivity.AGENCIES: "Withheld: named agencies only",
}


def agenda_for(user, meeting):
    """The meeting's agenda items in order, each with `visible` (may the reader see its title,
    text, notes and files) and `withheld` (what to show instead). Four queries, whatever the size.

    A withheld item also loses its title, text, notes, presenter and files in memory (`files` is
    the list to show), so that a template that forgets to ask `visible` still shows nothing."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter")
        .prefetch_related("agencies", Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("position", "id")
    )
    for item in items:
        item.agency_ids = [agency.pk for agency in item.agencies.all()]
        item.visible = access.can_see_agenda_item(user, item, meeting)
        item.withheld = "" if item.visible else WITHHELD.get(item.sensitivity, "Withheld")
        item.files = list(item.attachments.all()) if item.visible else []
        item.named_agencies = list(item.agencies.all()) if item.visible else []
        if not item.visible:
            item.title = item.description = item.notes = ""
            item.presenter = None
    return items


def can_read_item(user, item, meeting):
    """`can_see_agenda_item` for one item whose named agencies are not loaded yet."""
    if not hasattr(item, "agency_ids"):
        item.agency_ids = list(item.agencies.values_list("pk", flat=True))
    return access.can_see_agenda_item(user, item, meeting)


def minutes_approval(meeting):
    """The decision, at a later meeting, that approved these minutes, if there is one."""
    try:
        return meeting.minutes_approval
    except ObjectDoesNotExist:
        return None


def with_planned_times(meeting, items):
    """Give each item its planned start; return the total minutes and the planned end."""
    start = meeting.starts_at
    for item in items:
        item.planned_start = start
        start += timedelta(minutes=item.minutes_allotted)
    return start - meeting.starts_at, start


def agenda_context(user, task_force, meeting):
    items = agenda_for(user, meeting)
    total, planned_end = with_planned_times(meeting, items)
    return {
        "meeting": meeting,
        "items": items,
        "total_minutes": int(total.total_seconds() // 60),
        "planned_end": planned_end,
        "overruns": planned_end > meeting.ends_at,
        "withheld_count": sum(1 for item in items if not item.visible),
        "approval": minutes_approval(meeting),
    }
