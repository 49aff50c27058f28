"""The meetings' decisions as taskforce.decisions' source: what protocols cite when a meeting
decision approves a version (imported from MeetingsConfig.ready)."""

from django.urls import reverse

from taskforce.decisions import Citation, DecisionSource, register

from .models import Decision
from .services.records import ADOPTED_RESULTS


def taken(task_force):
    decisions = Decision.objects.select_related("meeting", "meeting__task_force")
    return decisions if task_force is None else decisions.filter(meeting__task_force=task_force)


def adopted(task_force):
    decisions = taken(task_force).filter(result__in=ADOPTED_RESULTS)
    return decisions.order_by("-meeting__starts_at", "-created_at", "-id")


def cite(decision):
    meeting = decision.meeting
    return Citation(
        pk=decision.pk,
        motion=decision.motion,
        taken_at=meeting.title,
        taken_on=meeting.starts_at,
        url=reverse("meetings:decision-detail", args=[meeting.task_force.slug, decision.code]),
    )


register(DecisionSource(taken=taken, adopted=adopted, cite=cite))
