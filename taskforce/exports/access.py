"""Who sees an export: its owner, and admins; to everyone else it does not exist."""

from django.http import Http404

from .models import ExportJob


def get_job_for_user(user, code):
    job = ExportJob.objects.filter(code=code).select_related("task_force").first()
    if job is None or not (job.owner_id == user.pk or user.is_superuser):
        raise Http404("No such export.")
    return job
