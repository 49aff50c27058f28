"""Every change to memberships, invitations and sessions goes through here."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from taskforce import outbox
from taskforce.errors import ServiceError

from . import access
from .models import LEADERSHIP_ROLES, Committee, Invitation, Membership, Role, User
from .sessions import end_sessions
from .signals import membership_ended
from .tokens import INVITATION_SALT

# --- invitations --------------------------------------------------------------------------


def invitation_from_token(token):
    """The pending invitation a link stands for, or a ServiceError saying why it is not."""
    max_age = timedelta(days=settings.INVITATION_VALID_DAYS)
    try:
        code = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ServiceError("This invitation link has expired. Ask your coordinator for a new one.") from error
    except signing.BadSignature as error:
        raise ServiceError("This invitation link is not valid. Check that you copied all of it.") from error
    invitation = Invitation.objects.filter(code=code).select_related("task_force", "agency").first()
    if invitation is None:
        raise ServiceError("This invitation link is not valid. Check that you copied all of it.")
    status = invitation.get_status()
    if status == "accepted":
        raise ServiceError("This invitation has already been used. Sign in with your email and password.")
    if status == "revoked":
        raise ServiceError("This invitation was withdrawn. Ask your coordinator for a new one.")
    if status == "expired":
        raise ServiceError("This invitation link has expired. Ask your coordinator for a new one.")
    return invitation


@transaction.atomic
def invite(*, by, task_force, email, full_name, agency, role):
    """Invite a person to the task force; a pending invitation for the same place is replaced."""
    email = User.objects.normalize_email(email).lower()
    if agency.task_force_id != task_force.pk:
        raise ServiceError("Choose one of this task force's agencies.")
    if role not in access.grantable_roles(by, task_force, agency):
        raise ServiceError("You may not give that role for that agency.")
    if (
        Membership.objects.active()
        .filter(user__email__iexact=email, task_force=task_force, agency=agency)
        .exists()
    ):
        raise ServiceError("This person is already an active member for this agency.")
    Invitation.objects.pending().filter(email__iexact=email, task_force=task_force, agency=agency).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name,
        task_force=task_force,
        agency=agency,
        role=role,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    outbox.enqueue("members.tasks.send_invitation_email", invitation.pk)
    return invitation


@transaction.atomic
def revoke_invitation(*, by, invitation):
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if updated != 1:
        raise ServiceError("This invitation was already used or withdrawn.")


@transaction.atomic
def accept_invitation(invitation, *, user=None, full_name="", password=""):
    """Use the invitation once: create the account if needed and the membership."""
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).update(accepted_at=timezone.now())
    if claimed != 1:
        raise ServiceError("This invitation has already been used or has expired.")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ServiceError("An account with this email exists already: sign in to accept.")
        user = User.objects.create_user(invitation.email, password, full_name=full_name)
    elif user.email.lower() != invitation.email.lower():
        raise ServiceError(f"This invitation is for {invitation.email}. Sign in with that address.")
    try:
        with transaction.atomic():
            Membership.objects.create(
                user=user,
                task_force=invitation.task_force,
                agency=invitation.agency,
                role=invitation.role,
                started_on=invitation.task_force.today(),
            )
    except IntegrityError as error:
        raise ServiceError("You are already an active member for this agency.") from error
    Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
    access.sync_grants(user, invitation.task_force)
    return user


# --- memberships --------------------------------------------------------------------------


def _lock(membership):
    """The membership's current row, locked until the transaction ends."""
    return (
        Membership.objects.select_for_update()
        .select_related("user", "agency", "task_force")
        .get(pk=membership.pk)
    )


@transaction.atomic
def change_role(*, by, membership, role):
    membership = _lock(membership)
    if not membership.is_active:
        raise ServiceError("This membership has ended; invite the person again instead.")
    if role not in access.grantable_roles(by, membership.task_force, membership.agency):
        raise ServiceError("You may not give that role for that agency.")
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    access.sync_grants(membership.user, membership.task_force)
    return membership


def successor_for(membership, *, by, chosen=None):
    """Who takes over the open work of a membership that ends: the person chosen, else the
    agency's lead, else whoever ends it, else a coordinator; never the person who leaves."""
    active = (
        Membership.objects.active().filter(task_force=membership.task_force).exclude(user=membership.user)
    )
    if chosen is not None and active.filter(user=chosen).exists():
        return chosen
    for candidates in (
        active.filter(agency=membership.agency, role=Role.AGENCY_LEAD),
        active.filter(user=by),
        active.filter(role__in=LEADERSHIP_ROLES),
    ):
        found = candidates.select_related("user").order_by("started_on", "id").first()
        if found is not None:
            return found.user
    return None


@transaction.atomic
def end_membership(*, by, membership, ended_on, reason, handover_to=None):
    """End the membership, remove its access at once and let each app hand over open work
    to the successor (see successor_for)."""
    membership = _lock(membership)
    if not membership.is_active:
        raise ServiceError("This membership has already ended.")
    if ended_on < membership.started_on:
        raise ServiceError("A membership cannot end before it started.")
    if ended_on > membership.task_force.today():
        raise ServiceError("A membership ends today or on a past date, not in the future.")
    membership.ended_on = ended_on
    membership.end_reason = reason
    membership.save(update_fields=["ended_on", "end_reason", "updated_at"])
    access.sync_grants(membership.user, membership.task_force)
    end_sessions(membership.user)
    successor = successor_for(membership, by=by, chosen=handover_to)
    still_active = Membership.objects.active().filter(user=membership.user, task_force=membership.task_force)
    if not still_active.exists():
        leave_committees(membership.user, membership.task_force, successor)
    membership_ended.send(sender=Membership, membership=membership, ended_by=by, successor=successor)
    return membership


def leave_committees(user, task_force, successor):
    """A person who left the task force leaves its committees; a committee they chaired passes to
    the successor (who joins it), so that no committee is chaired by someone who has left."""
    for committee in Committee.objects.filter(task_force=task_force, chair=user):
        committee.chair = successor
        committee.save(update_fields=["chair", "updated_at"])
        if successor is not None:
            committee.members.add(successor)
    Committee.members.through.objects.filter(committee__task_force=task_force, user=user).delete()
