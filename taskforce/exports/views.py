"""My exports, requesting one, its page (polled by htmx while it runs) and its download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView

from taskforce.uploads import stored_file_response

from . import services
from .access import get_job_for_user
from .forms import ExportRequestForm
from .models import ExportJob


class ExportJobList(ListView):
    """The person's own exports, newest first (admins see everyone's in the admin)."""

    template_name = "exports/exportjob_list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get_queryset(self):
        return ExportJob.objects.filter(owner=self.request.user).select_related("task_force")


@require_POST
def job_create(request):
    form = ExportRequestForm(request.POST)
    if not form.is_valid():
        raise Http404("No such item.")
    job = services.request_export(request.user, form.cleaned_data["kind"], form.cleaned_data["target"])
    job.refresh_from_db(fields=["status"])  # a worker (or an eager run) may have finished it already
    if job.status == ExportJob.Status.QUEUED:
        messages.info(request, "Your export is queued. This page shows when it is ready.")
    return redirect(job)


@require_safe
def job_detail(request, code):
    job = get_job_for_user(request.user, code)
    if request.htmx:
        return render(request, "exports/_job_status.html", {"job": job})
    return render(request, "exports/exportjob_detail.html", {"job": job})


@require_safe
def job_download(request, code):
    job = get_job_for_user(request.user, code)
    if not job.is_ready:
        raise Http404("This export has no file yet.")
    # What it shows was chosen for its owner when it was made: they must still be allowed to see it.
    try:
        services.resolve(services.get_kind(job.kind), request.user, job.target_code)
    except (Http404, PermissionDenied):
        return render(request, "exports/exportjob_gone.html", {"job": job}, status=404)
    return stored_file_response(job.file, job.file_name, "application/pdf")
