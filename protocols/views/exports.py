"""A version of a document as PDF: its text, its approval and, for an MOU, a signature page. The
URL patterns are collected by protocols/urls.py."""

from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.generic import TemplateView

from meetings.models import Decision
from taskforce.pdf import render_pdf

from ..markdown import render_markdown
from ..models import Signatory
from .base import VersionMixin


class VersionPdf(VersionMixin, TemplateView):
    """The version as its reader may read it (drafts for managers, reviews for the core team):
    a title page, the text, and the signatures of an MOU on a page of their own."""

    template_name = "protocols/pdf/version.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version, document = self.version, self.document
        decision = None
        if version.approval_decision_id:
            decision = (
                Decision.objects.select_related("meeting").filter(pk=version.approval_decision_id).first()
            )
        signatories = []
        if document.is_mou:
            signatories = list(Signatory.objects.filter(version=version).select_related("agency"))
        signed = sum(1 for signatory in signatories if signatory.status == Signatory.SignatureStatus.SIGNED)
        context.update(
            reader=self.request.user,
            generated_at=timezone.now(),
            body=render_markdown(version.body) if version.body.strip() else "",
            decision=decision,
            signatories=signatories,
            signed_count=signed,
            fully_executed=bool(signatories) and signed == len(signatories),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        pdf = render_pdf(self.template_name, context)
        filename = f"{slugify(self.document.title)[:60] or 'document'}-v{self.version.number}.pdf"
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["X-Content-Type-Options"] = "nosniff"
        # Drafts and reviews are for some readers only: no shared cache may keep a copy.
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("versions/<uuid:code>/pdf/", VersionPdf.as_view(), name="version-pdf"),
]
