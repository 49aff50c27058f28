"""What meetings does when members announces a change, and when a stored file's row goes."""

from django.dispatch import receiver

from members.signals import membership_ended
from taskforce.uploads import delete_files_with_rows

from .models import Attachment
from .services import records

delete_files_with_rows(Attachment, "file")


@receiver(membership_ended, dispatch_uid="meetings.hand_over_action_items")
def hand_over_open_action_items(sender, membership, ended_by, successor, **kwargs):
    """Nothing open stays with a person who has left: their action items go to the successor."""
    records.hand_over_action_items(membership=membership, successor=successor, by=ended_by)
