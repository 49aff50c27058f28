"""Protocols' sections of the task force handbook: the charter and decision-making rules in force
(their text), then the MOUs, protocols and policies in force, each only if the reader may read it
(access.visible_documents, as in the library)."""

from django.db.models import Prefetch

from members import access
from taskforce.handbook import HandbookSection, register

from .markdown import render_markdown
from .models import Document, Kind, Signatory, Status

RULE_KINDS = (Kind.CHARTER, Kind.DECISION_RULES)
AGREEMENT_KINDS = [(Kind.MOU, "MOUs"), (Kind.PROTOCOL, "Protocols"), (Kind.POLICY, "Policies")]


def _in_force(user, task_force):
    documents = Document.objects.filter(
        task_force=task_force, status=Status.IN_FORCE, current_version__isnull=False
    )
    visible = access.visible_documents(user, task_force, documents)
    return visible.select_related("current_version", "owner_agency")


def rules_context(user, task_force):
    documents = list(_in_force(user, task_force).filter(kind__in=RULE_KINDS).order_by("kind", "title", "id"))
    for document in documents:
        body = document.current_version.body
        document.rendered_body = render_markdown(body) if body.strip() else ""
    return {"documents": documents}


def agreements_context(user, task_force):
    signatories = Signatory.objects.select_related("agency").order_by("agency__name", "id")
    documents = (
        _in_force(user, task_force)
        .exclude(kind__in=RULE_KINDS)
        .prefetch_related(Prefetch("current_version__signatories", queryset=signatories))
        .order_by("kind", "title", "id")
    )
    grouped = {}
    for document in documents:
        grouped.setdefault(document.kind, []).append(document)
    return {"kinds": [(label, grouped[kind]) for kind, label in AGREEMENT_KINDS if kind in grouped]}


register(
    HandbookSection(
        name="protocols.rules",
        title="Charter and decision-making rules",
        order=50,
        template_name="protocols/pdf/handbook_rules.html",
        get_context=rules_context,
    )
)
register(
    HandbookSection(
        name="protocols.agreements",
        title="MOUs and protocols in force",
        order=60,
        template_name="protocols/pdf/handbook_agreements.html",
        get_context=agreements_context,
    )
)
