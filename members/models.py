import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from taskforce.models import Versioned
from taskforce.taxonomy import Population, TraffickingType, trafficking_type_field


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A person needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Professional contact details only: never a victim's."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    work_phone = models.CharField(max_length=40, blank=True)
    expertise_trafficking_type = trafficking_type_field("trafficking expertise")
    expertise_populations = models.JSONField(
        "populations worked with", default=list, blank=True, help_text="Victim populations served."
    )
    # The notes beside the tags: languages, licences, experience in the person's own words.
    expertise = models.TextField(
        blank=True, help_text="Experience with victim populations, languages, licences held."
    )
    is_active = models.BooleanField(
        default=True, help_text="Unticking this signs the person out everywhere at once."
    )
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login", "date_joined"])
    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "id"]
        indexes = [models.Index(fields=["full_name", "id"], name="user_name_idx")]

    def __str__(self):
        return self.full_name or self.email

    def expertise_trafficking_labels(self):
        kinds = TraffickingType.kinds(self.expertise_trafficking_type)
        return [TraffickingType(kind).label for kind in kinds]

    def expertise_population_labels(self):
        return Population.labels_of(self.expertise_populations)

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Sector(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    PROSECUTION = "prosecution", "Prosecution"
    VICTIM_SERVICES = "victim_services", "Victim services"
    LABOUR = "labour", "Labour and workforce"
    HEALTH = "health", "Health"
    CHILD_WELFARE = "child_welfare", "Child welfare"
    IMMIGRATION = "immigration", "Immigration"
    EDUCATION = "education", "Education"
    FAITH_BASED = "faith_based", "Faith-based"
    BUSINESS = "business", "Business"
    SURVIVOR_LED = "survivor_led", "Survivor-led"
    OTHER = "other", "Other"


class Agency(Versioned):
    class Level(models.TextChoices):
        LOCAL = "local", "Local / municipal"
        COUNTY = "county", "County"
        REGIONAL = "regional", "Regional"
        STATE = "state", "State"
        TRIBAL = "tribal", "Tribal"
        FEDERAL = "federal", "Federal"
        NON_GOVERNMENTAL = "ngo", "Non-governmental"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_force = models.ForeignKey("taskforce.TaskForce", on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    jurisdiction_level = models.CharField(max_length=20, choices=Level.choices)
    address = models.TextField(blank=True, help_text="The agency's office address (never a shelter's).")
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["task_force", "name"], name="agency_unique_name")]
        indexes = [models.Index(fields=["task_force", "name", "id"], name="agency_list_idx")]
        permissions = [("manage_agency_people", "Manage the agency's people")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:agency-detail", args=[self.task_force.slug, self.code])


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    CO_CHAIR = "co_chair", "Co-chair"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


LEADERSHIP_ROLES = (Role.COORDINATOR, Role.CO_CHAIR)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)


class Membership(Versioned):
    """A person's place in a task force: for one agency, in one role, for a period."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    task_force = models.ForeignKey(
        "taskforce.TaskForce", on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "task_force", "agency"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_active",
                violation_error_message=(
                    "This person already has an active membership for this agency in this task force."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["task_force", "ended_on", "role"], name="membership_tf_idx"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.agency} ({self.task_force})"

    @property
    def is_active(self):
        return self.ended_on is None


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A one-time link that lets a person join a task force for an agency and a role."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    task_force = models.ForeignKey(
        "taskforce.TaskForce", on_delete=models.CASCADE, related_name="invitations"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.email} to {self.task_force} as {self.get_role_display()}"

    def get_status(self):
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class UserSession(models.Model):
    """The sessions a person is signed in with, so that they can all be ended at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"


def site_url(path):
    return settings.SITE_URL.rstrip("/") + path


class Committee(Versioned):
    """A committee or working group of one task force, e.g. victim services or labour trafficking."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_force = models.ForeignKey("taskforce.TaskForce", on_delete=models.CASCADE, related_name="committees")
    name = models.CharField(max_length=150)
    purpose = models.TextField(blank=True, help_text="What the committee works on, in a sentence or two.")
    chair = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committees_chaired",
        help_text="Manages the committee's meetings.",
    )
    members = models.ManyToManyField(User, blank=True, related_name="committees")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["task_force", "name"], name="committee_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:committee-detail", args=[self.task_force.slug, self.code])
