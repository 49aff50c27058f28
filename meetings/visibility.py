"""What one reader may read of a meeting's agenda: the same answer for pages and PDFs."""

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
    text, notes and files) and `withheld` (what to show instead). Four queries, whatever the size."""
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
    return items
