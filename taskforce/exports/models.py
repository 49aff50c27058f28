import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

KEEP_FOR = timedelta(days=7)


def export_file_path(instance, filename):
    """An unguessable name: the file is served only through the download view, but no name
    should tell what it holds or let anyone guess another's."""
    return f"exports/{secrets.token_urlsafe(24)}.pdf"


class ExportJobQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ExportJob.ACTIVE_STATUSES)


class ExportJob(models.Model):
    """One PDF asked for by one person, rendered by a Celery task that the outbox publishes (so a
    request made while the broker is down is made once it is back)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    task_force = models.ForeignKey(
        "taskforce.TaskForce", on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(
        max_length=60, help_text="The export kind an app declared, e.g. meetings.minutes."
    )
    target_code = models.CharField(max_length=64, help_text="The code of the meeting, version… exported.")
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent, 0 to 100.")
    file = models.FileField(upload_to=export_file_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="The name it downloads under.")
    error = models.TextField(blank=True, help_text="Why it failed, in words for its owner.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="How many times a worker started it.")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "export"
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="exports_owner_created"),
            models.Index(fields=["status", "created_at"], name="exports_status_created"),
            models.Index(fields=["created_at"], name="exports_created"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exports:job-detail", args=[self.code])

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_ready(self):
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def deleted_after(self):
        return self.created_at + KEEP_FOR
