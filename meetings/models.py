"""Meetings and what comes of them: agenda, attendance, minutes, decisions, action items and
de-identified trend briefs. Times are stored in UTC and shown in the task force's time zone."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from members.models import Sector
from taskforce.models import QuorumRule, Versioned
from taskforce.taxonomy import TraffickingType


class Kind(models.TextChoices):
    FULL = "full", "Full task force"
    CORE = "core", "Core team"
    COMMITTEE = "committee", "Committee"
    CASE = "case", "Case coordination"


class Audience(models.TextChoices):
    WHOLE = "whole", "The whole task force"
    CORE = "core", "The core team (coordinators, co-chairs and agency leads)"
    COMMITTEE = "committee", "The members of the committee"
    AGENCIES = "agencies", "The people of chosen agencies"


class Sensitivity(models.TextChoices):
    ALL = "all", "All invitees"
    CORE = "core", "Core team only"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement only"
    AGENCIES = "agencies", "Named agencies only"


class MeetingFields(Versioned):
    """What a series and each of its occurrences share."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FULL)
    committee = models.ForeignKey(
        "members.Committee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a committee meeting: the committee that meets.",
    )
    place = models.CharField(max_length=300, blank=True, help_text="Room and address (never a shelter's).")
    video_link = models.URLField(blank=True, help_text="Teams, Zoom or Meet link, if people can join online.")
    description = models.TextField(blank=True)
    audience = models.CharField(
        max_length=20, choices=Audience.choices, default=Audience.WHOLE, help_text="Who is invited."
    )
    confidential = models.BooleanField(
        default=False,
        help_text="Confidential meetings are hidden from observers and from people not invited.",
    )
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Series(MeetingFields):
    """A recurring meeting, e.g. monthly on the second Tuesday at 10:00; its occurrences are Meetings."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_force = models.ForeignKey("taskforce.TaskForce", on_delete=models.CASCADE, related_name="series")
    rule = models.CharField(max_length=200, help_text="The iCalendar RRULE, e.g. FREQ=MONTHLY;BYDAY=+2TU.")
    first_date = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    agencies = models.ManyToManyField("members.Agency", blank=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name_plural = "series"
        ordering = ["title", "id"]

    def __str__(self):
        return self.title


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now):
        return self.filter(ends_at__gte=now).order_by("starts_at", "id")

    def past(self, now):
        return self.filter(ends_at__lt=now).order_by("-starts_at", "-id")


class Meeting(MeetingFields):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class MinutesStatus(models.TextChoices):
        DRAFT = "draft", "Draft"
        CIRCULATED = "circulated", "Circulated"
        APPROVED = "approved", "Approved"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_force = models.ForeignKey("taskforce.TaskForce", on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    agencies = models.ManyToManyField(
        "members.Agency", blank=True, related_name="+", help_text="For 'chosen agencies': which ones."
    )
    # iCalendar SEQUENCE: raised whenever the time, place or status changes, so calendars update.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancel_reason = models.CharField(max_length=300, blank=True)
    minutes_status = models.CharField(
        max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    minutes_circulated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="A meeting must end after it starts.",
            )
        ]
        indexes = [
            models.Index(fields=["task_force", "starts_at", "id"], name="meeting_tf_start_idx"),
            models.Index(fields=["series", "starts_at"], name="meeting_series_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("meetings:meeting-detail", args=[self.task_force.slug, self.code])

    # Attendance, decisions and minutes belong to a meeting under way: from shortly before it starts.
    OPENS_BEFORE = timedelta(minutes=30)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    def has_begun(self, now=None):
        """Whether the meeting is under way or over, so that its record may be written."""
        return self.starts_at - self.OPENS_BEFORE <= (now or timezone.now())

    def has_ended(self, now=None):
        return self.ends_at <= (now or timezone.now())

    @property
    def ical_uid(self):
        return f"{self.code}@taskforce"

    def quorum(self, invitees):
        """Quorum by the task force's rule, from this meeting's invitees (agencies count once)."""
        invitees = list(invitees)
        invited_agencies = {invitee.agency_id for invitee in invitees}
        present = [invitee for invitee in invitees if invitee.attendance == Invitee.Attendance.PRESENT]
        present_agencies = {invitee.agency_id for invitee in present}
        rule = self.task_force.quorum_rule
        by_people = rule == QuorumRule.MAJORITY_OF_PEOPLE
        needed = self.task_force.quorum_needed(len(invited_agencies), len(invitees))
        have = len(present) if by_people else len(present_agencies)
        return Quorum(
            rule=self.task_force.get_quorum_rule_display(),
            unit="people" if by_people else "agencies",
            needed=needed,
            present=have,
            invited=len(invitees) if by_people else len(invited_agencies),
            recorded=any(invitee.attendance for invitee in invitees),
            reached=have >= needed and bool(invitees),
        )


@dataclass(frozen=True)
class Quorum:
    rule: str
    unit: str
    needed: int
    present: int
    invited: int
    recorded: bool
    reached: bool


class StandingItem(models.Model):
    """An item the task force puts on every new agenda, e.g. "Trends and potential victims"."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_force = models.ForeignKey(
        "taskforce.TaskForce", on_delete=models.CASCADE, related_name="standing_items"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    minutes_allotted = models.PositiveSmallIntegerField(default=10, validators=[MaxValueValidator(480)])
    sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.ALL)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class AgendaItem(Versioned):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_allotted = models.PositiveSmallIntegerField(default=10, validators=[MaxValueValidator(480)])
    sensitivity = models.CharField(
        max_length=20,
        choices=Sensitivity.choices,
        default=Sensitivity.ALL,
        help_text="Below this level people see that the item exists, not its title, text, notes or files.",
    )
    agencies = models.ManyToManyField(
        "members.Agency", blank=True, related_name="+", help_text="For 'named agencies only': which ones."
    )
    notes = models.TextField(blank=True, help_text="The minutes of this item.")
    standing_item = models.ForeignKey(StandingItem, null=True, blank=True, on_delete=models.SET_NULL)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["meeting", "position", "id"], name="agenda_meeting_idx")]

    def __str__(self):
        return self.title


def attachment_path(instance, filename):
    # Not derived from the upload's name: nothing guessable, nothing under static/.
    return f"meetings/{instance.item.meeting.code}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class Invitee(models.Model):
    """A person invited to a meeting: their answer and, afterwards, their attendance."""

    class Response(models.TextChoices):
        PENDING = "pending", "Not answered"
        YES = "yes", "Yes"
        NO = "no", "No"
        MAYBE = "maybe", "Maybe"

    class Attendance(models.TextChoices):
        UNKNOWN = "", "Not recorded"
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_invitations"
    )
    agency = models.ForeignKey(
        "members.Agency", on_delete=models.PROTECT, related_name="+", help_text="The agency they come for."
    )
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Set once the invitation email is queued: a second sweep or a retry sends nothing twice.
    invited_at = models.DateTimeField(null=True, blank=True)
    # The meeting's SEQUENCE in the last calendar email sent to them: updates and cancellations
    # are claimed by a conditional update of this, so a retried task sends nothing twice.
    sent_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    nudged_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True, default="")

    class Meta:
        ordering = ["user__full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="invitee_once")]
        indexes = [models.Index(fields=["user", "meeting"], name="invitee_user_idx")]

    def __str__(self):
        return f"{self.user} at {self.meeting}"


class Decision(models.Model):
    class Result(models.TextChoices):
        CARRIED = "carried", "Carried"
        FAILED = "failed", "Failed"
        CONSENSUS = "consensus", "Agreed by consensus"
        TABLED = "tabled", "Tabled"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    motion = models.TextField(help_text="What was decided, as the motion was put.")
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seconded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.CharField(max_length=20, choices=Result.choices)
    # A decision that approves an earlier meeting's minutes: at most one per meeting.
    approves_minutes_of = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="minutes_approval"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.motion[:80]


class Vote(models.Model):
    """One agency, one vote."""

    class Choice(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstain"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    agency = models.ForeignKey("members.Agency", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "agency"], name="vote_one_per_agency")]

    def __str__(self):
        return f"{self.agency}: {self.get_choice_display()}"


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)


class ActionItem(Versioned):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_force = models.ForeignKey(
        "taskforce.TaskForce", on_delete=models.CASCADE, related_name="action_items"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    agency = models.ForeignKey("members.Agency", on_delete=models.PROTECT, related_name="action_items")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["task_force", "status", "due_on"], name="action_tf_status_idx"),
            models.Index(fields=["assignee", "status", "due_on"], name="action_assignee_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class Indicator(models.TextChoices):
    CONTROLLED_MOVEMENT = "controlled_movement", "Movement controlled by others"
    DOCUMENTS_HELD = "documents_held", "Identity documents held by someone else"
    DEBT = "debt", "Debt that cannot be paid off"
    UNPAID_WAGES = "unpaid_wages", "Unpaid or withheld wages"
    HOUSING_AT_WORK = "housing_at_work", "Living where they work"
    THREATS = "threats", "Threats or violence"
    UNDERAGE_COMMERCIAL_SEX = "underage_commercial_sex", "A minor in commercial sex"
    ONLINE_ADVERTS = "online_adverts", "Online adverts"
    RECRUITMENT_FRAUD = "recruitment_fraud", "Deceptive recruitment"
    COACHED = "coached", "Scripted or coached answers"


class Industry(models.TextChoices):
    AGRICULTURE = "agriculture", "Agriculture and farm work"
    CONSTRUCTION = "construction", "Construction"
    DOMESTIC_WORK = "domestic_work", "Domestic work"
    HOSPITALITY = "hospitality", "Hotels and hospitality"
    RESTAURANTS = "restaurants", "Restaurants and food service"
    MASSAGE = "massage", "Illicit massage and spa businesses"
    ONLINE_COMMERCIAL_SEX = "online_commercial_sex", "Commercial sex advertised online"
    STREET = "street", "Street-based commercial sex"
    MANUFACTURING = "manufacturing", "Factories and manufacturing"
    FISHING = "fishing", "Fishing and seafood processing"
    BEAUTY = "beauty", "Nail and beauty salons"
    PEDDLING = "peddling", "Peddling and begging rings"
    OTHER = "other", "Other"


class CountRange(models.TextChoices):
    ONE = "1", "1"
    TWO_TO_FIVE = "2-5", "2 to 5"
    SIX_TO_TEN = "6-10", "6 to 10"
    ELEVEN_TO_TWENTY_FIVE = "11-25", "11 to 25"
    MORE = "26+", "More than 25"


COUNT_RANGE_LOW = {"1": 1, "2-5": 2, "6-10": 6, "11-25": 11, "26+": 26}
COUNT_RANGE_HIGH = {"1": 1, "2-5": 5, "6-10": 10, "11-25": 25, "26+": None}


class TrendBrief(models.Model):
    """De-identified information about trends and potential victims, shared at a meeting.

    There is deliberately no field for a name, birth date, address, phone, case number or any
    other identifier of a person, and the free text is refused when it looks like it holds one.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_force = models.ForeignKey(
        "taskforce.TaskForce", on_delete=models.CASCADE, related_name="trend_briefs"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="trend_briefs")
    trafficking_type = models.CharField(max_length=10, choices=TraffickingType.choices)
    indicators = models.JSONField(default=list, blank=True)
    industry = models.CharField("industry or venue type", max_length=30, choices=Industry.choices)
    area = models.CharField("county or area", max_length=120)
    period_start = models.DateField(help_text="First day of the period the brief covers.")
    period_end = models.DateField(help_text="Last day of the period the brief covers.")
    count_range = models.CharField(
        "approximate number of potential victims", max_length=10, choices=CountRange.choices
    )
    reporting_sector = models.CharField(max_length=30, choices=Sector.choices)
    summary = models.TextField(
        blank=True,
        help_text="Patterns only. Never a name, birth date, address, phone number, email or case number.",
    )
    agency = models.ForeignKey("members.Agency", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="trend_brief_period_order",
                violation_error_message="The period must end on or after its first day.",
            )
        ]
        indexes = [models.Index(fields=["task_force", "period_start"], name="trend_tf_period_idx")]

    def __str__(self):
        return f"{self.get_trafficking_type_display()}, {self.get_industry_display()}, {self.area}"


class CalendarFeed(models.Model):
    """A person's calendar subscription: the URL carries a signed token naming this generation;
    resetting raises the generation, so every earlier URL stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    generation = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"Calendar feed of {self.user}"
