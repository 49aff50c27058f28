"""What meetings does when members announces a change, and when a stored file's row goes."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from members.signals import membership_ended

from .models import Attachment
from .services import records


@receiver(post_delete, sender=Attachment, dispatch_uid="meetings.delete_attachment_file")
def delete_attachment_file(sender, instance, **kwargs):
    """The stored file goes once the row's deletion is committed, however it was deleted (the item,
    the meeting or the whole task force with it)."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(membership_ended, dispatch_uid="meetings.hand_over_action_items")
def hand_over_open_action_items(sender, membership, ended_by, successor, **kwargs):
    """Nothing open stays with a person who has left: their action items go to the successor."""
    records.hand_over_action_items(membership=membership, successor=successor, by=ended_by)
