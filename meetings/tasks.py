"""Meeting emails, run by Celery: thin tasks taking ids; the services make each one idempotent."""

from celery import shared_task

from .services import attendance


@shared_task
def send_invitation_emails(meeting_id, invitee_ids):
    attendance.deliver_invitations(meeting_id, invitee_ids)


@shared_task
def send_meeting_update(meeting_id, sequence):
    attendance.deliver_update(meeting_id, sequence)


@shared_task
def send_meeting_cancellation(meeting_id, sequence):
    attendance.deliver_cancellation(meeting_id, sequence)


@shared_task
def send_nudge_emails(meeting_id, invitee_ids):
    attendance.deliver_nudges(meeting_id, invitee_ids)


@shared_task
def send_due_invitations():
    """Daily: invitations for meetings that came within INVITATION_WINDOW since yesterday."""
    attendance.send_due_invitations()
