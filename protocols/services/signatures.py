"""Who signs an MOU and how far each agency has got. The agency's current lead signs or declines
for it; a signatory row is answered once (checked in the update itself), and the last signature
puts the version in force, in the same transaction, when its day has come."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from members import access
from taskforce.errors import ServiceError

from ..models import Confidentiality, Signatory, Status, Version
from . import workflow

Answer = Signatory.SignatureStatus


def _locked(signatory):
    """(document, signatory) as they are now: the document locked first, like every workflow
    change, then the signatory row."""
    document = workflow.lock_document(signatory.version.document)
    fresh = (
        Signatory.objects.select_for_update()
        .select_related("agency", "version")
        .get(pk=signatory.pk, version__document=document)
    )
    fresh.version.document = document
    return document, fresh


# --- choosing the signatories (coordinators, while the version is a draft) -----------------


def _check_draft_mou(document, version):
    if not document.is_mou:
        raise ServiceError("Only MOUs have signatory agencies.")
    if version.status != Status.DRAFT:
        raise ServiceError(
            "Signatory agencies are chosen while the version is a draft; start a new version to change them."
        )


@transaction.atomic
def add_signatory(*, by, version, agency, needs_outside_approval=False, approving_body=""):
    document = workflow.lock_document(version.document)
    version = Version.objects.get(pk=version.pk, document=document)
    _check_draft_mou(document, version)
    if agency.task_force_id != document.task_force_id:
        raise ServiceError(f"{agency.name} is not a member agency of this task force.")
    approving_body = (approving_body or "").strip()
    if needs_outside_approval and not approving_body:
        raise ServiceError(f"Say whose approval {agency.name} needs first, e.g. City Council.")
    if (
        document.confidentiality == Confidentiality.AGENCIES
        and agency.pk != document.owner_agency_id
        and not document.shared_with.filter(pk=agency.pk).exists()
    ):
        raise ServiceError(
            f"This document is shared with named agencies only, and {agency.name} is not one of them: "
            "share the document with it first, so that its lead can read what they sign."
        )
    try:
        with transaction.atomic():
            return Signatory.objects.create(
                version=version,
                agency=agency,
                needs_outside_approval=needs_outside_approval,
                approving_body=approving_body if needs_outside_approval else "",
            )
    except IntegrityError as error:
        raise ServiceError(f"{agency.name} is already a signatory of this version.") from error


@transaction.atomic
def remove_signatory(*, by, signatory):
    document, signatory = _locked(signatory)
    _check_draft_mou(document, signatory.version)
    signatory.delete()
    return signatory


# --- outside approval (the agency's lead or a coordinator) --------------------------------


def outside_approval_refusal(signatory):
    """Why the outside approval cannot be recorded now, or ""."""
    if not signatory.needs_outside_approval:
        return f"{signatory.agency.name} needs no outside approval to sign."
    if signatory.status != Answer.PENDING:
        return f"{signatory.agency.name} has already answered: its outside approval no longer matters."
    if signatory.version.status not in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED):
        return "This version is no longer open for signature."
    return ""


@transaction.atomic
def record_outside_approval(*, by, signatory, approved_on):
    document, signatory = _locked(signatory)
    if refusal := outside_approval_refusal(signatory):
        raise ServiceError(refusal)
    if approved_on is None:
        raise ServiceError("Give the day the approval was given.")
    if approved_on > document.task_force.today():
        raise ServiceError("The approval was given today or earlier, not on a future day.")
    signatory.outside_approval_on = approved_on
    signatory.save(update_fields=["outside_approval_on", "updated_at"])
    return signatory


# --- signing and declining (the agency's current lead) ------------------------------------


def answer_refusal(signatory):
    """Why this signatory cannot sign or decline now, or "" (read again under lock to act)."""
    name = signatory.agency.name
    if signatory.status == Answer.SIGNED:
        return f"{name} has already signed this version."
    if signatory.status == Answer.DECLINED:
        return f"{name} has already declined this version."
    status = signatory.version.status
    if status in (Status.DRAFT, Status.IN_REVIEW):
        return "This version is not open for signature yet: agencies sign once it is approved."
    if status != Status.APPROVED:
        return "This version is no longer open for signature."
    return ""


def _check_answer(by, document, signatory):
    if not access.can_sign_for(by, document.task_force, signatory.agency_id):
        raise ServiceError(f"Only the current lead of {signatory.agency.name} answers for it.")
    if refusal := answer_refusal(signatory):
        raise ServiceError(refusal)


def _answer(signatory, by, **fields):
    """Write the answer if the row is still pending; False if someone answered first."""
    now = timezone.now()
    answered = Signatory.objects.filter(pk=signatory.pk, status=Answer.PENDING).update(
        signer=by, answered_at=now, updated_at=now, **fields
    )
    if answered != 1:
        return False
    for name, value in fields.items():
        setattr(signatory, name, value)
    signatory.signer, signatory.answered_at, signatory.updated_at = by, now, now
    Signatory.history.bulk_history_create([signatory], update=True, default_user=by)
    return True


@transaction.atomic
def sign(*, by, signatory, name, title, signed_on, ip_address=None, signed_page=None, page_name=""):
    """Sign for the agency: a typed name, title and date, or with them the signed page (a PDF
    checked by the caller). Puts the version in force when this was the last signature and its
    day has come. Returns (signatory, whether the version went in force)."""
    document, signatory = _locked(signatory)
    _check_answer(by, document, signatory)
    if signatory.awaits_outside_approval:
        raise ServiceError(
            f"{signatory.agency.name} needs the approval of "
            f"{signatory.approving_body or 'its approving body'} before it signs: "
            "record the day it was given, then sign."
        )
    name, title = (name or "").strip(), (title or "").strip()
    if not name:
        raise ServiceError("Type your full name to sign.")
    if not title:
        raise ServiceError("Give your title, as it should appear under your signature.")
    today = document.task_force.today()
    if signed_on is None or signed_on > today:
        raise ServiceError("The date of signing is today or an earlier day.")
    fields = {
        "status": Answer.SIGNED,
        "signer_name": name,
        "signer_title": title,
        "signed_on": signed_on,
        "ip_address": ip_address,
        "declined_reason": "",
    }
    if signed_page is not None:
        signatory.signed_page.save(page_name, signed_page, save=False)
        fields["signed_page"] = signatory.signed_page.name
        fields["signed_page_name"] = page_name
    try:
        answered = _answer(signatory, by, **fields)
    except BaseException:
        _discard(signatory, fields)
        raise
    if not answered:
        _discard(signatory, fields)
        raise ServiceError(f"{signatory.agency.name} answered a moment ago: reload the page to see how.")
    version = signatory.version
    went_in_force = workflow.ready_for_force(document, version, today) and workflow.put_in_force(
        document, version, by=by, note="Fully executed: every signatory agency has signed."
    )
    if went_in_force:
        document.refresh_status()
    return signatory, went_in_force


def _discard(signatory, fields):
    if "signed_page" in fields:
        signatory.signed_page.storage.delete(fields["signed_page"])


@transaction.atomic
def decline(*, by, signatory, reason, ip_address=None):
    """Decline for the agency, saying why; the version cannot go in force without a new one."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Say why the agency declines: the coordinator needs it to prepare a new version.")
    document, signatory = _locked(signatory)
    _check_answer(by, document, signatory)
    fields = {
        "status": Answer.DECLINED,
        "signer_name": by.full_name,
        "signer_title": by.job_title,
        "declined_reason": reason,
        "ip_address": ip_address,
    }
    if not _answer(signatory, by, **fields):
        raise ServiceError(f"{signatory.agency.name} answered a moment ago: reload the page to see how.")
    return signatory


# --- what awaits a lead -------------------------------------------------------------------


def awaiting(user, task_force, documents):
    """The pending signatures of approved versions for the agencies the person leads now,
    among `documents` (those the person may read), longest waiting first."""
    led = access.standing(user, task_force).led_agency_ids
    if not led:
        return Signatory.objects.none()
    return (
        Signatory.objects.filter(
            agency__in=led,
            status=Answer.PENDING,
            version__status=Status.APPROVED,
            version__document__in=documents,
        )
        .select_related("agency", "version__document")
        .order_by("version__approved_at", "version__document__title", "agency__name", "id")
    )
