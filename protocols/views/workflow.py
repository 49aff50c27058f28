"""A document and its versions as the task force reads them, and the workflow's state changes:
send for review, return to draft, approve, retire, record a review, comment in review."""

from collections import Counter
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from members import access
from taskforce import decisions
from taskforce.errors import ServiceError

from ..forms.workflow import ApproveForm, CommentForm, RetireForm, ReturnForm
from ..markdown import render_markdown
from ..models import Kind, ReviewComment, Signatory, Status, Transition, Version
from ..services import workflow
from .base import DocumentMixin, VersionMixin, get_document_for_user, get_version_for_user

PAGE_SIZE = 25
TRANSITIONS_SHOWN = 25
APPROVALS_SHOWN = 10
EXPIRING_DAYS = 90
# Versions a new one may not start beside (see the library's version-create).
OPEN_STATUSES = (Status.DRAFT, Status.IN_REVIEW)


def of_document(document, versions):
    """The versions with their document set, so that links cost no query."""
    versions = list(versions)
    for version in versions:
        version.document = document
    return versions


def signatories_of(version):
    return list(version.signatories.select_related("agency", "signer").order_by("agency__name", "id"))


def signing_summary(signatories):
    signed = sum(1 for s in signatories if s.status == Signatory.SignatureStatus.SIGNED)
    declined = [s for s in signatories if s.status == Signatory.SignatureStatus.DECLINED]
    pending = [s for s in signatories if s.status == Signatory.SignatureStatus.PENDING]
    return {
        "total": len(signatories),
        "signed": signed,
        "declined": declined,
        "pending": pending,
        "fully_executed": bool(signatories) and signed == len(signatories),
    }


def _dates(document, version, today):
    """What a coordinator watches: when it lapses and when it is due for review."""
    expires_on = version.expires_on if version else None
    return {
        "today": today,
        "expires_soon": expires_on is not None
        and today <= expires_on <= today + timedelta(days=EXPIRING_DAYS),
        "expires_in_days": (expires_on - today).days if expires_on else None,
        "review_due": document.next_review_on is not None and document.next_review_on <= today,
    }


# --- pages --------------------------------------------------------------------------------


class DocumentDetail(DocumentMixin, TemplateView):
    """What is in force, what awaits whom, what is about to lapse; then the versions and history."""

    template_name = "protocols/document_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, document = self.request.user, self.document
        today = self.task_force.today()
        # Every version in one query, without its text (a document has a handful): each list on
        # the page is cut from these, and the workflow history points at them.
        versions = of_document(
            document,
            document.versions.defer("body")
            .select_related("author", "approved_by")
            .order_by("-number"),
        )
        statuses = Counter(version.status for version in versions)
        readable = [version for version in versions if access.can_view_version(user, version, document)]
        cited = decisions.citations(version.approval_decision_id for version in readable)
        for version in readable:
            version.url = version.get_absolute_url()  # reversed once: the lists below link to it often
            version.citation = cited.get(version.approval_decision_id)

        in_force = document.current_version if document.current_version_id else None
        if in_force is not None:
            in_force.document = document  # its links cost no query
        pending = next((v for v in readable if v.status in (Status.APPROVED, *OPEN_STATUSES)), None)
        leading = in_force or next((v for v in readable if v.status not in OPEN_STATUSES), pending)
        # An MOU's signatures to show: the version collecting them, else the leading one.
        signing = pending if pending is not None and pending.status == Status.APPROVED else leading
        signatories = signatories_of(signing) if document.is_mou and signing is not None else []

        page = Paginator(readable, PAGE_SIZE).get_page(self.request.GET.get("page"))
        by_pk = {version.pk: version for version in readable}
        transitions = list(
            Transition.objects.filter(version__in=list(by_pk))
            .select_related("by")
            .order_by("-at", "-id")[:TRANSITIONS_SHOWN]
        )
        for step in transitions:
            step.version = by_pk[step.version_id]
        approved = [version for version in readable if version.approved_at is not None]
        approvals = sorted(approved, key=lambda v: (v.approved_at, v.pk), reverse=True)[:APPROVALS_SHOWN]
        context.update(
            in_force=in_force,
            leading=leading,
            leading_html=render_markdown(leading.body) if leading else "",
            pending=pending,
            signing=signing,
            signatories=signatories,
            signing_summary=signing_summary(signatories),
            versions=page.object_list,
            page_obj=page,
            transitions=transitions,
            approvals=approvals,
            shared_with=(
                list(document.shared_with.order_by("name")) if document.confidentiality == "agencies" else []
            ),
            can_start_version=not any(statuses[s] for s in OPEN_STATUSES),
            can_retire=bool(statuses[Status.IN_FORCE] or statuses[Status.APPROVED]),
            can_record_review=bool(statuses[Status.IN_FORCE]),
            **_dates(document, in_force, today),
        )
        return context


class VersionDetail(VersionMixin, TemplateView):
    """One version: its text, where it stands, who approved it, who signed, and what the reader
    may do next."""

    template_name = "protocols/version_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, version, document = self.request.user, self.version, self.document
        today = self.task_force.today()
        person = access.standing(user, self.task_force)
        signatories = signatories_of(version) if document.is_mou else []
        for signatory in signatories:
            signatory.mine = signatory.agency_id in person.led_agency_ids
            signatory.can_answer = (
                signatory.mine
                and version.status == Status.APPROVED
                and signatory.status == Signatory.SignatureStatus.PENDING
            )
            signatory.can_record_approval = (
                (signatory.mine or context["can_manage_documents"])
                and signatory.awaits_outside_approval
                and signatory.status == Signatory.SignatureStatus.PENDING
                and version.status in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)
            )
        can_comment = access.can_comment_on_version(user, version, document)
        comments = list(
            ReviewComment.objects.filter(version=version)
            .select_related("author", "agency")
            .order_by("created_at", "id")
        )
        can_start_version = (
            context["can_manage_documents"]
            and not document.versions.filter(status__in=OPEN_STATUSES).exists()
        )
        context.update(
            body_html=render_markdown(version.body),
            decision=decisions.citation(version.approval_decision_id),
            transitions=version.transitions.select_related("by").order_by("-at", "-id"),
            comments=comments,
            comment_form=CommentForm() if can_comment else None,
            return_form=ReturnForm(),
            signatories=signatories,
            signing_summary=signing_summary(signatories),
            my_signatories=[s for s in signatories if s.mine and (s.can_answer or s.can_record_approval)],
            signature_actions=any(s.can_answer or s.can_record_approval for s in signatories),
            in_force=of_document(document, [document.current_version])[0]
            if document.current_version_id
            else None,
            can_start_version=can_start_version,
            is_mou=document.kind == Kind.MOU,
            **_dates(document, version if version.status == Status.IN_FORCE else None, today),
        )
        return context


class VersionApprove(VersionMixin, FormView):
    version_action = "change"
    form_class = ApproveForm
    template_name = "protocols/version_approve.html"

    def dispatch_refusal(self):
        if self.version.status != Status.IN_REVIEW:
            messages.error(
                self.request,
                "Only a version in review can be approved; "
                f"this one is {self.version.get_status_display().lower()}.",
            )
            return redirect(self.version)
        return None

    def get(self, request, *args, **kwargs):
        return self.dispatch_refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.dispatch_refusal() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task_force": self.task_force}

    def get_initial(self):
        return {"effective_on": self.version.effective_on or self.task_force.today()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            version = workflow.approve(
                by=self.request.user,
                version=self.version,
                effective_on=data["effective_on"],
                expires_on=data["expires_on"],
                decision=data["approval_decision"],
                note=data["note"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if version.status == Status.IN_FORCE:
            message = f"{version.label} is approved and in force."
        elif self.document.is_mou:
            message = (
                f"{version.label} is approved. The signatory agencies' leads can sign it now; "
                "it goes in force once every agency has signed"
                f"{'' if version.effective_on <= self.task_force.today() else ' and its day has come'}."
            )
        else:
            message = f"{version.label} is approved; it goes in force on {version.effective_on:%d %B %Y}."
        messages.success(self.request, message)
        version.document.task_force = self.task_force
        return redirect(version)


class DocumentRetire(DocumentMixin, FormView):
    document_action = "change"
    form_class = RetireForm
    template_name = "protocols/document_retire.html"

    def refusal(self):
        if not self.document.versions.filter(status__in=(Status.IN_FORCE, Status.APPROVED)).exists():
            messages.error(
                self.request, "Nothing to retire: no version of this document is in force or approved."
            )
            return redirect(self.document)
        return None

    def get(self, request, *args, **kwargs):
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refusal() or super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            workflow.retire(by=self.request.user, document=self.document, note=form.cleaned_data["note"])
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"“{self.document.title}” is retired: it no longer binds anyone.")
        return redirect(self.document)


# --- state changes ------------------------------------------------------------------------


def _version(request, tf, code, action="view"):
    task_force = access.get_task_force_for_user(request.user, tf)
    timezone.activate(task_force.time_zone)
    return get_version_for_user(request.user, task_force, code, action)


@require_POST
def version_submit(request, tf, code):
    version = _version(request, tf, code, "change")
    try:
        workflow.submit(by=request.user, version=version)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{version.label} is in review: the core team can read it and comment until it is approved.",
        )
    return redirect(version)


@require_POST
def version_return(request, tf, code):
    version = _version(request, tf, code, "change")
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(" ".join(form.errors["note"]))
        workflow.return_to_draft(by=request.user, version=version, note=form.cleaned_data["note"])
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{version.label} is back in draft, with your note.")
    return redirect(version)


@require_POST
def comment_create(request, tf, code):
    version = _version(request, tf, code)
    document = version.document
    if not access.can_comment_on_version(request.user, version, document):
        if not access.can_comment_on_version(request.user, Version(status=Status.IN_REVIEW), document):
            raise PermissionDenied
        messages.error(request, "Comments are taken while the version is in review.")
        return redirect(version)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(" ".join(form.errors["body"]))
        workflow.add_comment(by=request.user, version=version, body=form.cleaned_data["body"])
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your comment is added.")
    return redirect(f"{version.get_absolute_url()}#comments")


@require_POST
def document_reviewed(request, tf, code):
    task_force = access.get_task_force_for_user(request.user, tf)
    document = get_document_for_user(request.user, task_force, code, "change")
    try:
        document = workflow.record_review(by=request.user, document=document)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        when = (
            f"the next is due on {document.next_review_on:%d %B %Y}"
            if document.next_review_on
            else "no further review is scheduled"
        )
        messages.success(request, f"The review is recorded; {when}.")
    document.task_force = task_force
    return redirect(document)


urlpatterns = [
    path("documents/<uuid:code>/", DocumentDetail.as_view(), name="document-detail"),
    path("documents/<uuid:code>/retire/", DocumentRetire.as_view(), name="document-retire"),
    path("documents/<uuid:code>/reviewed/", document_reviewed, name="document-reviewed"),
    path("versions/<uuid:code>/", VersionDetail.as_view(), name="version-detail"),
    path("versions/<uuid:code>/submit/", version_submit, name="version-submit"),
    path("versions/<uuid:code>/return/", version_return, name="version-return"),
    path("versions/<uuid:code>/approve/", VersionApprove.as_view(), name="version-approve"),
    path("versions/<uuid:code>/comments/", comment_create, name="comment-create"),
]
