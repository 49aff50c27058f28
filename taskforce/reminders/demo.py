"""The reminders part of the demo: load_demo calls it once every app has added its part, so that
Notices has what the demo makes due (meetings next week, action items due or overdue, documents
expiring, signatures pending), some people hear of a kind only in Taskforce or in the weekly
digest, and some notices are read. The emails of this first sweep are kept in memory: the demo
sends nobody anything."""

from django.test.utils import override_settings

from . import services
from .models import Channel, Kind, Notice, Preference

# email, kind, channel: Reminder settings other than the default (an email each)
PREFERENCES = [
    ("member@example.org", Kind.ACTION_ITEMS, Channel.DIGEST),
    ("member@example.org", Kind.MEETINGS, Channel.IN_APP),
    ("coordinator@example.org", Kind.DOCUMENTS, Channel.IN_APP),
]


def load(people):
    """Returns (notices recorded, delivered)."""
    for email, kind, channel in PREFERENCES:
        Preference.objects.update_or_create(user=people[email], kind=kind, defaults={"channel": channel})
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        recorded, delivered = services.sweep()
    # The coordinator has read the older half of theirs: the list shows both kinds.
    theirs = Notice.objects.for_reader(people["coordinator@example.org"]).unread()
    older = list(theirs.order_by("created_at", "id").values_list("pk", flat=True))
    for notice in Notice.objects.filter(pk__in=older[: len(older) // 2]):
        services.mark_read(notice)
    return recorded, delivered
