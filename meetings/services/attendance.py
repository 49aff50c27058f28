"""Invitations, answers and attendance, and the emails that go with them.

Every email is queued through the outbox (taskforce/outbox.py: recorded with the change, published
after the commit, again if the broker was down) as a Celery task taking ids (meetings/tasks.py),
and claimed per invitee by a conditional update (invited_at, sent_sequence, nudged_at), so a
retried or repeated task sends nothing twice.
"""

from datetime import timedelta
from email.mime.text import MIMEText

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from members import access
from members.models import Membership, Role, site_url
from taskforce import outbox
from taskforce.emails import render_email
from taskforce.errors import ServiceError

from ..models import Audience, Invitee, Meeting
from . import calendar
from .calendar import LinkError

# Invitations go out this long before a meeting (the daily sweep sends the later ones).
INVITATION_WINDOW = timedelta(days=35)
CANCELLED_NO_ATTENDANCE = "This meeting was cancelled: there is no attendance to record."
ATTENDANCE_OPENS = "Attendance is taken at the meeting: from 30 minutes before it starts."
NUDGE_INTERVAL = timedelta(hours=24)
ANSWERS = (Invitee.Response.YES, Invitee.Response.NO, Invitee.Response.MAYBE)
ANSWER_SALT = "meetings.invitee-answer"


# --- who is invited -----------------------------------------------------------------------


def _one_per_person(memberships, confidential):
    """One membership per person (their first agency); never an observer's for a confidential meeting."""
    if confidential:
        memberships = memberships.exclude(role=Role.OBSERVER)
    chosen = {}
    for membership in memberships.order_by("started_on", "id"):
        chosen.setdefault(membership.user_id, membership)
    return list(chosen.values())


def _committee_people(committee):
    people = set(committee.members.values_list("pk", flat=True))
    if committee.chair_id:
        people.add(committee.chair_id)
    return people


def audience_memberships(meeting):
    """The active memberships the meeting's audience names: one per person (their first agency)."""
    memberships = Membership.objects.active().filter(task_force=meeting.task_force)
    if meeting.audience == Audience.CORE:
        memberships = memberships.filter(role__in=access.CORE_ROLES)
    elif meeting.audience == Audience.COMMITTEE:
        committee = meeting.committee
        memberships = memberships.filter(user__in=_committee_people(committee) if committee else set())
    elif meeting.audience == Audience.AGENCIES:
        memberships = memberships.filter(agency__in=meeting.agencies.all())
    return _one_per_person(memberships, meeting.confidential)


def _add_invitees(meeting, memberships):
    invited = set(meeting.invitees.values_list("user_id", flat=True))
    new = [
        Invitee(meeting=meeting, user_id=membership.user_id, agency_id=membership.agency_id)
        for membership in memberships
        if membership.user_id not in invited
    ]
    Invitee.objects.bulk_create(new, ignore_conflicts=True)
    return list(meeting.invitees.filter(user_id__in=[invitee.user_id for invitee in new]))


@transaction.atomic
def invite_audience(meeting):
    """Add everyone the audience names who is not invited yet; returns the new invitees."""
    return _add_invitees(meeting, audience_memberships(meeting))


@transaction.atomic
def invite(meeting, *, whole=False, committee=None, agencies=(), people=()):
    """Invite more people: the whole task force, a committee, chosen agencies and/or chosen people
    (active members only). Queues the new invitees' invitations; returns (new invitees, how many of
    those chosen were invited already)."""
    if meeting.is_cancelled:
        raise ServiceError("This meeting is cancelled: nobody can be invited to it.")
    memberships = Membership.objects.active().filter(task_force=meeting.task_force)
    if not whole:
        chosen = Q(agency__in=list(agencies)) | Q(user__in=list(people))
        if committee is not None:
            chosen |= Q(user__in=_committee_people(committee))
        memberships = memberships.filter(chosen)
    chosen = _one_per_person(memberships, meeting.confidential)
    new = _add_invitees(meeting, chosen)
    send_invitations(meeting, new)
    return new, len(chosen) - len(new)


# --- answers and attendance ---------------------------------------------------------------


def closed_reason(meeting, now=None):
    """Why a meeting takes no more answers or reminders, or "" while it does."""
    if meeting.is_cancelled:
        return "This meeting was cancelled, so there is nothing to answer."
    if meeting.ends_at <= (now or timezone.now()):
        return "This meeting is over, so answers are closed."
    return ""


@transaction.atomic
def answer(invitee, response):
    """Record the invitee's yes / no / maybe."""
    if response not in ANSWERS:
        raise ServiceError("Answer yes, no or maybe.")
    meeting = Meeting.objects.select_for_update().get(pk=invitee.meeting_id)
    if reason := closed_reason(meeting):
        raise ServiceError(f"{reason} Your answer was not saved.")
    invitee.response = response
    invitee.responded_at = timezone.now()
    invitee.save(update_fields=["response", "responded_at"])
    return invitee


@transaction.atomic
def record_attendance(meeting, attendance):
    """Save {invitee id: attendance} at once; a meeting that has started becomes held."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ServiceError(CANCELLED_NO_ATTENDANCE)
    if not meeting.has_begun():
        raise ServiceError(ATTENDANCE_OPENS)
    invitees = list(meeting.invitees.filter(pk__in=list(attendance)))
    if len(invitees) != len(attendance):
        raise ServiceError("The list of invitees changed while you were recording. Reload the page.")
    for invitee in invitees:
        invitee.attendance = attendance[invitee.pk]
    Invitee.objects.bulk_update(invitees, ["attendance"])
    if meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at <= timezone.now():
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
    return meeting


def yes_as_present(invitees):
    """The attendance sheet pre-filled: who said yes is present, everyone else as recorded."""
    return {
        invitee.pk: Invitee.Attendance.PRESENT
        if invitee.response == Invitee.Response.YES
        else invitee.attendance
        for invitee in invitees
    }


# --- answer links in emails ---------------------------------------------------------------


def answer_token(invitee, response):
    return signing.dumps([invitee.pk, response], salt=ANSWER_SALT)


def answer_url(invitee, response):
    return site_url(reverse("meetings-public:rsvp-answer", args=[answer_token(invitee, response)]))


def invitee_from_token(token):
    """(invitee, response) of an email's answer link; LinkError (400 or 410) when it cannot be used.
    A link works until the meeting ends and only while the person is still a member."""
    try:
        invitee_id, response = signing.loads(token, salt=ANSWER_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkError("This answer link is not valid. Check that you opened all of it.", 400) from error
    if response not in ANSWERS:
        raise LinkError("This answer link is not valid. Check that you opened all of it.", 400)
    invitee = (
        Invitee.objects.filter(pk=invitee_id)
        .select_related("user", "agency", "meeting__task_force", "meeting__organiser")
        .first()
    )
    if invitee is None:
        raise LinkError("You are no longer invited to this meeting, so the link does not work any more.", 410)
    meeting = invitee.meeting
    if meeting.ends_at <= timezone.now():
        raise LinkError("This meeting is over, so its answer links have expired.", 410)
    member = Membership.objects.active().filter(user=invitee.user_id, task_force=meeting.task_force_id)
    if not invitee.user.is_active or not member.exists():
        raise LinkError(
            "Your membership of this task force has ended, so the link does not work any more.", 410
        )
    return invitee, response


# --- emails -------------------------------------------------------------------------------


def _invitees_to_email(meeting, ids):
    return list(meeting.invitees.filter(pk__in=list(ids)).select_related("user", "agency"))


def _meeting_for_email(meeting_id):
    return (
        Meeting.objects.filter(pk=meeting_id).select_related("task_force", "organiser", "committee").first()
    )


def _send(template, meeting, invitee, *, method=None, **context):
    """One email of templates/meetings/emails/<template>_*, with the .ics when `method` is given."""
    context.update(
        meeting=meeting,
        invitee=invitee,
        task_force=meeting.task_force,
        meeting_url=site_url(meeting.get_absolute_url()),
        answer_urls={response: answer_url(invitee, response) for response in ANSWERS},
    )
    message = render_email(
        f"meetings/emails/{template}", context, [invitee.user.email], time_zone=meeting.task_force.time_zone
    )
    if method:
        ics = calendar.build_calendar([meeting], method=method, attendee=invitee).decode()
        part = MIMEText(ics, "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="invite.ics")
        message.attach(part)
    message.send()


def send_invitations(meeting, invitees):
    """Queue the invitation (with an .ics REQUEST) of these invitees, on commit. Meetings more than
    INVITATION_WINDOW away are left to the daily sweep, so a year's series does not flood inboxes."""
    ids = [invitee.pk for invitee in invitees]
    if not ids or not _due_for_invitations(meeting):
        return
    outbox.enqueue("meetings.tasks.send_invitation_emails", meeting.pk, ids)


def _due_for_invitations(meeting, now=None):
    now = now or timezone.now()
    return (
        meeting.status == Meeting.Status.SCHEDULED
        and meeting.ends_at > now
        and meeting.starts_at <= now + INVITATION_WINDOW
    )


def deliver_invitations(meeting_id, invitee_ids):
    """Email each invitee not yet invited, once: invited_at is claimed before the email goes."""
    meeting = _meeting_for_email(meeting_id)
    if meeting is None or not _due_for_invitations(meeting):
        return 0
    sent = 0
    for invitee in _invitees_to_email(meeting, invitee_ids):
        stamp = timezone.now()
        claimed = Invitee.objects.filter(pk=invitee.pk, invited_at__isnull=True).update(
            invited_at=stamp, sent_sequence=meeting.sequence
        )
        if claimed != 1:
            continue
        try:
            _send("invitation", meeting, invitee, method=calendar.REQUEST)
        except Exception:
            # Give the claim back, so the retry (or tomorrow's sweep) sends it.
            Invitee.objects.filter(pk=invitee.pk, invited_at=stamp).update(
                invited_at=None, sent_sequence=None
            )
            raise
        sent += 1
    return sent


def send_due_invitations(now=None):
    """The daily sweep: invite (once) the invitees of scheduled meetings starting within the window."""
    now = now or timezone.now()
    pending = (
        Invitee.objects.filter(
            invited_at__isnull=True,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + INVITATION_WINDOW,
        )
        .order_by("meeting_id", "id")
        .values_list("meeting_id", "pk")
    )
    by_meeting = {}
    for meeting_id, invitee_id in pending:
        by_meeting.setdefault(meeting_id, []).append(invitee_id)
    return sum(deliver_invitations(meeting_id, ids) for meeting_id, ids in by_meeting.items())


def send_update(meeting):
    """Queue the changed meeting (REQUEST with the new SEQUENCE) to invitees who have not declined."""
    outbox.enqueue("meetings.tasks.send_meeting_update", meeting.pk, meeting.sequence)


def _claim_sequence(invitee, sequence):
    return (
        Invitee.objects.filter(pk=invitee.pk)
        .filter(Q(sent_sequence__isnull=True) | Q(sent_sequence__lt=sequence))
        .update(sent_sequence=sequence)
    )


def deliver_update(meeting_id, sequence):
    """Send the update to those already invited who have not declined. Those not invited yet get
    the invitation instead (now, if the meeting moved into the window). A later change wins."""
    meeting = _meeting_for_email(meeting_id)
    if meeting is None or meeting.sequence != sequence or meeting.status != Meeting.Status.SCHEDULED:
        return 0
    if meeting.ends_at <= timezone.now():
        return 0
    sent = 0
    invitees = (
        meeting.invitees.filter(invited_at__isnull=False)
        .exclude(response=Invitee.Response.NO)
        .select_related("user", "agency")
    )
    for invitee in invitees:
        if _claim_sequence(invitee, sequence) == 1:
            _send("update", meeting, invitee, method=calendar.REQUEST)
            sent += 1
    deliver_invitations(
        meeting.pk, meeting.invitees.filter(invited_at__isnull=True).values_list("pk", flat=True)
    )
    return sent


def send_cancellation(meeting):
    """Queue the cancellation (CANCEL, STATUS:CANCELLED) to every invitee who heard of the meeting."""
    outbox.enqueue("meetings.tasks.send_meeting_cancellation", meeting.pk, meeting.sequence)


def deliver_cancellation(meeting_id, sequence):
    """To everyone who was sent the invitation or answered on the site; nobody twice."""
    meeting = _meeting_for_email(meeting_id)
    if meeting is None or not meeting.is_cancelled or meeting.ends_at <= timezone.now():
        return 0
    sent = 0
    invitees = meeting.invitees.filter(
        Q(invited_at__isnull=False) | ~Q(response=Invitee.Response.PENDING)
    ).select_related("user", "agency")
    for invitee in invitees:
        if _claim_sequence(invitee, max(sequence, meeting.sequence)) == 1:
            _send("cancellation", meeting, invitee, method=calendar.CANCEL)
            sent += 1
    return sent


@transaction.atomic
def nudge(meeting):
    """Remind the invitees who have not answered, at most once per NUDGE_INTERVAL each; returns how
    many. The conditional update claims them, so two clicks at once nudge each person once."""
    if reason := closed_reason(meeting):
        raise ServiceError(f"{reason} Nobody was reminded.")
    now = timezone.now()
    claimed = Invitee.objects.filter(meeting=meeting, response=Invitee.Response.PENDING).filter(
        Q(nudged_at__isnull=True) | Q(nudged_at__lte=now - NUDGE_INTERVAL)
    )
    count = claimed.update(nudged_at=now)
    if count:
        ids = list(Invitee.objects.filter(meeting=meeting, nudged_at=now).values_list("pk", flat=True))
        outbox.enqueue("meetings.tasks.send_nudge_emails", meeting.pk, ids)
    return count


def deliver_nudges(meeting_id, invitee_ids):
    meeting = _meeting_for_email(meeting_id)
    if meeting is None or meeting.status != Meeting.Status.SCHEDULED or meeting.ends_at <= timezone.now():
        return 0
    invitees = [
        invitee
        for invitee in _invitees_to_email(meeting, invitee_ids)
        if invitee.response == Invitee.Response.PENDING
    ]
    for invitee in invitees:
        _send("nudge", meeting, invitee)
    return len(invitees)
