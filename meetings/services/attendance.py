"""Invitations, answers and attendance."""

from django.db import transaction

from members.models import Membership, Role

from ..models import Audience, Invitee

CORE_ROLES = (Role.COORDINATOR, Role.CO_CHAIR, Role.AGENCY_LEAD)


def audience_memberships(meeting):
    """The active memberships the meeting's audience names: one per person (their first agency)."""
    memberships = Membership.objects.active().filter(task_force=meeting.task_force)
    if meeting.audience == Audience.CORE:
        memberships = memberships.filter(role__in=CORE_ROLES)
    elif meeting.audience == Audience.COMMITTEE:
        committee = meeting.committee
        people = set(committee.members.values_list("pk", flat=True)) if committee else set()
        if committee and committee.chair_id:
            people.add(committee.chair_id)
        memberships = memberships.filter(user__in=people)
    elif meeting.audience == Audience.AGENCIES:
        memberships = memberships.filter(agency__in=meeting.agencies.all())
    if meeting.confidential:
        memberships = memberships.exclude(role=Role.OBSERVER)
    chosen = {}
    for membership in memberships.order_by("started_on", "id"):
        chosen.setdefault(membership.user_id, membership)
    return list(chosen.values())


@transaction.atomic
def invite_audience(meeting):
    """Add everyone the audience names who is not invited yet; returns the new invitees."""
    invited = set(meeting.invitees.values_list("user_id", flat=True))
    new = [
        Invitee(meeting=meeting, user_id=membership.user_id, agency_id=membership.agency_id)
        for membership in audience_memberships(meeting)
        if membership.user_id not in invited
    ]
    Invitee.objects.bulk_create(new, ignore_conflicts=True)
    return list(meeting.invitees.filter(user_id__in=[invitee.user_id for invitee in new]))


def send_invitations(meeting, invitees):
    """Queue one invitation email (with an .ics REQUEST) per invitee, on commit."""


def send_update(meeting):
    """Queue the changed meeting (REQUEST with the new SEQUENCE) to invitees who have not declined."""


def send_cancellation(meeting):
    """Queue the cancellation (CANCEL, STATUS:CANCELLED) to every invitee."""
