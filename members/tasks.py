from celery import shared_task
from django.core.management import call_command

from . import emails
from .models import Invitation


@shared_task
def send_invitation_email(invitation_id):
    invitation = (
        Invitation.objects.filter(pk=invitation_id)
        .select_related("task_force", "agency", "invited_by")
        .first()
    )
    if invitation is None or invitation.get_status() != "pending":
        return
    emails.send_invitation(invitation)


@shared_task
def clear_expired_sessions():
    call_command("clearsessions")
