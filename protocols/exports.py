"""The protocols PDF that the exports engine makes: a version as its reader may read it, with the
signature page of an MOU."""

from django.utils.text import slugify

from taskforce import decisions
from taskforce.exports.registry import ExportKind, register

from .markdown import render_markdown
from .models import Signatory, Version


def _task_force_slug(code):
    return Version.objects.filter(code=code).values_list("document__task_force__slug", flat=True).first()


def _get_version(user, task_force, code):
    from .views.base import get_version_for_user

    return get_version_for_user(user, task_force, code)


def version_context(user, task_force, version):
    document = version.document
    signatories = []
    if document.is_mou:
        signatories = list(Signatory.objects.filter(version=version).select_related("agency"))
    signed = sum(1 for signatory in signatories if signatory.status == Signatory.SignatureStatus.SIGNED)
    return {
        "version": version,
        "document": document,
        "body": render_markdown(version.body) if version.body.strip() else "",
        "decision": decisions.citation(version.approval_decision_id),
        "signatories": signatories,
        "signed_count": signed,
        "fully_executed": bool(signatories) and signed == len(signatories),
    }


def version_file_name(version):
    return f"{slugify(version.document.title)[:60] or 'document'}-v{version.number}.pdf"


register(
    ExportKind(
        name="protocols.version",
        label="Document version",
        template_name="protocols/pdf/version.html",
        task_force_slug=_task_force_slug,
        get_target=_get_version,
        get_context=version_context,
        file_name=version_file_name,
        title=lambda version: f"{version.document.title}, version {version.number}",
    )
)
