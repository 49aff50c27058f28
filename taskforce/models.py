import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list, e.g. America/Chicago.")


class Versioned(models.Model):
    """A record edited in forms: the version number detects concurrent edits."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class QuorumRule(models.TextChoices):
    MAJORITY_OF_AGENCIES = "majority_agencies", "More than half of the invited agencies present"
    TWO_THIRDS_OF_AGENCIES = "two_thirds_agencies", "Two thirds of the invited agencies present"
    MAJORITY_OF_PEOPLE = "majority_people", "More than half of the invited people present"
    FIXED_AGENCIES = "fixed_agencies", "A fixed number of agencies present"


class TaskForce(Versioned):
    class Mandate(models.TextChoices):
        LOCAL = "local", "Local (formed by its members)"
        STATE = "state", "State-mandated"
        REGIONAL = "regional", "Regional"
        FEDERAL = "federal", "Federally funded"

    slug = models.SlugField(unique=True, help_text="Short name used in addresses, e.g. harbor-county.")
    name = models.CharField(max_length=200)
    jurisdiction = models.CharField(
        max_length=200, help_text="The area the task force serves, e.g. Harbor County."
    )
    mission = models.TextField(help_text="Why the task force exists, in a sentence or two.")
    purpose = models.TextField(blank=True, help_text="What the task force does to fulfil it.")
    mandate = models.CharField(max_length=20, choices=Mandate.choices, default=Mandate.LOCAL)
    legal_citation = models.CharField(
        max_length=300, blank=True, help_text="The statute or order that creates it, if any."
    )
    founded_on = models.DateField(null=True, blank=True)
    time_zone = models.CharField(
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text="Meeting times and due dates are shown in this time zone.",
    )

    quorum_rule = models.CharField(
        max_length=30,
        choices=QuorumRule.choices,
        default=QuorumRule.MAJORITY_OF_AGENCIES,
        help_text="When a meeting may decide. An agency counts once, however many of its people come.",
    )
    quorum_agencies = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For the fixed-number rule: how many invited agencies must be present.",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["name", "id"]
        permissions = [
            ("manage_members", "Manage agencies, invitations and memberships"),
            ("view_confidential", "Read what is not shared with observers"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("taskforce:home", args=[self.slug])

    def quorum_needed(self, invited_agencies, invited_people):
        """How many agencies (or people, for the people rule) make a quorum."""
        if self.quorum_rule == QuorumRule.MAJORITY_OF_PEOPLE:
            return invited_people // 2 + 1
        if self.quorum_rule == QuorumRule.TWO_THIRDS_OF_AGENCIES:
            return -(-2 * invited_agencies // 3)
        if self.quorum_rule == QuorumRule.FIXED_AGENCIES:
            return self.quorum_agencies or 1
        return invited_agencies // 2 + 1

    def today(self):
        """Today's date where the task force is."""
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.time_zone))


class SignInEvent(models.Model):
    """Sign-in, sign-out and failed sign-in, for the audit trail."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGNED_OUT = "signed_out", "Signed out"
        FAILED = "failed", "Failed sign-in"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    email = models.CharField(max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    code = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.email} at {self.at:%Y-%m-%d %H:%M}"


class QueuedTask(models.Model):
    """The outbox: a Celery task recorded in the transaction that asked for it, so that it is not
    lost when the broker is down. Published after the commit, and again by a beat task until a
    worker has run it (taskforce/outbox.py)."""

    code = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)  # the Celery task id
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    publications = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["done_at", "published_at"], name="queuedtask_pending")]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
