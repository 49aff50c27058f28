"""Protocols, MOUs, charters and decision rules: versioned documents, their approval and the
agencies' signatures. Records belong to the task force and its agencies, not to whoever typed them."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from taskforce.models import Versioned
from taskforce.taxonomy import Population, TraffickingType, trafficking_type_field


class Kind(models.TextChoices):
    MOU = "mou", "MOU"
    PROTOCOL = "protocol", "Protocol"
    CHARTER = "charter", "Charter or bylaws"
    DECISION_RULES = "decision_rules", "Decision-making rules"
    POLICY = "policy", "Policy"


class Category(models.TextChoices):
    """What a protocol is about (other kinds leave it blank)."""

    VICTIM_IDENTIFICATION = "victim_identification", "Victim identification"
    REFERRAL = "referral", "Referral"
    INFORMATION_SHARING = "information_sharing", "Information sharing and confidentiality"
    INVESTIGATION = "investigation", "Investigation"
    VICTIM_SERVICES = "victim_services", "Victim services"
    MEDIA = "media", "Media"
    CONFLICT_RESOLUTION = "conflict_resolution", "Conflict resolution"
    OTHER = "other", "Other"


class Confidentiality(models.TextChoices):
    ALL_MEMBERS = "all", "All members (observers too)"
    CORE = "core", "Core team (coordinators, co-chairs, agency leads)"
    AGENCIES = "agencies", "Named agencies only"


class Status(models.TextChoices):
    """A version's place in the workflow; a document shows the status of its leading version."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    IN_FORCE = "in_force", "In force"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Superseded"
    RETIRED = "retired", "Retired"


# Versions that still speak for the document; the others are history.
LIVE_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.IN_FORCE)


class DocumentQuerySet(models.QuerySet):
    def expiring(self, today, days=90):
        """In force, and expiring within `days` days from `today` (inclusive)."""
        return self.filter(
            status=Status.IN_FORCE,
            current_version__expires_on__gte=today,
            current_version__expires_on__lte=today + timedelta(days=days),
        )

    def due_for_review(self, today):
        return self.filter(status=Status.IN_FORCE, next_review_on__lte=today)


class Document(Versioned):
    """One agreement or rule of the task force, whatever its versions say."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_force = models.ForeignKey("taskforce.TaskForce", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    category = models.CharField(
        max_length=30, choices=Category.choices, blank=True, help_text="For protocols: what it is about."
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What it covers and who it binds, in a few sentences.")
    owner_agency = models.ForeignKey(
        "members.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents_owned",
        help_text="The agency that keeps the document up to date.",
    )
    trafficking_type = trafficking_type_field("trafficking it covers", default=TraffickingType.BOTH)
    populations = models.JSONField(
        default=list, blank=True, help_text="The populations it covers (leave empty for all)."
    )
    confidentiality = models.CharField(
        max_length=20, choices=Confidentiality.choices, default=Confidentiality.ALL_MEMBERS
    )
    shared_with = models.ManyToManyField(
        "members.Agency",
        blank=True,
        related_name="documents_shared",
        help_text="For documents shared with named agencies only.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    # The version in force, if any (kept by the workflow services).
    current_version = models.ForeignKey(
        "Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    review_every_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How often the task force reviews it; leave empty for never."
    )
    next_review_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["task_force", "title", "id"], name="document_list_idx"),
            models.Index(fields=["task_force", "status", "next_review_on"], name="document_review_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("protocols:document-detail", args=[self.task_force.slug, self.code])

    @property
    def is_mou(self):
        return self.kind == Kind.MOU

    def refresh_status(self):
        """Show the version in force, else the newest published one, else the newest draft or
        review; called by the services after every change of a version's status."""
        versions = list(self.versions.only("pk", "number", "status").order_by("-number"))
        in_force = next((v for v in versions if v.status == Status.IN_FORCE), None)
        published = next((v for v in versions if v.status not in (Status.DRAFT, Status.IN_REVIEW)), None)
        leading = in_force or published or (versions[0] if versions else None)
        self.current_version = in_force
        self.status = leading.status if leading else Status.DRAFT
        self.save(update_fields=["status", "current_version", "updated_at"])

    def trafficking_types(self):
        return [TraffickingType(kind).label for kind in TraffickingType.kinds(self.trafficking_type)]

    def population_labels(self):
        return Population.labels_of(self.populations)


def version_file_path(instance, filename):
    # Not derived from the upload's name: nothing guessable, nothing under static/.
    return f"protocols/{instance.document.code}/{uuid.uuid4().hex}"


class Version(Versioned):
    """One text of a document: written in the browser (Markdown) and/or an uploaded file."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(editable=False)
    body = models.TextField(
        blank=True,
        help_text="The text, in Markdown: # for headings, - for lists, **bold**, [link](https://…).",
    )
    file = models.FileField(upload_to=version_file_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_content_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    change_summary = models.CharField(max_length=300, help_text="What changed, in a line.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    effective_on = models.DateField(null=True, blank=True, help_text="The day it takes effect.")
    expires_on = models.DateField(
        null=True, blank=True, help_text="The day it lapses; leave empty for never."
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approval_decision = models.ForeignKey(
        "meetings.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_versions",
        help_text="The meeting decision that approved it, if there was one.",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="in_force"),
                name="version_one_in_force",
                violation_error_message="A document has one version in force at a time.",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(expires_on__gt=models.F("effective_on")),
                name="version_expires_after_effective",
                violation_error_message="A version expires after the day it takes effect.",
            ),
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"

    def get_absolute_url(self):
        return reverse("protocols:version-detail", args=[self.document.task_force.slug, self.code])

    @property
    def label(self):
        return f"Version {self.number}"


class Transition(models.Model):
    """One step of a version through the workflow: who, when, from and to, and why."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.version}: {self.from_status or 'new'} → {self.to_status}"


class ReviewComment(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        "members.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField("comment")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Comment by {self.author} on {self.version}"


def signed_page_path(instance, filename):
    return f"protocols/{instance.version.document.code}/signed/{uuid.uuid4().hex}"


class Signatory(models.Model):
    """An agency that signs one version of an MOU, and how far it has got. Whoever leads the agency
    at the time signs for it, so a change of lead moves its pending signature to the new lead.
    Answers are written only while the row is still pending (a conditional update), so two answers
    at once cannot both land."""

    class SignatureStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        SIGNED = "signed", "Signed"
        DECLINED = "declined", "Declined"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="signatories")
    agency = models.ForeignKey("members.Agency", on_delete=models.PROTECT, related_name="signatures")
    status = models.CharField(
        max_length=20, choices=SignatureStatus.choices, default=SignatureStatus.PENDING, editable=False
    )
    needs_outside_approval = models.BooleanField(
        default=False, help_text="The agency must get approval first (a city council, a board, headquarters)."
    )
    approving_body = models.CharField(
        max_length=200, blank=True, help_text="Who must approve, e.g. City Council."
    )
    outside_approval_on = models.DateField(
        null=True, blank=True, help_text="The day the approving body gave its approval."
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    signer_name = models.CharField(max_length=150, blank=True, editable=False)
    signer_title = models.CharField(max_length=150, blank=True, editable=False)
    signed_on = models.DateField(null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    signed_page = models.FileField(upload_to=signed_page_path, blank=True, editable=False)
    signed_page_name = models.CharField(max_length=200, blank=True, editable=False)
    declined_reason = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name_plural = "signatories"
        ordering = ["agency__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "agency"], name="signatory_once_per_version")
        ]
        indexes = [models.Index(fields=["agency", "status"], name="signatory_agency_idx")]

    def __str__(self):
        return f"{self.agency} on {self.version}"

    @property
    def awaits_outside_approval(self):
        return self.needs_outside_approval and self.outside_approval_on is None
