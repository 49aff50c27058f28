"""The agenda: items, their order, minutes notes and attachments."""

from django.db import transaction

from ..models import AgendaItem


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
