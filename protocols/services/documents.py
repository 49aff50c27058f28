"""Writing the library: a new document with its first draft, its details, new versions and the
drafts' text and file. Workflow steps (review, approval, force) live in services/workflow.py.

A stored file is written before its row; if the transaction fails the file is deleted again, and a
replaced or removed file leaves the disk only once the change is committed."""

from contextlib import contextmanager
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from taskforce.errors import ServiceError
from taskforce.forms import StaleEdit
from taskforce.uploads import DOCX, PDF, clean_file_name, validate_upload

from ..models import Document, Signatory, Status, Transition, Version

FILE_KINDS = (PDF, DOCX)
OPEN_STATUSES = (Status.DRAFT, Status.IN_REVIEW)
VERSION_TEXT_FIELDS = ["body", "change_summary", "file", "file_name", "file_content_type", "file_size"]


class DocumentError(ServiceError):
    """A refusal to show the person as it is."""


def open_version_refusal(version):
    """Why no new version may start while this one is open, in the reader's words."""
    if version.status == Status.IN_REVIEW:
        return (
            f"{version.label} is in review: approve it or return it to draft before starting another version."
        )
    return f"{version.label} is still a draft: edit that draft instead of starting another version."


def new_version_refusal(document):
    """The reason no new version may start now, or "" if one may."""
    open_version = document.versions.filter(status__in=OPEN_STATUSES).order_by("-number").first()
    return open_version_refusal(open_version) if open_version else ""


def not_draft_refusal(version):
    """Why this version can no longer be edited, and what to do instead."""
    if version.status == Status.IN_REVIEW:
        return f"{version.label} is in review: return it to draft to edit it."
    return (
        f"{version.label} is {version.get_status_display().lower()}: only a draft can be edited. "
        "Start a new version to change the text."
    )


# --- files --------------------------------------------------------------------------------


@contextmanager
def _new_files():
    """Collect the files written inside the block; delete them if the block fails."""
    written = []
    try:
        yield written
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise


def _attach(version, upload, written):
    kind = validate_upload(upload, FILE_KINDS)  # the form checked it; the service never trusts that
    name = clean_file_name(upload.name, kind)
    version.file.save(name, upload, save=False)
    written.append((version.file.storage, version.file.name))
    version.file_name = name
    version.file_content_type = kind.content_type
    version.file_size = upload.size


def _detach(version):
    version.file = ""
    version.file_name = version.file_content_type = ""
    version.file_size = None


def _delete_on_commit(field_file):
    storage, name = field_file.storage, field_file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- documents ----------------------------------------------------------------------------


def _lock(document):
    """The document row, locked: the workflow services lock it too, so changes queue up."""
    return Document.objects.select_for_update().get(pk=document.pk)


def _record(version, from_status, to_status, by, note=""):
    return Transition.objects.create(
        version=version, from_status=from_status, to_status=to_status, by=by, note=note
    )


def create_document(document, *, by, shared_with=(), body="", change_summary="First draft", upload=None):
    """Save a new document (an unsaved instance with its task force) and its version 1, a draft."""
    version = Version(document=document, number=1, body=body or "", change_summary=change_summary, author=by)
    with _new_files() as written, transaction.atomic():
        document.created_by = by
        document.save()
        document.shared_with.set(shared_with)
        if upload:
            _attach(version, upload, written)
        version.save()
        _record(version, "", Status.DRAFT, by)
        document.refresh_status()
    return document


def _next_review_on(document, months):
    """After a change of the review period: counted from the last review of the version in force,
    or from the day it took effect. A document not in force gets its date when it goes in force."""
    if not months:
        return None
    current = document.current_version
    if current is None or document.status != Status.IN_FORCE:
        return document.next_review_on
    reviewed = (
        current.transitions.filter(from_status=Status.IN_FORCE, to_status=Status.IN_FORCE)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    zone = ZoneInfo(document.task_force.time_zone)
    reviewed_on = timezone.localdate(reviewed, timezone=zone) if reviewed else None
    days = [day for day in (current.effective_on, reviewed_on) if day]
    return max(days) + relativedelta(months=months) if days else document.next_review_on


def update_document(document, *, seen_version, fields, shared_with=()):
    """Save the document's details (set on `document` by its form). Refused with StaleEdit if someone
    saved it since `seen_version`; only `fields` are written, never the workflow's columns."""
    with transaction.atomic():
        current = _lock(document)
        bumped = Document.objects.filter(pk=document.pk, version=seen_version).update(
            version=F("version") + 1
        )
        if bumped != 1:
            raise StaleEdit
        document.version = seen_version + 1
        update_fields = [*fields, "version", "updated_at"]
        if current.review_every_months != document.review_every_months:
            document.next_review_on = _next_review_on(current, document.review_every_months)
            update_fields.append("next_review_on")
        document.save(update_fields=update_fields)
        document.shared_with.set(shared_with)
    return document


# --- versions -----------------------------------------------------------------------------


def create_version(document, *, by, change_summary, body=None, upload=None):
    """A new draft, numbered after the newest version, starting from its text (unless `body` is
    given) and, for an MOU, its signatory agencies (to sign again). Refused while a version is open."""
    with _new_files() as written, transaction.atomic():
        document = _lock(document)
        versions = list(document.versions.order_by("-number"))
        open_version = next((version for version in versions if version.status in OPEN_STATUSES), None)
        if open_version is not None:
            raise DocumentError(open_version_refusal(open_version))
        newest = versions[0] if versions else None
        version = Version(
            document=document,
            number=newest.number + 1 if newest else 1,
            body=(newest.body if newest else "") if body is None else body,
            change_summary=change_summary,
            author=by,
        )
        if upload:
            _attach(version, upload, written)
        version.save()
        if document.is_mou and newest is not None:
            for signatory in newest.signatories.order_by("id"):
                Signatory.objects.create(
                    version=version,
                    agency_id=signatory.agency_id,
                    needs_outside_approval=signatory.needs_outside_approval,
                    approving_body=signatory.approving_body,
                )
        _record(version, "", Status.DRAFT, by)
        document.refresh_status()
    return version


def update_version(version, *, seen_version, body, change_summary, upload=None, remove_file=False):
    """Save a draft's text and file. Refused with StaleEdit if someone saved it since
    `seen_version`, and with DocumentError once it is no longer a draft."""
    with _new_files() as written, transaction.atomic():
        _lock(version.document)
        bumped = Version.objects.filter(pk=version.pk, version=seen_version, status=Status.DRAFT).update(
            version=F("version") + 1
        )
        if bumped != 1:
            current = Version.objects.get(pk=version.pk)
            if current.status != Status.DRAFT:
                raise DocumentError(not_draft_refusal(current))
            raise StaleEdit
        version.version = seen_version + 1
        version.body, version.change_summary = body, change_summary
        if upload or remove_file:
            _delete_on_commit(version.file)
            _detach(version)
        if upload:
            _attach(version, upload, written)
        version.save(update_fields=[*VERSION_TEXT_FIELDS, "version", "updated_at"])
    return version
