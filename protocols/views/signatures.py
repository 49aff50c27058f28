"""MOU signatures: the coordinator chooses the signatory agencies on a draft; each agency's
current lead records its outside approval, signs or declines; "Needs my signature" lists what
awaits a lead."""

import ipaddress

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import FormView, ListView

from members import access
from taskforce.errors import ServiceError
from taskforce.uploads import stored_file_response

from ..forms.signatures import DeclineForm, OutsideApprovalForm, SignatoryForm, SignForm
from ..models import Document, Status
from ..services import signatures
from .base import ProtocolsSectionMixin, VersionMixin, get_signatory_for_user
from .workflow import PAGE_SIZE, signatories_of, signing_summary


def client_ip(request):
    """The address the request came from (REMOTE_ADDR), or None if it is not an IP address."""
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def signatory_list_url(version):
    return reverse("protocols:signatory-list", args=[version.document.task_force.slug, version.code])


# --- choosing the signatories -------------------------------------------------------------


class SignatoryList(VersionMixin, FormView):
    """The signatory agencies of a draft MOU version: add one, mark its outside approval, remove."""

    version_action = "change"
    form_class = SignatoryForm
    template_name = "protocols/signatory_list.html"

    def refusal(self):
        if not self.document.is_mou:
            return "Only MOUs have signatory agencies."
        if self.version.status != Status.DRAFT:
            return (
                "Signatory agencies are chosen while the version is a draft; "
                "start a new version to change them."
            )
        return ""

    def get(self, request, *args, **kwargs):
        return self.refuse() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse() or super().post(request, *args, **kwargs)

    def refuse(self):
        if reason := self.refusal():
            messages.error(self.request, reason)
            return redirect(self.version)
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "version": self.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signatories"] = signatories_of(self.version)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            signatory = signatures.add_signatory(
                by=self.request.user,
                version=self.version,
                agency=data["agency"],
                needs_outside_approval=data["needs_outside_approval"],
                approving_body=data["approving_body"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, f"{signatory.agency.name} is a signatory of {self.version.label.lower()}."
        )
        return redirect(signatory_list_url(self.version))


@require_POST
def signatory_delete(request, tf, code):
    task_force = access.get_task_force_for_user(request.user, tf)
    signatory = get_signatory_for_user(request.user, task_force, code, "change")
    try:
        signatures.remove_signatory(by=request.user, signatory=signatory)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect(signatory.version)
    messages.success(
        request, f"{signatory.agency.name} is no longer a signatory of {signatory.version.label.lower()}."
    )
    return redirect(signatory_list_url(signatory.version))


# --- a lead's answer ----------------------------------------------------------------------


class SignatoryMixin(ProtocolsSectionMixin):
    """A page about one signatory (`code` in the URL), for `signatory_action`."""

    signatory_action = "view"

    def check_access(self):
        self.signatory = get_signatory_for_user(
            self.request.user, self.task_force, self.kwargs["code"], self.signatory_action
        )
        self.version = self.signatory.version
        self.document = self.version.document

    def get(self, request, *args, **kwargs):
        return self.refuse() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse() or super().post(request, *args, **kwargs)

    def refusal(self):
        return ""

    def refuse(self):
        if reason := self.refusal():
            messages.error(self.request, reason)
            return redirect(self.version)
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(signatory=self.signatory, version=self.version, document=self.document)
        return context

    def done(self, message):
        messages.success(self.request, message)
        return redirect(self.version)


class OutsideApproval(SignatoryMixin, FormView):
    """The day the agency's approving body approved: its lead or a coordinator records it."""

    form_class = OutsideApprovalForm
    template_name = "protocols/signatory_approval.html"

    def check_access(self):
        super().check_access()
        user = self.request.user
        if not (
            access.can_sign_for(user, self.task_force, self.signatory.agency_id)
            or access.can_manage_documents(user, self.task_force)
        ):
            raise PermissionDenied

    def refusal(self):
        return signatures.outside_approval_refusal(self.signatory)

    def get_initial(self):
        return {"outside_approval_on": self.signatory.outside_approval_on or self.task_force.today()}

    def form_valid(self, form):
        try:
            signatory = signatures.record_outside_approval(
                by=self.request.user,
                signatory=self.signatory,
                approved_on=form.cleaned_data["outside_approval_on"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return self.done(
            f"{signatory.approving_body or 'The approving body'} approved on "
            f"{signatory.outside_approval_on:%d %B %Y}: {signatory.agency.name}'s lead can sign now."
        )


class SignatureSign(SignatoryMixin, FormView):
    signatory_action = "sign"
    form_class = SignForm
    template_name = "protocols/signature_sign.html"

    def refusal(self):
        if reason := signatures.answer_refusal(self.signatory):
            return reason
        if self.signatory.awaits_outside_approval:
            return (
                f"{self.signatory.agency.name} needs the approval of "
                f"{self.signatory.approving_body or 'its approving body'} before it signs: "
                "record the day it was given, then sign."
            )
        return ""

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "agency": self.signatory.agency,
            "today": self.task_force.today(),
        }

    def get_initial(self):
        user = self.request.user
        return {
            "signer_name": user.full_name,
            "signer_title": user.job_title,
            "signed_on": self.task_force.today(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signing_summary"] = signing_summary(signatories_of(self.version))
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            signatory, in_force = signatures.sign(
                by=self.request.user,
                signatory=self.signatory,
                name=data["signer_name"],
                title=data["signer_title"],
                signed_on=data["signed_on"],
                ip_address=client_ip(self.request),
                signed_page=data["signed_page"],
                page_name=getattr(form, "page_name", ""),
            )
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        message = (
            f"You signed {self.version.label.lower()} of “{self.document.title}” for {signatory.agency.name}."
        )
        if in_force:
            message += " Every agency has signed: the MOU is fully executed and in force."
        return self.done(message)


class SignatureDecline(SignatoryMixin, FormView):
    signatory_action = "sign"
    form_class = DeclineForm
    template_name = "protocols/signature_decline.html"

    def refusal(self):
        return signatures.answer_refusal(self.signatory)

    def form_valid(self, form):
        try:
            signatory = signatures.decline(
                by=self.request.user,
                signatory=self.signatory,
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(self.request),
            )
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return self.done(
            f"{signatory.agency.name} declined {self.version.label.lower()}; "
            "the coordinator can read your reason."
        )


@require_safe
def signature_page(request, tf, code):
    """The signed page an agency uploaded, for readers of the version; served through this view."""
    task_force = access.get_task_force_for_user(request.user, tf)
    signatory = get_signatory_for_user(request.user, task_force, code)
    name = signatory.signed_page_name or "signed-page.pdf"
    return stored_file_response(signatory.signed_page, name, "application/pdf")


# --- what awaits me -----------------------------------------------------------------------


class NeedsMySignature(ProtocolsSectionMixin, ListView):
    """The pending signatures of the agencies the reader leads now, longest waiting first."""

    template_name = "protocols/needs_my_signature.html"
    context_object_name = "signatories"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        user, task_force = self.request.user, self.task_force
        documents = access.visible_documents(user, task_force, Document.objects.filter(task_force=task_force))
        return signatures.awaiting(user, task_force, documents.values("pk"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = self.task_force.today()
        for signatory in context["signatories"]:
            signatory.version.document.task_force = self.task_force
            approved = signatory.version.approved_at
            signatory.days_waiting = (today - timezone.localdate(approved)).days if approved else None
        context["today"] = today
        return context


urlpatterns = [
    path("versions/<uuid:code>/signatories/", SignatoryList.as_view(), name="signatory-list"),
    path("signatories/<uuid:code>/delete/", signatory_delete, name="signatory-delete"),
    path("signatories/<uuid:code>/approval/", OutsideApproval.as_view(), name="signatory-approval"),
    path("signatories/<uuid:code>/sign/", SignatureSign.as_view(), name="signature-sign"),
    path("signatories/<uuid:code>/decline/", SignatureDecline.as_view(), name="signature-decline"),
    path("signatories/<uuid:code>/signed-page/", signature_page, name="signature-page"),
    path("signatures/mine/", NeedsMySignature.as_view(), name="needs-my-signature"),
]
