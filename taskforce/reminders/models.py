"""Reminders: one notice per (rule, object, recipient, threshold), inserted before anything is
delivered, so a second sweep, a retried task or two workers racing send nothing twice."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    """What a reminder is about: each person chooses how they hear of each kind."""

    MEETINGS = "meetings", "Upcoming meetings"
    ACTION_ITEMS = "action_items", "Action items"
    DOCUMENTS = "documents", "Protocols and MOUs expiring or due for review"
    SIGNATURES = "signatures", "MOU signatures pending"


class Channel(models.TextChoices):
    EMAIL = "email", "Email me each one"
    IN_APP = "in_app", "Only show it in Taskforce"
    DIGEST = "digest", "A weekly digest email (Monday morning)"


class NoticeQuerySet(models.QuerySet):
    def for_reader(self, user):
        """The notices a person sees in Taskforce: theirs, once delivered (or failed by email)."""
        return self.filter(recipient=user, status__in=Notice.SHOWN_STATUSES)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be delivered"
        SENDING = "sending", "Being delivered"
        DELIVERED = "delivered", "Delivered"
        DIGEST = "digest", "Waiting for the weekly digest"
        FAILED = "failed", "Email refused"
        SKIPPED = "skipped", "Skipped (no longer due or no longer a member)"

    SHOWN_STATUSES = (Status.DELIVERED, Status.DIGEST, Status.FAILED)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rule = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    threshold = models.CharField(
        max_length=40, help_text="Which reminder of the object this is, e.g. 7d, 1d, overdue, 2026-W49."
    )
    task_force = models.ForeignKey("taskforce.TaskForce", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "content_type", "object_id", "recipient", "threshold"], name="notice_once"
            )
        ]
        indexes = [
            models.Index(fields=["status", "id"], name="notice_status_idx"),
            models.Index(fields=["recipient", "status", "read_at"], name="notice_reader_idx"),
        ]

    def __str__(self):
        return self.subject or f"{self.rule} {self.threshold} for {self.recipient_id}"

    @property
    def is_unread(self):
        return self.read_at is None


class Digest(models.Model):
    """One weekly digest email per person: the unique week makes a second run send nothing."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    week_of = models.DateField(help_text="The Monday of the week it was sent.")
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-week_of", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "week_of"], name="digest_once_a_week")]

    def __str__(self):
        return f"Digest for {self.recipient} (week of {self.week_of})"


class Preference(models.Model):
    """How a person hears of one kind of reminder; without a row, by email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "in_app", "digest"]), name="preference_known_channel"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} by {self.get_channel_display()}"
