"""What every protocols page shares: the task force, the reader's rights, the document itself."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members import access
from taskforce.views import TaskForceMixin

from ..models import Document, Signatory, Version


def _in(task_force, obj):
    obj.task_force = task_force
    return obj


def get_document_for_user(user, task_force, code, action="view"):
    """404 to people who may not read the document, 403 to readers who may not change it."""
    # Who may read it is part of the one query, not a second query once it is fetched.
    documents = access.visible_documents(user, task_force, Document.objects.filter(task_force=task_force))
    document = access.get_for_user(
        documents.select_related("owner_agency", "current_version"),
        code,
        can_view=lambda d: True,  # visible_documents has left out the others
        can_change=lambda d: access.can_manage_documents(user, task_force),
        action=action,
        missing="No such document.",
    )
    return _in(task_force, document)


def get_version_for_user(user, task_force, code, action="view"):
    """A version the person may read (its document too); "change" is for managers."""
    versions = Version.objects.filter(document__task_force=task_force).select_related(
        "document__owner_agency", "document__current_version", "author", "approved_by"
    )

    def can_view(version):
        document = _in(task_force, version.document)
        return access.can_view_document(user, document) and access.can_view_version(user, version, document)

    return access.get_for_user(
        versions,
        code,
        can_view=can_view,
        can_change=lambda v: access.can_manage_documents(user, task_force),
        action=action,
        missing="No such version.",
    )


def get_signatory_for_user(user, task_force, code, action="view"):
    """A signatory of a version the person may read; "sign" only for the agency's current lead."""
    signatory = (
        Signatory.objects.filter(version__document__task_force=task_force, code=code)
        .select_related("agency", "version__document", "signer")
        .first()
    )
    if signatory is None:
        raise Http404("No such signatory.")
    get_version_for_user(user, task_force, signatory.version.code)
    _in(task_force, signatory.version.document)
    if action == "sign" and not access.can_sign_for(user, task_force, signatory.agency_id):
        raise PermissionDenied
    if action == "change" and not access.can_manage_documents(user, task_force):
        raise PermissionDenied
    return signatory


class ProtocolsSectionMixin(TaskForceMixin):
    """A page of the protocols section: says which links the reader may use."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage_documents"] = access.can_manage_documents(self.request.user, self.task_force)
        context["leads_an_agency"] = bool(access.standing(self.request.user, self.task_force).led_agency_ids)
        return context


class DocumentMixin(ProtocolsSectionMixin):
    """A page of one document (`code` in the URL); `document_action = "change"` for managers' pages."""

    document_action = "view"

    def check_access(self):
        self.document = get_document_for_user(
            self.request.user, self.task_force, self.kwargs["code"], self.document_action
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["document"] = self.document
        return context


class VersionMixin(ProtocolsSectionMixin):
    """A page of one version (`code` in the URL)."""

    version_action = "view"

    def check_access(self):
        self.version = get_version_for_user(
            self.request.user, self.task_force, self.kwargs["code"], self.version_action
        )
        self.document = self.version.document

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["version"] = self.version
        context["document"] = self.document
        return context
