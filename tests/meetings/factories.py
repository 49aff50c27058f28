from datetime import timedelta

import factory
from django.utils import timezone

from meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Invitee,
    Meeting,
    Series,
    StandingItem,
    TrendBrief,
    Vote,
)
from members.models import Committee

from ..factories import AgencyFactory, TaskForceFactory, UserFactory


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        skip_postgeneration_save = True

    task_force = factory.SubFactory(TaskForceFactory)
    name = factory.Sequence(lambda n: f"Committee {n}")
    purpose = "Coordinate one part of the task force's work."


class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled full task force meeting a week from now, 10:00 to 11:30 UTC."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    task_force = factory.SubFactory(TaskForceFactory)
    title = factory.Sequence(lambda n: f"Task force meeting {n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(minutes=90))
    place = "County Building, Room 4"
    organiser = factory.SubFactory(UserFactory)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        skip_postgeneration_save = True

    task_force = factory.SubFactory(TaskForceFactory)
    title = "Monthly task force meeting"
    rule = "FREQ=MONTHLY;BYDAY=+2TU;COUNT=6"
    first_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    start_time = "10:00"
    organiser = factory.SubFactory(UserFactory)


class StandingItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandingItem

    task_force = factory.SubFactory(TaskForceFactory)
    title = factory.Sequence(lambda n: f"Standing item {n}")
    position = factory.Sequence(lambda n: n)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    position = factory.Sequence(lambda n: n)


class InviteeFactory(factory.django.DjangoModelFactory):
    """Give `user` and `agency` (the agency of one of the user's memberships)."""

    class Meta:
        model = Invitee

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    motion = "Adopt the referral protocol as circulated."
    result = Decision.Result.CARRIED


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    decision = factory.SubFactory(DecisionFactory)
    agency = factory.SubFactory(AgencyFactory)
    choice = Vote.Choice.FOR


class ActionItemFactory(factory.django.DjangoModelFactory):
    """Give `assignee` and `agency` (a member of the task force and their agency)."""

    class Meta:
        model = ActionItem

    task_force = factory.SelfAttribute("agency.task_force")
    agency = factory.SubFactory(AgencyFactory)
    assignee = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Action item {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class TrendBriefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrendBrief

    task_force = factory.SelfAttribute("meeting.task_force")
    meeting = factory.SubFactory(MeetingFactory)
    trafficking_type = "labour"
    indicators = factory.LazyFunction(lambda: ["unpaid_wages", "housing_at_work"])
    industry = "agriculture"
    area = "North county"
    period_start = factory.LazyFunction(lambda: timezone.localdate().replace(day=1) - timedelta(days=90))
    period_end = factory.LazyAttribute(lambda b: b.period_start + timedelta(days=89))
    count_range = "2-5"
    reporting_sector = "labour"
    agency = factory.SubFactory(AgencyFactory)
