"""The meetings part of the statewide scale seed (a receiver of members.signals.scale_seeded).

Per task force, in proportion to its active people (480 by default, so that the default seed
reaches DESIGN.md's 30,000 meetings, 300,000 attendance rows and 80,000 action items):

- 2.5 meetings a person over the past five years and the next three months: monthly Series (the
  full task force, the core team and each committee, ≤ 36 occurrences a series), and one-off case
  coordination, committee and core team meetings; about 1 in 30 past meetings was cancelled;
- about 10 invitees a meeting (40 at a full task force meeting, 8 or 9 elsewhere) with answers and,
  for the meetings held, attendance;
- 5 agenda items a meeting with mixed sensitivities, one decision a held meeting (a series'
  meeting approves the minutes of the one before), agency votes on one decision in four;
- 6⅔ action items a person (assignee: an active member, agency: theirs) with mixed statuses, some
  overdue; one trend brief every three meetings, de-identified (no names, places of residence,
  dates of birth or case numbers: types, industries, areas, quarters and count ranges only).

Rows are written with bulk_create from precomputed values: a handful of queries a task force, none
a row. A task force that already has meetings is left as it is, so seeding again adds nothing.
Removing the scale data (seed_scale --reset) deletes these rows first: see `delete_scale_meetings`.
"""

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from django.dispatch import receiver
from django.test.utils import override_settings

from members.models import Committee, Role, Sector
from members.scale import TaskForceSeed, seed_each_task_force
from members.signals import scale_deleting, scale_seeded

from . import recurrence
from .models import (
    ActionItem,
    AgendaItem,
    Attachment,
    Audience,
    CountRange,
    Decision,
    Industry,
    Invitee,
    Kind,
    Meeting,
    Sensitivity,
    Series,
    StandingItem,
    TraffickingType,
    TrendBrief,
    Vote,
)

BATCH_SIZE = 2000
MEETINGS_PER_PERSON = 2.5
ACTION_ITEMS_PER_PERSON = 80_000 / 12_000
YEARS_BACK = 5
UPCOMING_DAYS = 90
FULL_INVITEES = 40  # at 480 people; fewer in smaller seeds (one in twelve people, at least 10)
VIDEO = "https://meet.example.org/scale"

# fmt: off
COMMITTEES = [
    ("Victim services", "Shelter, advocacy and referral partners."),
    ("Law enforcement", "Investigators and prosecutors: deconfliction and joint operations."),
    ("Training", "The task force's training calendar."),
    ("Labour trafficking", "Farms, seafood processing, restaurants, salons and domestic work."),
]
# title, minutes, sensitivity
STANDING_ITEMS = [
    ("Introductions and apologies", 5, Sensitivity.ALL),
    ("Trends and potential victims", 20, Sensitivity.CORE),
    ("Training slot: 15 minutes", 15, Sensitivity.ALL),
    ("MOU and protocol status", 10, Sensitivity.ALL),
]
OWN_ITEMS = [
    ("Open investigations: deconfliction", Sensitivity.LAW_ENFORCEMENT),
    ("Referral protocol review", Sensitivity.ALL),
    ("Outreach to hotels and motels", Sensitivity.ALL),
    ("Labour inspections with an advocate present", Sensitivity.CORE),
    ("Grant report: figures for the quarter", Sensitivity.ALL),
]
MOTIONS = [
    "Adopt the revised referral protocol for circulation to every agency.",
    "Pair a victim advocate with labour inspectors on agricultural inspections.",
    "Offer hotel staff training twice a year.",
    "Invite the survivor network to review every new protocol before approval.",
    "Adopt the information sharing guidance for online advertisement reviews.",
]
ACTION_TITLES = [
    "Collect comments on the protocol draft",
    "Map the after-hours contacts of each agency",
    "Draft the joint inspection checklist",
    "Schedule the next hotel staff training",
    "Report helpline calls after trainings",
    "Update the information sharing guidance",
    "Check the interpreter roster",
    "Prepare the quarterly figures for the grant report",
]
# (trafficking type, industry, indicators, summary): patterns only, nothing that names anyone.
BRIEFS = [
    (TraffickingType.LABOUR, Industry.AGRICULTURE, ["unpaid_wages", "housing_at_work"],
     "Seasonal crews housed on site; wages withheld until the end of the season."),
    (TraffickingType.SEX, Industry.ONLINE_COMMERCIAL_SEX, ["online_adverts", "controlled_movement"],
     "Adverts moving between motels along the highway."),
    (TraffickingType.LABOUR, Industry.RESTAURANTS, ["debt", "threats"],
     "Kitchen staff repaying recruitment debts; threats about immigration status."),
    (TraffickingType.BOTH, Industry.MASSAGE, ["housing_at_work", "coached"],
     "Workers living in the premises; scripted answers to outreach workers."),
    (TraffickingType.LABOUR, Industry.FISHING, ["unpaid_wages", "recruitment_fraud"],
     "Processing line workers recruited with false wage offers."),
    (TraffickingType.SEX, Industry.STREET, ["underage_commercial_sex"],
     "Minors seen by outreach workers; referred to child welfare."),
    (TraffickingType.LABOUR, Industry.DOMESTIC_WORK, ["documents_held"],
     "Live-in domestic workers without access to their documents."),
    (TraffickingType.LABOUR, Industry.CONSTRUCTION, ["unpaid_wages", "debt"],
     "Day labourers paid below the agreed rate through subcontractors."),
    (TraffickingType.SEX, Industry.HOSPITALITY, ["controlled_movement"],
     "Short stays booked by third parties at roadside hotels."),
    (TraffickingType.LABOUR, Industry.BEAUTY, ["debt", "housing_at_work"],
     "Salon workers owing placement fees to a recruiter."),
]
AREAS = ["North county", "South county", "East county", "West county", "County seat", "Harbor district",
         "Interstate corridor"]
SECTORS = [Sector.LAW_ENFORCEMENT, Sector.VICTIM_SERVICES, Sector.LABOUR, Sector.HEALTH,
           Sector.CHILD_WELFARE, Sector.IMMIGRATION]
COUNT_RANGES = [CountRange.ONE, CountRange.TWO_TO_FIVE, CountRange.TWO_TO_FIVE, CountRange.SIX_TO_TEN,
                CountRange.ELEVEN_TO_TWENTY_FIVE, CountRange.MORE]
# past: (response, attendance) by position; upcoming: response only
PAST_ANSWERS = [("yes", "present")] * 6 + [("no", "absent"), ("maybe", "present"),
                                           ("yes", "excused"), ("pending", "absent")]
UPCOMING_ANSWERS = ["yes", "pending", "maybe", "yes", "no", "pending"]
# fmt: on


@receiver(scale_seeded, dispatch_uid="meetings.scale")
def seed_scale_meetings(sender, task_forces, stdout=None, **kwargs):
    seed_each_task_force(task_forces, Meeting, ScaleMeetings, "Meetings", stdout)


@receiver(scale_deleting, dispatch_uid="meetings.scale_delete")
def delete_scale_meetings(sender, task_forces, stdout=None, **kwargs):
    """Delete the meetings records of these task forces before the task forces themselves go.

    Deleting a task force does cascade to its meetings, but the collector stops at the PROTECT
    foreign keys to agencies and people (invitees, votes, action items, trend briefs, organisers)
    and at minutes approvals (Decision.approves_minutes_of), whatever else is being deleted with
    them. So the rows go here, children first; without history rows for the deletions."""
    started = time.perf_counter()
    ids = list(task_forces.values_list("pk", flat=True))
    meetings = Meeting.objects.filter(task_force_id__in=ids)
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        # Attachments one by one, so that their stored files go too; the rest in bulk.
        for attachment in Attachment.objects.filter(item__meeting__in=meetings):
            attachment.delete()
        # The history of records edited since the seed, while the meetings are there to name them.
        AgendaItem.history.filter(meeting_id__in=meetings.values("pk")).delete()
        Decision.history.filter(meeting_id__in=meetings.values("pk")).delete()
        for model in (Meeting, Series, ActionItem):
            model.history.filter(task_force_id__in=ids).delete()
        Vote.objects.filter(decision__meeting__in=meetings).delete()
        Decision.objects.filter(meeting__in=meetings).delete()
        Invitee.objects.filter(meeting__in=meetings).delete()
        TrendBrief.objects.filter(task_force_id__in=ids).delete()
        ActionItem.objects.filter(task_force_id__in=ids).delete()
        AgendaItem.agencies.through.objects.filter(agendaitem__meeting__in=meetings).delete()
        AgendaItem.objects.filter(meeting__in=meetings).delete()
        Meeting.agencies.through.objects.filter(meeting__in=meetings).delete()
        meetings.delete()
        Series.agencies.through.objects.filter(series__task_force_id__in=ids).delete()
        Series.objects.filter(task_force_id__in=ids).delete()
    if stdout is not None:
        stdout.write(f"Deleted the scale meetings in {time.perf_counter() - started:.1f} s.")


class ScaleMeetings(TaskForceSeed):
    people_fields = ("user_id", "agency_id", "role", "agency__sector")

    def __init__(self, task_force, now):
        super().__init__(task_force, now)
        self.workers = [m for m in self.everyone if m[2] != Role.OBSERVER] or self.everyone
        self.core = [m for m in self.everyone if m[2] in (Role.COORDINATOR, Role.CO_CHAIR, Role.AGENCY_LEAD)]
        coordinators = [m for m in self.everyone if m[2] == Role.COORDINATOR] or self.everyone
        self.coordinator = coordinators[0]
        self.home = {m[0]: m[1] for m in reversed(self.everyone)}  # user id -> first agency
        self.agencies = sorted({m[1] for m in self.everyone})
        self.by_agency = {}
        for membership in self.workers:
            self.by_agency.setdefault(membership[1], []).append(membership)

    def seed(self):
        if not self.everyone:
            return {}
        people = len(self.everyone)
        self.target = max(1, round(people * MEETINGS_PER_PERSON))
        self.full_invitees = min(FULL_INVITEES, max(10, people // 12))
        self.committees = self.seed_committees()
        self.standing = self.seed_standing_items()
        meetings = self.seed_meetings()
        invitees = self.seed_invitees(meetings)
        items = self.seed_agenda(meetings)
        decisions, votes = self.seed_decisions(meetings, invitees)
        actions = self.seed_action_items(meetings, round(people * ACTION_ITEMS_PER_PERSON))
        briefs = self.seed_trend_briefs(meetings)
        return {
            "meetings": len(meetings),
            "series": self.series_count,
            "invitees": len(invitees),
            "agenda items": items,
            "decisions": decisions,
            "votes": votes,
            "action items": actions,
            "trend briefs": briefs,
        }

    # --- the task force's committees and standing items ------------------------------------

    def seed_committees(self):
        existing = {c.name: c for c in Committee.objects.filter(task_force=self.task_force)}
        size = max(3, min(20, len(self.workers) // 24))
        new = []
        for index, (name, purpose) in enumerate(COMMITTEES):
            if name not in existing:
                chair = self.core[(index + 1) % len(self.core)] if self.core else self.coordinator
                new.append(
                    Committee(task_force=self.task_force, name=name, purpose=purpose, chair_id=chair[0])
                )
        created = Committee.objects.bulk_create(new)
        members = []
        for index, committee in enumerate(created):
            chosen = {committee.chair_id}
            start = index * size
            chosen.update(self.workers[(start + j) % len(self.workers)][0] for j in range(size))
            members += [Committee.members.through(committee=committee, user_id=user) for user in chosen]
        Committee.members.through.objects.bulk_create(members, batch_size=BATCH_SIZE)
        order = [name for name, _ in COMMITTEES]
        committees = sorted(
            [*existing.values(), *created],
            key=lambda c: (order.index(c.name) if c.name in order else len(order), c.name),
        )
        return [
            (committee, [m for m in self.workers if m[0] in member_ids] or [self.coordinator])
            for committee, member_ids in self.committee_members(committees)
        ]

    def committee_members(self, committees):
        through = Committee.members.through.objects.filter(committee__in=committees)
        by_committee = {}
        for committee_id, user_id in through.values_list("committee_id", "user_id"):
            by_committee.setdefault(committee_id, set()).add(user_id)
        return [(committee, by_committee.get(committee.pk, set())) for committee in committees]

    def seed_standing_items(self):
        existing = list(StandingItem.objects.filter(task_force=self.task_force).order_by("position", "id"))
        if existing:
            return existing
        return StandingItem.objects.bulk_create(
            StandingItem(
                task_force=self.task_force,
                title=title,
                minutes_allotted=minutes,
                sensitivity=level,
                position=index,
            )
            for index, (title, minutes, level) in enumerate(STANDING_ITEMS)
        )

    # --- meetings ------------------------------------------------------------------------

    def streams(self):
        """The monthly series: (title, kind, audience, committee, invitation pool, organiser, RRULE
        BYDAY, local start)."""
        full = (
            "Full task force meeting",
            Kind.FULL,
            Audience.WHOLE,
            None,
            self.everyone,
            self.coordinator,
            "+2TU",
            clock(10),
        )
        core = (
            "Core team meeting",
            Kind.CORE,
            Audience.CORE,
            None,
            self.core or self.workers,
            self.coordinator,
            "+1TH",
            clock(9),
        )
        streams = [full, core]
        days = ["+3WE", "+4TU", "+1MO", "+2TH"]
        for index, (committee, members) in enumerate(self.committees):
            chair = next((m for m in self.everyone if m[0] == committee.chair_id), self.coordinator)
            streams.append(
                (
                    f"{committee.name} committee",
                    Kind.COMMITTEE,
                    Audience.COMMITTEE,
                    committee,
                    members,
                    chair,
                    days[index % len(days)],
                    clock(14),
                )
            )
        return streams

    def seed_meetings(self):
        upcoming = max(1, self.target // 20)
        past = self.target - upcoming
        streams = self.streams()[: min(len(self.streams()), max(1, self.target // 200))]
        months_back = min(YEARS_BACK * 12, max(1, past // 3 // len(streams)))
        months_ahead = min(3, upcoming // (2 * len(streams)))
        first_date = self.months_before(self.today.replace(day=1), months_back)
        self.meetings_info = []  # per meeting: (stream, invitation pool, previous held of the series)
        meetings, series_rows = [], []
        for stream in streams:
            title, kind, audience, committee, pool, organiser, byday, start = stream
            rule = f"FREQ=MONTHLY;BYDAY={byday};COUNT={months_back + months_ahead}"
            slots = recurrence.occurrences(rule, first_date, start, 90, self.task_force.time_zone)
            slots = slots[: max(0, self.target - len(meetings))]
            for chunk_start in range(0, len(slots), recurrence.MAX_COUNT):
                chunk = slots[chunk_start : chunk_start + recurrence.MAX_COUNT]
                series = Series(
                    task_force=self.task_force,
                    title=title,
                    kind=kind,
                    audience=audience,
                    committee=committee,
                    place="County Administration Building, Room 2",
                    video_link=VIDEO,
                    description="Monthly meeting.",
                    organiser_id=organiser[0],
                    rule=f"FREQ=MONTHLY;BYDAY={byday};COUNT={len(chunk)}",
                    first_date=chunk[0][0].astimezone(self.zone).date(),
                    start_time=start,
                    duration_minutes=90,
                )
                series_rows.append(series)
                for starts_at, ends_at in chunk:
                    meetings.append(
                        self.meeting(
                            series,
                            title,
                            kind,
                            audience,
                            committee,
                            organiser,
                            starts_at,
                            ends_at,
                            len(meetings),
                        )
                    )
                    self.meetings_info.append((pool, True))
        Series.objects.bulk_create(series_rows, batch_size=BATCH_SIZE)
        for meeting in meetings:
            meeting.series_id = meeting.series.pk
        self.series_count = len(series_rows)
        one_offs = max(0, self.target - len(meetings))
        future = min(one_offs, max(0, upcoming - sum(1 for m in meetings if m.ends_at >= self.now)))
        slots = [self.one_off_start(index, one_offs - future, False) for index in range(one_offs - future)]
        slots += [self.one_off_start(index, future, True) for index in range(future)]
        case_agencies = {}
        for index, starts_at in enumerate(slots):
            title, kind, audience, committee, pool, organiser = self.one_off(index)
            meeting = self.meeting(
                None,
                title,
                kind,
                audience,
                committee,
                organiser,
                starts_at,
                starts_at + timedelta(minutes=60),
                len(meetings),
            )
            if kind == Kind.CASE:
                meeting.confidential = True
                chosen = [
                    self.agencies[(index + j) % len(self.agencies)] for j in range(min(3, len(self.agencies)))
                ]
                case_agencies[len(meetings)] = chosen
                pool = [m for agency in chosen for m in self.by_agency.get(agency, [])] or self.workers
            meetings.append(meeting)
            self.meetings_info.append((pool, False))
        Meeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)
        self.case_agencies = {meetings[i].pk: agencies for i, agencies in case_agencies.items()}
        Meeting.agencies.through.objects.bulk_create(
            [
                Meeting.agencies.through(meeting_id=pk, agency_id=a)
                for pk, chosen in self.case_agencies.items()
                for a in chosen
            ],
            batch_size=BATCH_SIZE,
        )
        return meetings

    def months_before(self, day, months):
        total = day.year * 12 + day.month - 1 - months
        return date(total // 12, total % 12 + 1, 1)

    def one_off_start(self, index, count, upcoming):
        """Evenly over the past five years (or the next three months), on a weekday at 9 to 15."""
        if upcoming:
            first, span = self.today + timedelta(days=1), UPCOMING_DAYS
        else:
            span = YEARS_BACK * 365
            first = self.today - timedelta(days=span)
        day = first + timedelta(days=(index * span) // max(1, count))
        if day.weekday() >= 5:
            day += timedelta(days=7 - day.weekday())
        return recurrence.local_datetime(day, clock(9 + index % 7), self.zone).astimezone(UTC)

    def one_off(self, index):
        """(title, kind, audience, committee, invitation pool, organiser) of the index-th one-off."""
        kind = index % 4
        if kind == 0 and self.committees:
            committee, members = self.committees[index // 4 % len(self.committees)]
            chair = next((m for m in self.everyone if m[0] == committee.chair_id), self.coordinator)
            return (
                f"{committee.name}: working session",
                Kind.COMMITTEE,
                Audience.COMMITTEE,
                committee,
                members,
                chair,
            )
        if kind == 1:
            return (
                "Core team: protocol review",
                Kind.CORE,
                Audience.CORE,
                None,
                self.core or self.workers,
                self.coordinator,
            )
        lead = self.core[index % len(self.core)] if self.core else self.coordinator
        return (
            "Case coordination: service referrals",
            Kind.CASE,
            Audience.AGENCIES,
            None,
            self.workers,
            lead,
        )

    def meeting(self, series, title, kind, audience, committee, organiser, starts_at, ends_at, number):
        values = {"status": Meeting.Status.SCHEDULED}
        if ends_at < self.now:
            if number % 30 == 29:
                values = {
                    "status": Meeting.Status.CANCELLED,
                    "sequence": 1,
                    "cancel_reason": "Rescheduled: too many apologies.",
                }
            else:
                age = self.now - ends_at
                minutes = (
                    Meeting.MinutesStatus.APPROVED
                    if age > timedelta(days=60)
                    else Meeting.MinutesStatus.CIRCULATED
                    if age > timedelta(days=7)
                    else Meeting.MinutesStatus.DRAFT
                )
                values = {
                    "status": Meeting.Status.HELD,
                    "minutes_status": minutes,
                    "minutes_circulated_at": ends_at + timedelta(days=3) if age > timedelta(days=7) else None,
                }
        return Meeting(
            task_force=self.task_force,
            series=series,
            title=title,
            kind=kind,
            audience=audience,
            committee=committee,
            organiser_id=organiser[0],
            starts_at=starts_at,
            ends_at=ends_at,
            place="County Administration Building, Room 2"
            if kind != Kind.CASE
            else "Sheriff's Office, meeting room",
            video_link=VIDEO if kind != Kind.CASE else "",
            **values,
        )

    # --- invitees, agenda, decisions -------------------------------------------------------

    def seed_invitees(self, meetings):
        rows = []
        for number, (meeting, (pool, _)) in enumerate(zip(meetings, self.meetings_info, strict=True)):
            size = self.full_invitees if meeting.kind == Kind.FULL else 8 + (number % 3 == 0)
            size = min(size, len(pool))
            start = (number * 7) % len(pool)
            chosen = [pool[(start + j) % len(pool)] for j in range(size)]
            if meeting.kind in (Kind.FULL, Kind.CORE) and self.coordinator not in chosen:
                chosen[0] = self.coordinator
            past = meeting.ends_at < self.now
            soon = meeting.starts_at - self.now < timedelta(days=35)
            for position, (user_id, agency_id, _, _) in enumerate(chosen):
                if past:
                    response, attendance = PAST_ANSWERS[(position + number) % len(PAST_ANSWERS)]
                    if meeting.status != Meeting.Status.HELD:
                        attendance = ""
                else:
                    response = (
                        UPCOMING_ANSWERS[(position + number) % len(UPCOMING_ANSWERS)] if soon else "pending"
                    )
                    attendance = ""
                rows.append(
                    Invitee(
                        meeting_id=meeting.pk,
                        user_id=user_id,
                        agency_id=agency_id,
                        response=response,
                        responded_at=meeting.starts_at - timedelta(days=3) if response != "pending" else None,
                        invited_at=meeting.starts_at - timedelta(days=30),
                        sent_sequence=meeting.sequence,
                        attendance=attendance,
                    )
                )
        Invitee.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        return rows

    def seed_agenda(self, meetings):
        items, links = [], []
        for number, meeting in enumerate(meetings):
            held = meeting.status == Meeting.Status.HELD
            own_title, own_level = OWN_ITEMS[number % len(OWN_ITEMS)]
            rows = [(s.title, s.minutes_allotted, s.sensitivity, s) for s in self.standing[:4]]
            rows.append((own_title, 20, own_level, None))
            agencies = self.case_agencies.get(meeting.pk)
            for position, (title, minutes, level, standing) in enumerate(rows):
                if agencies and position == 4:
                    title, level = "Referrals and service needs", Sensitivity.AGENCIES
                item = AgendaItem(
                    meeting_id=meeting.pk,
                    position=position,
                    title=title,
                    minutes_allotted=minutes,
                    sensitivity=level,
                    standing_item=standing,
                    presenter_id=self.workers[(number + position) % len(self.workers)][0]
                    if position == 4
                    else None,
                    notes="Discussed; see the action items." if held and position in (1, 4) else "",
                )
                items.append(item)
                if level == Sensitivity.AGENCIES:
                    links.append((item, agencies))
        AgendaItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
        AgendaItem.agencies.through.objects.bulk_create(
            [
                AgendaItem.agencies.through(agendaitem_id=item.pk, agency_id=a)
                for item, chosen in links
                for a in chosen
            ],
            batch_size=BATCH_SIZE,
        )
        return len(items)

    def seed_decisions(self, meetings, invitees):
        present = {}
        for invitee in invitees:
            if invitee.attendance == "present":
                present.setdefault(invitee.meeting_id, set()).add(invitee.agency_id)
        decisions, previous = [], {}
        for number, meeting in enumerate(meetings):
            if meeting.status != Meeting.Status.HELD:
                continue
            earlier = previous.get(meeting.series_id) if meeting.series_id else None
            if earlier is not None:
                decision = Decision(
                    meeting_id=meeting.pk,
                    result=Decision.Result.CONSENSUS,
                    approves_minutes_of_id=earlier.pk,
                    motion=f"Approve the minutes of the meeting of {earlier.starts_at:%d %B %Y}.",
                )
            else:
                decision = Decision(
                    meeting_id=meeting.pk,
                    motion=MOTIONS[number % len(MOTIONS)],
                    result=Decision.Result.CARRIED if number % 9 else Decision.Result.TABLED,
                )
            decision.moved_by_id = self.workers[number % len(self.workers)][0]
            decision.seconded_by_id = self.workers[(number + 5) % len(self.workers)][0]
            decision.recorded_by_id = self.coordinator[0]
            decisions.append(decision)
            if meeting.series_id:
                previous[meeting.series_id] = meeting
        Decision.objects.bulk_create(decisions, batch_size=BATCH_SIZE)
        votes = []
        for number, decision in enumerate(decisions):
            if number % 4 or decision.approves_minutes_of_id:
                continue
            for position, agency_id in enumerate(sorted(present.get(decision.meeting_id, ()))):
                choice = ("for", "for", "for", "against", "abstain")[(number + position) % 5]
                votes.append(Vote(decision_id=decision.pk, agency_id=agency_id, choice=choice))
        Vote.objects.bulk_create(votes, batch_size=BATCH_SIZE)
        return len(decisions), len(votes)

    # --- action items and trend briefs ------------------------------------------------------

    def seed_action_items(self, meetings, count):
        held = [meeting for meeting in meetings if meeting.status == Meeting.Status.HELD] or meetings
        latest = max(held, key=lambda meeting: meeting.starts_at)
        rows = []
        for number in range(count):
            meeting = held[(number * len(held)) // max(1, count)]
            user_id, agency_id, _, _ = self.workers[(number * 13) % len(self.workers)]
            due_on = meeting.starts_at.astimezone(self.zone).date() + timedelta(days=14 + number % 47)
            if number % 5 == 4:
                # One in five was set at the latest meeting and is due in the next two months, so
                # that work lies ahead whatever the date of the seed.
                meeting = latest
                due_on = self.today + timedelta(days=1 + number % 60)
            if due_on < self.today:
                # Most past-due items were done; one in eight is still open, i.e. overdue.
                status = ("done", "done", "done", "done", "done", "dropped", "open", "in_progress")[
                    number % 8
                ]
            else:
                status = ("open", "in_progress", "open", "done")[number % 4]
            rows.append(
                ActionItem(
                    task_force=self.task_force,
                    meeting_id=meeting.pk if number % 10 else None,
                    title=ACTION_TITLES[number % len(ACTION_TITLES)],
                    assignee_id=user_id,
                    agency_id=agency_id,
                    due_on=due_on,
                    status=status,
                    created_by_id=self.coordinator[0],
                    completed_at=(
                        datetime.combine(min(due_on, self.today) - timedelta(days=2), clock(12), tzinfo=UTC)
                        if status == "done"
                        else None
                    ),
                )
            )
        ActionItem.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        return len(rows)

    def seed_trend_briefs(self, meetings):
        held = [meeting for meeting in meetings if meeting.status == Meeting.Status.HELD]
        rows = []
        count = max(1, len(meetings) // 3) if held else 0
        for number in range(count):
            meeting = held[(number * len(held)) // count]
            kind, industry, indicators, summary = BRIEFS[number % len(BRIEFS)]
            day = meeting.starts_at.astimezone(self.zone).date()
            quarter_start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
            start = self.months_before(quarter_start, 3)  # the quarter before the meeting
            end = quarter_start - timedelta(days=1)
            user_id, agency_id, _, sector = self.workers[(number * 5) % len(self.workers)]
            rows.append(
                TrendBrief(
                    task_force=self.task_force,
                    meeting_id=meeting.pk,
                    trafficking_type=kind,
                    industry=industry,
                    area=AREAS[number % len(AREAS)],
                    period_start=start,
                    period_end=end,
                    count_range=COUNT_RANGES[number % len(COUNT_RANGES)],
                    reporting_sector=sector or SECTORS[number % len(SECTORS)],
                    agency_id=agency_id,
                    indicators=indicators,
                    summary=summary,
                    submitted_by_id=user_id,
                )
            )
        TrendBrief.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        return len(rows)
