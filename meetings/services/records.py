"""Decisions and votes, minutes approval, action items and their handover when someone leaves."""

from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from members.models import Membership, Role
from taskforce.errors import ServiceError

from ..models import ActionItem, Decision, Meeting, Vote

# Results that a recorded vote can give; the others (consensus, tabled) are taken without a count.
VOTED_RESULTS = (Decision.Result.CARRIED, Decision.Result.FAILED)
# Results under which a decision takes effect, e.g. approves minutes.
ADOPTED_RESULTS = (Decision.Result.CARRIED, Decision.Result.CONSENSUS)


def with_tallies(decisions):
    """Annotate each decision with its votes counted by agency (one vote each): for, against, abstain."""
    return decisions.annotate(
        votes_for=Count("votes", filter=Q(votes__choice=Vote.Choice.FOR)),
        votes_against=Count("votes", filter=Q(votes__choice=Vote.Choice.AGAINST)),
        votes_abstain=Count("votes", filter=Q(votes__choice=Vote.Choice.ABSTAIN)),
    )


def result_of_votes(choices):
    """Carried when more agencies vote for than against; failed otherwise (abstentions do not count)."""
    counts = Counter(choices)
    if counts[Vote.Choice.FOR] > counts[Vote.Choice.AGAINST]:
        return Decision.Result.CARRIED
    return Decision.Result.FAILED


@transaction.atomic
def record_decision(
    *,
    by,
    meeting,
    motion,
    result="",
    moved_by=None,
    seconded_by=None,
    approves_minutes_of=None,
    votes=(),
):
    """Record a decision of `meeting` with its votes, `votes` being (agency, choice) pairs.

    With votes, an empty `result` is derived from them and a given one must agree. A decision that
    approves an earlier meeting's minutes marks them approved. All or nothing."""
    meeting = Meeting.objects.select_for_update().select_related("task_force").get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ServiceError("This meeting was cancelled, so it took no decisions.")
    if not meeting.has_begun():
        raise ServiceError("Decisions are recorded at the meeting: from 30 minutes before it starts.")
    motion = (motion or "").strip()
    if not motion:
        raise ServiceError("Write the motion as it was put.")
    if moved_by is not None and seconded_by is not None and moved_by.pk == seconded_by.pk:
        raise ServiceError("A motion is seconded by someone other than the person who moved it.")
    votes = _check_votes(meeting, votes)
    result = _check_result(result, [choice for _, choice in votes])
    if approves_minutes_of is not None:
        _approve_minutes(meeting, approves_minutes_of, result)
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                meeting=meeting,
                motion=motion,
                moved_by=moved_by,
                seconded_by=seconded_by,
                result=result,
                approves_minutes_of=approves_minutes_of,
                recorded_by=by,
            )
            Vote.objects.bulk_create(
                Vote(decision=decision, agency=agency, choice=choice) for agency, choice in votes
            )
    except IntegrityError as error:
        # Two tabs approving the same minutes at once: the one-to-one lets only the first through.
        raise ServiceError(
            "These minutes were approved by another decision a moment ago. Reload the page to see it."
        ) from error
    return decision


def _check_votes(meeting, votes):
    votes = list(votes)
    seen = Counter(agency.pk for agency, _ in votes)
    for agency, choice in votes:
        if agency.task_force_id != meeting.task_force_id:
            raise ServiceError(
                f"{agency.name} is not a member agency of this task force: its vote is refused."
            )
        if seen[agency.pk] > 1:
            raise ServiceError(f"One agency, one vote: {agency.name} voted more than once.")
        if choice not in Vote.Choice.values:
            raise ServiceError(f"Choose for, against or abstain for {agency.name}.")
    invited = set(meeting.invitees.values_list("agency_id", flat=True))
    uninvited = [agency.name for agency, _ in votes if agency.pk not in invited]
    if uninvited:
        raise ServiceError(
            f"Only agencies invited to this meeting vote; {', '.join(uninvited)} "
            f"{'was' if len(uninvited) == 1 else 'were'} not invited."
        )
    return votes


def _check_result(result, choices):
    if not choices:
        if not result:
            raise ServiceError("Choose the result, or record how each agency voted.")
        return result
    derived = result_of_votes(choices)
    if result and result != derived:
        counts = Counter(choices)
        raise ServiceError(
            f"The votes say the motion {Decision.Result(derived).label.lower()} "
            f"({counts[Vote.Choice.FOR]} for, {counts[Vote.Choice.AGAINST]} against): "
            "correct the votes or the result, or leave the result empty to take it from the votes."
        )
    return derived


def _approve_minutes(meeting, earlier, result):
    earlier = Meeting.objects.select_for_update().get(pk=earlier.pk)
    if earlier.task_force_id != meeting.task_force_id or earlier.pk == meeting.pk:
        raise ServiceError("A meeting approves the minutes of an earlier meeting of the same task force.")
    if earlier.starts_at >= meeting.starts_at:
        raise ServiceError(
            f"“{earlier.title}” does not start before this meeting: a meeting approves the minutes "
            "of an earlier one."
        )
    if earlier.minutes_status == Meeting.MinutesStatus.APPROVED:
        raise ServiceError(f"The minutes of “{earlier.title}” are already approved.")
    if earlier.minutes_status != Meeting.MinutesStatus.CIRCULATED:
        raise ServiceError(
            f"The minutes of “{earlier.title}” are still a draft: circulate them before approving them."
        )
    if result not in ADOPTED_RESULTS:
        raise ServiceError(
            "Minutes are approved by a motion that carried or was agreed by consensus. "
            "Record a failed or tabled motion without “approves the minutes of”."
        )
    earlier.minutes_status = Meeting.MinutesStatus.APPROVED
    earlier.save(update_fields=["minutes_status", "updated_at"])


# --- action items -------------------------------------------------------------------------


def set_action_item_status(*, by, item, status):
    """Move an action item to `status`; done items remember when they were done."""
    if status not in ActionItem.Status.values:
        raise ServiceError("Choose open, in progress, done or dropped.")
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.status == status:
            return item, False
        item.status = status
        item.completed_at = timezone.now() if status == ActionItem.Status.DONE else None
        item.save(update_fields=["status", "completed_at", "updated_at"])
    return item, True


@transaction.atomic
def hand_over_action_items(*, membership, successor, by=None):
    """Give the open action items of a membership that ended to `successor`.

    All of the person's open items in the task force if they have no other active membership
    there; otherwise those of the agency they left. Each item keeps its agency when the successor
    serves it, else takes the successor's agency. Returns the number of items handed over."""
    leaver, task_force = membership.user, membership.task_force
    items = ActionItem.objects.open().filter(task_force=task_force, assignee=leaver)
    staying = Membership.objects.active().filter(user=leaver, task_force=task_force)
    if staying.exists():
        items = items.filter(agency=membership.agency)
    items = list(items.select_for_update().select_related("agency").order_by("due_on", "id"))
    if not items or successor is None:
        return 0
    successor_agencies = list(
        Membership.objects.active()
        .filter(user=successor, task_force=task_force)
        .order_by("role", "started_on", "id")
        .values_list("agency_id", "role")
    )
    serving = {agency_id for agency_id, _ in successor_agencies}
    # Their agency: one they take part in rather than only observe, when there is one.
    own_agency = next(
        (agency_id for agency_id, role in successor_agencies if role != Role.OBSERVER),
        successor_agencies[0][0] if successor_agencies else membership.agency_id,
    )
    reason = f"Handed over from {leaver} when they left {membership.agency}"[:100]
    for item in items:
        item.assignee = successor
        if item.agency_id not in serving:
            item.agency_id = own_agency
        # A newer version: an edit form opened before the handover cannot give the item back.
        item.version += 1
        item._change_reason = reason
        item.save(update_fields=["assignee", "agency", "version", "updated_at"])
    return len(items)
