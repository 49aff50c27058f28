"""Decisions that another app's records cite (a protocol version approved by a meeting decision).

The app that records decisions registers one DecisionSource; an app that cites them asks the
source, never the recorder's models, so that the two apps need not import each other. The citing
model keeps its ForeignKey to the source's model (a string reference in its models module)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Citation:
    """A decision as a citing page shows it: what was decided, where, when, and its page."""

    pk: int
    motion: str
    taken_at: str  # the name of the meeting (or body) that took it
    taken_on: datetime
    url: str

    def __str__(self):
        return self.motion


@dataclass(frozen=True)
class DecisionSource:
    # taken(task_force) -> a queryset of the decisions taken in this task force, with what cite reads.
    taken: Callable[[Any], Any]
    # adopted(task_force) -> those of them that took effect, newest first.
    adopted: Callable[[Any], Any]
    # cite(decision) -> its Citation.
    cite: Callable[[Any], Citation]


_sources = []


def register(source):
    """Called by the app that records decisions, from its AppConfig.ready (one source today)."""
    _sources[:] = [source]
    return source


def source():
    if not _sources:
        raise LookupError("No app registered a decision source (taskforce.decisions.register).")
    return _sources[0]


def taken_in(task_force, decision):
    """Whether this decision was taken in this task force."""
    return source().taken(task_force).filter(pk=decision.pk).exists()


def citations(pks):
    """{pk: Citation} of these decisions, in one query; missing ones are left out."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return {}
    found = source().taken(None).filter(pk__in=pks)
    return {decision.pk: source().cite(decision) for decision in found}


def citation(pk):
    return citations([pk]).get(pk)
