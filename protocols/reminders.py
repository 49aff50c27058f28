"""The protocols app's reminder rules (imported from ProtocolsConfig.ready): documents expiring
or due for review go to the coordinators and the owner agency's lead; pending MOU signatures to
the signing agency's current lead."""

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from members.models import Membership, Role
from taskforce.reminders.models import Kind
from taskforce.reminders.registry import (
    Due,
    ReminderRule,
    in_batches,
    leads_by_agency,
    local_today,
    people_by_task_force,
    register,
)

from .models import Document, Signatory, Status

EXPIRY_THRESHOLDS = (7, 30, 90)  # days before expiry; the tightest that applies is sent
SIGNATURE_PENDING_DAYS = 14


def _keepers(documents):
    """{document id: [user ids]}: the coordinators and the owner agency's leads (two queries)."""
    coordinators = people_by_task_force([d.task_force_id for d in documents], [Role.COORDINATOR])
    leads = leads_by_agency([d.owner_agency_id for d in documents if d.owner_agency_id])
    return {
        d.pk: sorted(set(coordinators.get(d.task_force_id, [])) | set(leads.get(d.owner_agency_id, [])))
        for d in documents
    }


def expiry_threshold(expires_on, today):
    left = (expires_on - today).days
    return next((days for days in EXPIRY_THRESHOLDS if 0 <= left <= days), None)


def find_expiring(now, batch_size):
    # A day's margin either side of UTC; each task force's own date decides below.
    start = (now - timedelta(days=1)).date()
    documents = Document.objects.filter(
        status=Status.IN_FORCE,
        current_version__expires_on__gte=start,
        current_version__expires_on__lte=start + timedelta(days=EXPIRY_THRESHOLDS[-1] + 2),
    ).select_related("current_version", "task_force")
    for rows in in_batches(documents, batch_size):
        today = local_today({d.task_force for d in rows}, now)
        keepers = _keepers(rows)
        due = []
        for document in rows:
            days = expiry_threshold(document.current_version.expires_on, today[document.task_force_id])
            if days is None:
                continue
            threshold = f"v{document.current_version.number}-{days}d"
            due += [
                Due(document, user_id, threshold, document.task_force_id) for user_id in keepers[document.pk]
            ]
        yield due


def find_review_due(now, batch_size):
    start = (now + timedelta(days=1)).date()
    documents = Document.objects.filter(status=Status.IN_FORCE, next_review_on__lte=start).select_related(
        "task_force"
    )
    for rows in in_batches(documents, batch_size):
        today = local_today({d.task_force for d in rows}, now)
        keepers = _keepers(rows)
        yield [
            Due(document, user_id, f"review-{document.next_review_on.isoformat()}", document.task_force_id)
            for document in rows
            if document.next_review_on <= today[document.task_force_id]
            for user_id in keepers[document.pk]
        ]


register(
    ReminderRule(
        name="protocols.document-expiring",
        kind=Kind.DOCUMENTS,
        model=Document,
        find=find_expiring,
        template="protocols/document_expiring",
        link=lambda document: document.get_absolute_url(),
        queryset=lambda: Document.objects.select_related("task_force", "current_version", "owner_agency"),
        still_due=lambda document, notice, now: (
            document.status == Status.IN_FORCE
            and document.current_version is not None
            and notice.threshold.startswith(f"v{document.current_version.number}-")
        ),
        context=lambda document, notice, now: {
            "days": notice.threshold.rsplit("-", 1)[1].rstrip("d"),
            "expires_on": document.current_version.expires_on,
        },
    )
)

register(
    ReminderRule(
        name="protocols.document-review-due",
        kind=Kind.DOCUMENTS,
        model=Document,
        find=find_review_due,
        template="protocols/document_review_due",
        link=lambda document: document.get_absolute_url(),
        queryset=lambda: Document.objects.select_related("task_force", "owner_agency"),
        still_due=lambda document, notice, now: (
            document.status == Status.IN_FORCE
            and document.next_review_on is not None
            and notice.threshold == f"review-{document.next_review_on.isoformat()}"
        ),
    )
)


# --- signatures ------------------------------------------------------------------------------


def find_pending_signatures(now, batch_size):
    signatories = Signatory.objects.filter(
        status=Signatory.SignatureStatus.PENDING,
        version__status=Status.APPROVED,
        version__approved_at__lte=now - timedelta(days=SIGNATURE_PENDING_DAYS),
    ).select_related("version__document")
    for rows in in_batches(signatories, batch_size):
        leads = leads_by_agency([s.agency_id for s in rows])
        yield [
            Due(signatory, user_id, f"{SIGNATURE_PENDING_DAYS}d", signatory.version.document.task_force_id)
            for signatory in rows
            for user_id in leads.get(signatory.agency_id, [])
        ]


def _signatories():
    """With each agency's current leads, so that a lead who left meanwhile is not reminded."""
    return Signatory.objects.select_related("agency", "version__document__task_force").prefetch_related(
        Prefetch(
            "agency__memberships",
            queryset=Membership.objects.active().filter(role=Role.AGENCY_LEAD),
            to_attr="current_leads",
        )
    )


def signature_still_due(signatory, notice, now):
    """Still pending, the version still open for signature, and the recipient still leads the agency."""
    return (
        signatory.status == Signatory.SignatureStatus.PENDING
        and signatory.version.status == Status.APPROVED
        and notice.recipient_id in {m.user_id for m in signatory.agency.current_leads}
    )


register(
    ReminderRule(
        name="protocols.signature-pending",
        kind=Kind.SIGNATURES,
        model=Signatory,
        find=find_pending_signatures,
        template="protocols/signature_pending",
        link=lambda signatory: signatory.version.get_absolute_url(),
        queryset=_signatories,
        still_due=signature_still_due,
        context=lambda signatory, notice, now: {
            "document": signatory.version.document,
            "version": signatory.version,
            "days": (timezone.localdate(now) - signatory.version.approved_at.date()).days,
        },
    )
)
