"""A version of a document as PDF: its text, its approval and, for an MOU, a signature page. The
URL patterns are collected by protocols/urls.py."""

from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView

from taskforce.pdf import render_pdf

from ..exports import version_context, version_file_name
from .base import VersionMixin


class VersionPdf(VersionMixin, TemplateView):
    """The version as its reader may read it (drafts for managers, reviews for the core team):
    a title page, the text, and the signatures of an MOU on a page of their own."""

    template_name = "protocols/pdf/version.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            version_context(self.request.user, self.task_force, self.version),
            reader=self.request.user,
            generated_at=timezone.now(),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        pdf = render_pdf(self.template_name, context)
        filename = version_file_name(self.version)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["X-Content-Type-Options"] = "nosniff"
        # Drafts and reviews are for some readers only: no shared cache may keep a copy.
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("versions/<uuid:code>/pdf/", VersionPdf.as_view(), name="version-pdf"),
]
