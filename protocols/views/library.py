"""The library: the list of documents with its review and expiry lists, writing documents and
versions, their history, comparing two versions and downloading a version's file. Its URL patterns
are collected by protocols/urls.py."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import path
from django.utils.text import Truncator
from django.views.decorators.http import require_safe
from django.views.generic import FormView, ListView, TemplateView

from members import access
from members.models import Agency, User
from taskforce.audit import history_rows
from taskforce.forms import STALE_EDIT_MESSAGE, StaleEdit
from taskforce.taxonomy import TraffickingType
from taskforce.uploads import stored_file_response

from ..diff import line_diff
from ..forms.documents import (
    CompareForm,
    DocumentCreateForm,
    DocumentFilterForm,
    DocumentForm,
    VersionCreateForm,
    VersionForm,
)
from ..markdown import render_markdown
from ..models import Document, Signatory, Status, Version
from ..services import documents as services
from .base import DocumentMixin, ProtocolsSectionMixin, VersionMixin, get_version_for_user

PAGE_SIZE = 25
EXPIRING_DAYS = 90
REVIEW, EXPIRING = "review", "expiring"


def readable_versions(user, document):
    versions = document.versions.defer("body").select_related("author").order_by("number")
    return list(access.visible_versions(user, document, versions))


# --- the library --------------------------------------------------------------------------


class Library(ProtocolsSectionMixin, ListView):
    """The documents the reader may see, filtered and searched; ?list=review or ?list=expiring
    narrow it to those due for review or expiring within 90 days."""

    template_name = "protocols/document_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "documents"

    def get_queryset(self):
        user, task_force = self.request.user, self.task_force
        self.today = task_force.today()
        self.visible = access.visible_documents(
            user, task_force, Document.objects.filter(task_force=task_force)
        )
        self.section = (
            self.request.GET.get("list") if self.request.GET.get("list") in (REVIEW, EXPIRING) else ""
        )
        self.filters = DocumentFilterForm(self.request.GET or None, task_force=task_force)
        documents = self.visible
        if self.section == REVIEW:
            documents = documents.due_for_review(self.today).order_by("next_review_on", "title", "id")
        elif self.section == EXPIRING:
            documents = documents.expiring(self.today, EXPIRING_DAYS).order_by(
                "current_version__expires_on", "title", "id"
            )
        documents = self.apply_filters(documents, self.filters.usable_data())
        return documents.select_related("owner_agency", "current_version")

    def apply_filters(self, documents, data):
        statuses = access.readable_version_statuses(self.request.user, self.task_force)
        for name in ("kind", "category", "status"):
            if name in data:
                documents = documents.filter(**{name: data[name]})
        if agency := data.get("agency"):
            signs = Signatory.objects.filter(
                version__document=OuterRef("pk"), version__status__in=statuses, agency=agency
            )
            documents = documents.filter(Q(owner_agency=agency) | Q(Exists(signs)))
        if kind := data.get("type"):
            documents = documents.filter(trafficking_type__in=TraffickingType.covering(kind))
        if query := data.get("q"):
            # The text in force, else the newest text the reader may read.
            newest = Version.objects.filter(document=OuterRef("pk"), status__in=statuses).order_by("-number")
            documents = documents.annotate(
                searched_body=Coalesce("current_version__body", Subquery(newest.values("body")[:1]))
            ).filter(
                Q(title__icontains=query) | Q(summary__icontains=query) | Q(searched_body__icontains=query)
            )
        return documents

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filters=self.filters, **kwargs)
        for document in context["documents"]:
            document.task_force = self.task_force  # for its links, without a query each
        context.update(
            section=self.section or "library",
            today=self.today,
            expiring_days=EXPIRING_DAYS,
            review_count=self.visible.due_for_review(self.today).count(),
            expiring_count=self.visible.expiring(self.today, EXPIRING_DAYS).count(),
            filtered=bool(self.filters.usable_data()),
        )
        return context


# --- documents ----------------------------------------------------------------------------


class ManagerMixin(ProtocolsSectionMixin):
    def check_access(self):
        if not access.can_manage_documents(self.request.user, self.task_force):
            raise PermissionDenied


class DocumentCreate(ManagerMixin, FormView):
    form_class = DocumentCreateForm
    template_name = "protocols/document_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(task_force=self.task_force, instance=Document(task_force=self.task_force))
        return kwargs

    def form_valid(self, form):
        document = form.save(by=self.request.user)
        messages.success(
            self.request,
            f"“{document.title}” is saved with version 1 as a draft. Only coordinators and co-chairs "
            "see it until it is sent for review.",
        )
        return redirect(document.get_absolute_url())


class DocumentUpdate(DocumentMixin, FormView):
    document_action = "change"
    form_class = DocumentForm
    template_name = "protocols/document_form.html"

    def get_form_kwargs(self):
        # A copy: the page's header keeps the saved title while the form shows what was typed.
        instance = copy.copy(self.document)
        return {**super().get_form_kwargs(), "task_force": self.task_force, "instance": instance}

    def form_valid(self, form):
        try:
            form.save()
        except StaleEdit:
            form.add_error(None, STALE_EDIT_MESSAGE)
            return self.form_invalid(form)
        messages.success(self.request, "The document's details are saved.")
        return redirect(self.document.get_absolute_url())


class DocumentHistory(DocumentMixin, TemplateView):
    """Who changed what and when, in the document, its versions and their signatories: for the
    people who manage documents, like other audit trails."""

    document_action = "change"
    template_name = "protocols/document_history.html"

    def get_context_data(self, **kwargs):
        document = self.document
        versions = dict(document.versions.values_list("pk", "number"))
        rows = history_rows(
            document.history.all(),
            Version.history.filter(document_id=document.pk),
            Signatory.history.filter(version_id__in=list(versions)),
        )
        agencies = Agency.objects.filter(task_force=self.task_force).in_bulk()
        readable = _readable_values(rows, agencies)
        for row in rows:
            record = row["record"]
            if hasattr(record, "agency_id"):
                record.agency = agencies.get(record.agency_id)  # one query for all the rows
            if hasattr(record, "number"):
                row["label"] = f"version {record.number}"
            row["changes"] = [
                (name, readable(name, old), readable(name, new)) for name, old, new in row["changes"]
            ]
        return super().get_context_data(rows=rows, **kwargs)


def _readable_values(rows, agencies):
    """A function giving the value of a changed field as a person reads it: names for the
    records it points to, and long texts cut short (the Compare tab shows what a text changed)."""
    # Only editable fields are diffed (django-simple-history): the workflow's own columns are in
    # the transitions instead.
    user_ids = {
        value
        for row in rows
        for name, *values in row["changes"]
        for value in values
        if name == "approved by" and isinstance(value, int)
    }
    users = User.objects.in_bulk(user_ids)
    lookups = {
        "owner agency": lambda pk: agencies[pk].name if pk in agencies else None,
        "agency": lambda pk: agencies[pk].name if pk in agencies else None,
        "approved by": lambda pk: str(users[pk]) if pk in users else None,
        "approval decision": lambda pk: "a meeting decision" if isinstance(pk, int) else None,
    }

    def readable(name, value):
        if name in lookups:
            return lookups[name](value) or "—"
        return Truncator(value).chars(120) if isinstance(value, str) else value

    return readable


# --- versions -----------------------------------------------------------------------------


class VersionCreate(DocumentMixin, FormView):
    document_action = "change"
    form_class = VersionCreateForm
    template_name = "protocols/version_form.html"

    def get(self, request, *args, **kwargs):
        return self.refused() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refused() or super().post(request, *args, **kwargs)

    def refused(self):
        if refusal := services.new_version_refusal(self.document):
            messages.error(self.request, refusal)
            return redirect(self.document.get_absolute_url())
        return None

    def get_initial(self):
        newest = self.document.versions.order_by("-number").only("body").first()
        return {"body": newest.body if newest else ""}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            version = services.create_version(
                self.document,
                by=self.request.user,
                change_summary=data["change_summary"],
                body=data["body"],
                upload=data["file"],
            )
        except services.DocumentError as error:
            messages.error(self.request, str(error))
            return redirect(self.document.get_absolute_url())
        message = f"{version.label} is started as a draft."
        if self.document.is_mou and version.signatories.exists():
            message += " Its signatory agencies are copied from the previous version and sign again."
        messages.success(self.request, message)
        return redirect(version.get_absolute_url())


class VersionUpdate(VersionMixin, FormView):
    version_action = "change"
    form_class = VersionForm
    template_name = "protocols/version_form.html"

    def get(self, request, *args, **kwargs):
        return self.refused() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refused() or super().post(request, *args, **kwargs)

    def refused(self, refusal=""):
        if not refusal and self.version.status != Status.DRAFT:
            refusal = services.not_draft_refusal(self.version)
        if refusal:
            messages.error(self.request, refusal)
            return redirect(self.version.get_absolute_url())
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": copy.copy(self.version)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=render_markdown(self.version.body), **kwargs)

    def form_valid(self, form):
        try:
            form.save()
        except StaleEdit:
            form.add_error(None, STALE_EDIT_MESSAGE)
            return self.form_invalid(form)
        except services.DocumentError as error:
            return self.refused(str(error))
        messages.success(self.request, f"{self.version.label} is saved.")
        return redirect(self.version.get_absolute_url())


class VersionCompare(DocumentMixin, TemplateView):
    """Any two versions the reader may read, side by side as a line diff (default: the newest
    against the one before)."""

    template_name = "protocols/version_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = readable_versions(self.request.user, self.document)
        context["versions"] = versions
        if len(versions) < 2:
            return context
        by_number = {version.number: version for version in versions}
        default = {"a": versions[-2].number, "b": versions[-1].number}
        asked = {name: self.request.GET.get(name, number) for name, number in default.items()}
        form = CompareForm(asked, versions=versions)
        if not form.is_valid():
            form = CompareForm(default, versions=versions)
            form.is_valid()
        chosen = form.cleaned_data
        old, new = by_number[chosen["a"]], by_number[chosen["b"]]
        bodies = dict(Version.objects.filter(pk__in=[old.pk, new.pk]).values_list("pk", "body"))
        old.body, new.body = bodies[old.pk], bodies[new.pk]
        context.update(form=form, old=old, new=new, same=old.pk == new.pk)
        if old.body.strip() and new.body.strip():
            context["diff"] = line_diff(old.body, new.body)
        return context


@require_safe
def version_file(request, tf, code):
    """Served through the view, never from a public folder: only readers of the version get it."""
    task_force = access.get_task_force_for_user(request.user, tf)
    version = get_version_for_user(request.user, task_force, code)
    return stored_file_response(version.file, version.file_name, version.file_content_type)


urlpatterns = [
    path("documents/", Library.as_view(), name="library"),
    path("documents/new/", DocumentCreate.as_view(), name="document-create"),
    path("documents/<uuid:code>/edit/", DocumentUpdate.as_view(), name="document-update"),
    path("documents/<uuid:code>/history/", DocumentHistory.as_view(), name="document-history"),
    path("documents/<uuid:code>/versions/new/", VersionCreate.as_view(), name="version-create"),
    path("documents/<uuid:code>/compare/", VersionCompare.as_view(), name="version-compare"),
    path("versions/<uuid:code>/edit/", VersionUpdate.as_view(), name="version-update"),
    path("versions/<uuid:code>/file/", version_file, name="version-file"),
]
