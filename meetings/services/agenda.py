"""The agenda: items, their order, minutes notes, attachments and the circulation of the minutes.

Every change that touches more than one row locks the meeting first, so that two organisers
reordering at once renumber one after the other, never into a mixed order.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from taskforce.errors import ServiceError

from ..models import AgendaItem, Attachment, Meeting, StandingItem

APPROVED_MESSAGE = (
    "The minutes of this meeting are approved: its agenda, notes and files are the record now "
    "and no longer change."
)


class AgendaError(ServiceError):
    """A change the agenda refuses; the message is for the person who asked."""


@transaction.atomic
def add_standing_items(meeting):
    """Put the task force's standing items at the top of a new meeting's agenda."""
    standing = list(meeting.task_force.standing_items.order_by("position", "id"))
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=index,
            title=item.title,
            description=item.description,
            minutes_allotted=item.minutes_allotted,
            sensitivity=item.sensitivity,
            standing_item=item,
        )
        for index, item in enumerate(standing)
    )


def _lock(meeting):
    """Lock the meeting's row and return its current state (the caller's copy may be stale)."""
    return (
        Meeting.objects.select_for_update()
        .only("pk", "status", "minutes_status", "version")
        .get(pk=meeting.pk)
    )


def is_locked(meeting):
    return meeting.minutes_status == Meeting.MinutesStatus.APPROVED


def ensure_open(meeting):
    if is_locked(meeting):
        raise AgendaError(APPROVED_MESSAGE)


def _items(meeting):
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))


def _renumber(items, by=None):
    changed = []
    for index, item in enumerate(items):
        if item.position != index:
            item.position = index
            changed.append(item)
    if changed:
        bulk_update_with_history(changed, AgendaItem, ["position"], default_user=by)


@transaction.atomic
def add_item(meeting, save):
    """Save a new item (`save(position)` saves it) at the end of the agenda."""
    ensure_open(_lock(meeting))
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
    return save(0 if last is None else last + 1)


@transaction.atomic
def save_when_open(meeting, save):
    """Run `save` (a form's save) with the meeting locked, unless its minutes are approved."""
    ensure_open(_lock(meeting))
    return save()


@transaction.atomic
def reorder(meeting, codes, by=None):
    """Put the agenda in the order of `codes`, which must name each of the meeting's items once."""
    ensure_open(_lock(meeting))
    items = _items(meeting)
    by_code = {str(item.code): item for item in items}
    codes = [str(code) for code in codes]
    if len(codes) != len(set(codes)) or set(codes) != set(by_code):
        raise AgendaError(
            "The new order must list each item of this agenda exactly once. Reload the page and try again."
        )
    _renumber([by_code[code] for code in codes], by)
    return [by_code[code] for code in codes]


@transaction.atomic
def move(item, direction, by=None):
    """Swap the item with the one above ("up") or below ("down") it."""
    ensure_open(_lock(item.meeting))
    items = _items(item.meeting)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        raise AgendaError(f"“{item.title}” is already {'first' if direction == 'up' else 'last'}.")
    items[index], items[target] = items[target], items[index]
    _renumber(items, by)


@transaction.atomic
def delete_item(item, by=None):
    ensure_open(_lock(item.meeting))
    item.delete()
    _renumber(_items(item.meeting), by)


@transaction.atomic
def add_attachment(item, upload, *, name, kind, by):
    """Store a checked upload (see taskforce.uploads) under MEDIA_ROOT and attach it to the item."""
    ensure_open(_lock(item.meeting))
    attachment = Attachment(
        item=item, name=name, content_type=kind.content_type, size=upload.size, uploaded_by=by
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def delete_attachment(attachment):
    ensure_open(_lock(attachment.item.meeting))
    attachment.delete()


@transaction.atomic
def circulate_minutes(meeting, by=None):
    """Draft → circulated, once; never for a cancelled meeting."""
    current = _lock(meeting)
    if current.status == Meeting.Status.CANCELLED:
        raise AgendaError("This meeting was cancelled: it has no minutes to circulate.")
    if not current.has_begun():
        raise AgendaError("Minutes are circulated after the meeting: it has not started yet.")
    if current.minutes_status != Meeting.MinutesStatus.DRAFT:
        raise AgendaError(
            f"The minutes are already {current.get_minutes_status_display().lower()}: "
            "they are circulated only once."
        )
    meeting.minutes_status = Meeting.MinutesStatus.CIRCULATED
    meeting.minutes_circulated_at = timezone.now()
    # A new version, so that a meeting form opened before now cannot save the old status back.
    meeting.version = current.version + 1
    meeting.save(update_fields=["minutes_status", "minutes_circulated_at", "version", "updated_at"])
    return meeting


def next_standing_position(task_force):
    last = StandingItem.objects.filter(task_force=task_force).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1
