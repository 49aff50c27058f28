"""A version's way through the workflow: draft → in review → approved → in force → expired,
superseded or retired. Each change locks the document row first, moves the version by a
conditional update (so a change made twice, or by two people at once, happens once) and writes
a Transition."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from members import access
from taskforce import decisions
from taskforce.errors import ServiceError

from ..models import Document, Kind, ReviewComment, Signatory, Status, Transition, Version

REVIEWED_NOTE = "Reviewed"


# --- building blocks ----------------------------------------------------------------------


def lock_document(document):
    """The document's current row, locked until the transaction ends: every workflow change
    takes this lock first, so changes to one document's versions happen one after another."""
    return Document.objects.select_for_update().select_related("task_force").get(pk=document.pk)


def _read(version, document):
    """The version's row as it is now (under the document's lock)."""
    fresh = Version.objects.get(pk=version.pk, document=document)
    fresh.document = document
    return fresh


def _move(version, to_status, *, by, note="", **fields):
    """Move the version from the status it was read with to `to_status`, with `fields`, and
    record the Transition; False (and nothing written) if its status changed in the meantime."""
    from_status = version.status
    now = timezone.now()
    changes = {"status": to_status, **fields}
    moved = Version.objects.filter(pk=version.pk, status=from_status).update(
        version=F("version") + 1, updated_at=now, **changes
    )
    if moved != 1:
        return False
    for name, value in changes.items():
        setattr(version, name, value)
    version.version += 1
    version.updated_at = now
    Version.history.bulk_history_create([version], update=True, default_user=by)
    Transition.objects.create(
        version=version, from_status=from_status, to_status=to_status, by=by, note=note[:500]
    )
    return True


def _status_label(status):
    return Status(status).label.lower()


def signature_counts(version):
    """(signatories, signed) of a version."""
    counts = Signatory.objects.filter(version=version).aggregate(
        total=Count("id"), signed=Count("id", filter=Q(status=Signatory.SignatureStatus.SIGNED))
    )
    return counts["total"], counts["signed"]


def is_fully_executed(version):
    total, signed = signature_counts(version)
    return total > 0 and signed == total


def ready_for_force(document, version, today):
    """An approved version goes in force once its day has come and, for an MOU, every
    signatory agency has signed."""
    if version.status != Status.APPROVED or version.effective_on is None or version.effective_on > today:
        return False
    return not document.is_mou or is_fully_executed(version)


def next_review_from(document, day):
    if not document.review_every_months or day is None:
        return None
    return day + relativedelta(months=document.review_every_months)


def put_in_force(document, version, *, by=None, note=""):
    """The version in force from now on (document locked by the caller): the one in force
    before it is superseded first, as the database allows one in force per document."""
    for previous in document.versions.filter(status=Status.IN_FORCE).exclude(pk=version.pk):
        _move(previous, Status.SUPERSEDED, by=by, note=f"Replaced by version {version.number}.")
    if not _move(version, Status.IN_FORCE, by=by, note=note):
        return False
    document.next_review_on = next_review_from(document, version.effective_on)
    document.save(update_fields=["next_review_on", "updated_at"])
    return True


# --- the steps ----------------------------------------------------------------------------


@transaction.atomic
def submit(*, by, version, note=""):
    """Draft → in review: the text (or file) is there and, for an MOU, its signatories."""
    document = lock_document(version.document)
    version = _read(version, document)
    if version.status != Status.DRAFT:
        raise ServiceError(
            f"Only a draft is sent for review; this version is {_status_label(version.status)}."
        )
    if not version.body.strip() and not version.file:
        raise ServiceError("Write the text or attach the file before you send the version for review.")
    if document.is_mou and not version.signatories.exists():
        raise ServiceError(
            "An MOU goes to review with its signatory agencies: add them under Signatories first."
        )
    _move(version, Status.IN_REVIEW, by=by, note=note.strip())
    document.refresh_status()
    return version


@transaction.atomic
def return_to_draft(*, by, version, note):
    """In review → draft, saying what needs changing."""
    note = (note or "").strip()
    if not note:
        raise ServiceError("Say what needs changing before you return the version to draft.")
    document = lock_document(version.document)
    version = _read(version, document)
    if version.status != Status.IN_REVIEW:
        raise ServiceError(
            f"Only a version in review is returned to draft; this one is {_status_label(version.status)}."
        )
    _move(version, Status.DRAFT, by=by, note=note)
    document.refresh_status()
    return version


@transaction.atomic
def approve(*, by, version, effective_on, expires_on=None, decision=None, note=""):
    """In review → approved, with its dates and the meeting decision that approved it, if any.
    Other approved versions not yet in force are superseded; the version goes in force at once
    if its day has come (and, for an MOU, every agency has signed). Returns the version."""
    document = lock_document(version.document)
    version = _read(version, document)
    today = document.task_force.today()
    if version.status != Status.IN_REVIEW:
        raise ServiceError(
            f"Only a version in review can be approved; this one is {_status_label(version.status)}."
        )
    if effective_on is None:
        raise ServiceError("Give the day the version takes effect.")
    if expires_on is not None and expires_on <= effective_on:
        raise ServiceError("The expiry date must come after the day it takes effect.")
    if expires_on is not None and expires_on < today:
        raise ServiceError("That expiry date has passed: give a later one, or none.")
    if decision is not None:
        if not decisions.taken_in(document.task_force, decision):
            raise ServiceError("Choose a decision taken at one of this task force's meetings.")
        if not decisions.source().adopted(document.task_force).filter(pk=decision.pk).exists():
            raise ServiceError("That decision was not adopted (it failed or was tabled): choose another.")
    _move(
        version,
        Status.APPROVED,
        by=by,
        note=note.strip(),
        approved_at=timezone.now(),
        approved_by=by,
        effective_on=effective_on,
        expires_on=expires_on,
        approval_decision=decision,
    )
    for older in document.versions.filter(status=Status.APPROVED).exclude(pk=version.pk):
        _move(older, Status.SUPERSEDED, by=by, note=f"Version {version.number} was approved instead.")
    if ready_for_force(document, version, today):
        put_in_force(document, version, by=by)
    document.refresh_status()
    return version


@transaction.atomic
def retire(*, by, document, note):
    """The document no longer binds anyone: its versions in force or approved are retired."""
    note = (note or "").strip()
    if not note:
        raise ServiceError("Say why the document is retired.")
    document = lock_document(document)
    live = list(document.versions.filter(status__in=(Status.IN_FORCE, Status.APPROVED)).order_by("number"))
    if not live:
        raise ServiceError("Nothing to retire: no version of this document is in force or approved.")
    for version in live:
        version.document = document
        _move(version, Status.RETIRED, by=by, note=note)
    document.next_review_on = None
    document.save(update_fields=["next_review_on", "updated_at"])
    document.refresh_status()
    return document


@transaction.atomic
def record_review(*, by, document):
    """The task force looked at the document in force and keeps it: the next review is due
    `review_every_months` from today."""
    document = lock_document(document)
    in_force = document.versions.filter(status=Status.IN_FORCE).first()
    if in_force is None:
        raise ServiceError("Only a document in force is reviewed; this one has no version in force.")
    today = document.task_force.today()
    document.next_review_on = next_review_from(document, today)
    document.save(update_fields=["next_review_on", "updated_at"])
    Transition.objects.create(
        version=in_force,
        from_status=Status.IN_FORCE,
        to_status=Status.IN_FORCE,
        by=by,
        note=REVIEWED_NOTE,
    )
    return document


@transaction.atomic
def add_comment(*, by, version, body):
    """A reviewer's comment on a version in review, under their agency's name."""
    body = (body or "").strip()
    if not body:
        raise ServiceError("Write your comment first.")
    document = lock_document(version.document)
    version = _read(version, document)
    if version.status != Status.IN_REVIEW:
        raise ServiceError("Comments are taken while the version is in review.")
    person = access.standing(by, document.task_force)
    agency_ids = sorted(person.led_agency_ids) or sorted(person.agency_ids)
    return ReviewComment.objects.create(
        version=version, author=by, agency_id=agency_ids[0] if agency_ids else None, body=body
    )


# --- dates --------------------------------------------------------------------------------


@transaction.atomic
def _expire(version_pk, today):
    version = Version.objects.select_related("document").get(pk=version_pk)
    document = lock_document(version.document)
    version = _read(version, document)
    day = today or document.task_force.today()
    if version.status != Status.IN_FORCE or version.expires_on is None or version.expires_on >= day:
        return False
    _move(
        version,
        Status.EXPIRED,
        note=f"Expired: it was in force until {version.expires_on:%d %B %Y}.",
        by=None,
    )
    document.refresh_status()
    return True


@transaction.atomic
def _take_effect(version_pk, today):
    version = Version.objects.select_related("document").get(pk=version_pk)
    document = lock_document(version.document)
    version = _read(version, document)
    if not ready_for_force(document, version, today or document.task_force.today()):
        return False
    put_in_force(document, version, note=f"In force from {version.effective_on:%d %B %Y}.")
    document.refresh_status()
    return True


def apply_dates(today=None):
    """Expire the versions in force past their expiry date, then put in force the approved
    versions whose day has come (MOUs once fully executed). `today` defaults to each task
    force's own today. Safe to run again: what is done is not done twice.
    Returns (versions that went in force, versions that expired)."""
    # No task force's today is later than tomorrow in UTC; each is checked in its own zone.
    latest = today or timezone.now().date() + timedelta(days=1)
    lapsed = Version.objects.filter(status=Status.IN_FORCE, expires_on__lt=latest).values_list(
        "pk", flat=True
    )
    expired = sum(_expire(pk, today) for pk in list(lapsed))
    # MOUs still awaiting a signature are left out here rather than locked to be checked.
    signatories = Signatory.objects.filter(version=OuterRef("pk"))
    unsigned = signatories.exclude(status=Signatory.SignatureStatus.SIGNED)
    due = (
        Version.objects.filter(status=Status.APPROVED, effective_on__lte=latest)
        .exclude(Q(document__kind=Kind.MOU) & (Exists(unsigned) | ~Exists(signatories)))
        .values_list("pk", flat=True)
    )
    in_force = sum(_take_effect(pk, today) for pk in list(due))
    return in_force, expired
