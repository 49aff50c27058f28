"""The meetings part of the demo task forces (a receiver of members.signals.demo_loaded).

Harbor County gets committees, standing items and a monthly series "on the second Tuesday at
10:00": past meetings with attendance, minutes, decisions with agency votes, action items and trend
briefs, one cancelled meeting, and upcoming ones with answers still coming in; plus a committee
meeting and a confidential case coordination meeting. Ridge Valley gets two meetings.

Everything is fictional and de-identified: no victim's name, birth date, address, phone number or
case number anywhere. Running load_demo again adds nothing: a task force whose demo series exists
is left as it is.
"""

from datetime import time, timedelta

from django.dispatch import receiver
from django.utils import timezone

from members.models import Agency, Committee, Membership, Role
from members.signals import demo_loaded

from . import recurrence
from .models import (
    ActionItem,
    AgendaItem,
    Audience,
    Decision,
    Invitee,
    Kind,
    Meeting,
    Sensitivity,
    Series,
    StandingItem,
    TrendBrief,
    Vote,
)

HARBOR, RIDGE = "harbor-county", "ridge-valley"
SERIES_TITLE = "Full task force meeting"
PLACE = "Harbor County Administration Building, Conference Room 4B"
VIDEO = "https://meet.example.org/harbor-task-force"

# fmt: off
COMMITTEES = [
    ("Victim services", "Shelter, advocacy and referral partners: services from first contact on.",
     "alma.torres", ["renee.okafor", "fatima.haddad", "sofia.rossi", "mia.johnson", "carlos.medina"]),
    ("Law enforcement", "Investigators and prosecutors: deconfliction and joint operations.",
     "lead@example.org", ["member@example.org", "nina.kowalski", "sarah.blake", "tomas.reyes",
                          "luis.ortega", "ian.mcallister", "priya.nair", "grace.liu"]),
    ("Training", "The task force's training calendar and the rotating training slot.",
     "james.oconnor", ["keisha.grant", "laura.chen", "samuel.adeyemi", "hannah.brooks"]),
    ("Labour trafficking", "Farms, seafood processing, restaurants, salons and domestic work.",
     "peter.novak", ["kevin.doyle", "tomas.reyes", "luis.ortega", "fatima.haddad", "amara.diallo",
                     "owen.price"]),
]

# title, minutes, sensitivity, description
STANDING_ITEMS = [
    ("Introductions and apologies", 5, Sensitivity.ALL, "New faces and who sends apologies."),
    ("Trends and potential victims", 20, Sensitivity.CORE,
     "De-identified trends only: types, industries, areas and counts. No names or case details."),
    ("Training slot: 15 minutes", 15, Sensitivity.ALL, "A member agency teaches one thing it knows well."),
    ("MOU and protocol status", 10, Sensitivity.ALL, "What is being signed, reviewed or renewed."),
]

# Per past meeting (oldest first): an item of its own, its notes, the motion, and the action items
# (title, assignee, agency key, days from the meeting to the due date, status).
PAST = [
    ("Referral protocol: first draft", "The shelter and the sheriff's office compared referral steps.",
     "Circulate the first draft of the referral protocol to every agency lead for comment.",
     [("Collect comments on the referral protocol draft", "alma.torres", "advocacy", 21, "done"),
      ("Map the after-hours contacts of each agency", "robert.kim", "helpline", 28, "done")]),
    ("Labour inspections with an advocate present", "Wage and hour and the advocacy center agreed to "
     "pair an advocate with inspectors on farm visits.",
     "Pair a victim advocate with wage and hour inspectors on every agricultural inspection.",
     [("Draft the joint inspection checklist", "peter.novak", "labor", 30, "done"),
      ("Train two advocates on inspection safety", "fatima.haddad", "advocacy", 45, "in_progress")]),
    ("Weather closure", "", "", []),  # this occurrence was cancelled
    ("Hotel staff training results", "Forty hotel staff trained; three calls to the helpline followed.",
     "Make hotel staff training a standing offer of the task force, twice a year.",
     [("Schedule the spring hotel staff training", "victor.salas", "hospitality", 40, "open"),
      ("Report helpline calls after trainings", "robert.kim", "helpline", 30, "done")]),
    ("Online advertisement review", "The sheriff's office summarised patterns in online adverts; "
     "details stay with law enforcement.",
     "Adopt the information sharing guidance for online advertisement reviews.",
     [("Update the information sharing guidance", "member@example.org", "sheriff", 20, "open"),
      ("Share the guidance with the schools", "james.oconnor", "schools", 35, "open")]),
    ("Survivor advisory input", "The survivor network asked for a standing feedback slot.",
     "Invite the survivor network to review every new protocol before approval.",
     [("Propose the survivor review step for the protocol template", "mia.johnson", "survivors", 25,
       "open"),
      ("Check the interpreter roster", "member@example.org", "sheriff", 45, "in_progress")]),
]

# (meeting index, trafficking type, industry, area, months back of the period, count range, sector,
#  agency key, indicators, summary)
BRIEFS = [
    (0, "labour", "agriculture", "North county farms", 3, "6-10", "labour", "labor",
     ["unpaid_wages", "housing_at_work", "documents_held"],
     "Seasonal crews housed on site; wages withheld until the end of the season."),
    (0, "sex", "online_commercial_sex", "Port City", 3, "2-5", "law_enforcement", "sheriff",
     ["online_adverts", "controlled_movement"], "Adverts moving between two motels on the highway."),
    (1, "labour", "restaurants", "Port City waterfront", 4, "2-5", "victim_services", "advocacy",
     ["debt", "threats"], "Kitchen staff repaying recruitment debts; threats about immigration status."),
    (3, "both", "massage", "East county", 5, "2-5", "law_enforcement", "port-city-pd",
     ["housing_at_work", "controlled_movement", "coached"], "Workers living in the premises."),
    (3, "labour", "fishing", "Harbor docks", 5, "11-25", "labour", "labor",
     ["unpaid_wages", "recruitment_fraud"], "Processing line workers recruited with false wage offers."),
    (4, "sex", "street", "Port City centre", 6, "1", "health", "hospital",
     ["underage_commercial_sex"], "A minor seen in the emergency department; referred to child welfare."),
    (5, "labour", "domestic_work", "West county", 7, "1", "immigration", "immigration",
     ["documents_held", "controlled_movement"], "Live-in domestic worker without access to documents."),
    (5, "labour", "construction", "South county", 7, "6-10", "labour", "workforce",
     ["unpaid_wages", "debt"], "Day labourers paid below the agreed rate through a subcontractor."),
]
# fmt: on


def email(name):
    return name if "@" in name else f"{name}@example.org"


@receiver(demo_loaded, dispatch_uid="meetings.demo")
def load_meetings_demo(sender, task_forces, people, **kwargs):
    harbor = task_forces.get(HARBOR)
    if harbor is not None and not Series.objects.filter(task_force=harbor, title=SERIES_TITLE).exists():
        HarborDemo(harbor, people).load()
    ridge = task_forces.get(RIDGE)
    if ridge is not None and not ridge.meetings.exists():
        load_ridge(ridge, people)


class HarborDemo:
    def __init__(self, task_force, people):
        self.task_force = task_force
        self.people = {key: person for key, person in people.items()}
        self.agencies = {}
        self.home = {}  # user id -> the agency they first serve
        memberships = Membership.objects.active().filter(task_force=task_force).select_related("agency")
        self.memberships = list(memberships.order_by("started_on", "id"))
        for membership in self.memberships:
            self.home.setdefault(membership.user_id, membership.agency)
        self.by_key = {
            "sheriff": "Harbor County Sheriff's Office",
            "port-city-pd": "Port City Police Department",
            "da": "Harbor County District Attorney's Office",
            "advocacy": "Safe Harbor Advocacy Center",
            "labor": "State Department of Labor, Wage and Hour Division",
            "workforce": "Harbor County Workforce Development Board",
            "hospital": "Harbor General Hospital",
            "immigration": "Harbor Immigrant Legal Services",
            "schools": "Harbor County Public Schools",
            "survivors": "Rising Tide Survivor Network",
            "helpline": "Harbor County 2-1-1 Community Helpline",
            "hospitality": "Harbor Hospitality and Lodging Association",
        }
        names = Agency.objects.filter(task_force=task_force, name__in=self.by_key.values())
        by_name = {agency.name: agency for agency in names}
        self.agencies = {key: by_name[name] for key, name in self.by_key.items()}
        self.coordinator = self.person("coordinator@example.org")
        self.now = timezone.now()

    def person(self, name):
        return self.people[email(name)]

    def load(self):
        self.committees()
        self.standing_items()
        meetings = self.series()
        self.committee_meeting()
        self.case_meeting()
        return meetings

    def committees(self):
        for name, purpose, chair, members in COMMITTEES:
            committee = Committee.objects.create(
                task_force=self.task_force, name=name, purpose=purpose, chair=self.person(chair)
            )
            committee.members.set([self.person(chair), *(self.person(member) for member in members)])
        self.labour_committee = Committee.objects.get(task_force=self.task_force, name="Labour trafficking")

    def standing_items(self):
        StandingItem.objects.bulk_create(
            StandingItem(
                task_force=self.task_force,
                title=title,
                minutes_allotted=minutes,
                sensitivity=sensitivity,
                description=description,
                position=index,
            )
            for index, (title, minutes, sensitivity, description) in enumerate(STANDING_ITEMS)
        )

    def series(self):
        today = self.task_force.today()
        first_date = (today.replace(day=1) - timedelta(days=175)).replace(day=1)
        rule = "FREQ=MONTHLY;BYDAY=+2TU;COUNT=13"
        series = Series.objects.create(
            task_force=self.task_force,
            title=SERIES_TITLE,
            kind=Kind.FULL,
            place=PLACE,
            video_link=VIDEO,
            description="The monthly meeting of all member agencies.",
            audience=Audience.WHOLE,
            organiser=self.coordinator,
            rule=rule,
            first_date=first_date,
            start_time=time(10),
            duration_minutes=90,
        )
        slots = recurrence.occurrences(rule, first_date, time(10), 90, self.task_force.time_zone)
        past = [slot for slot in slots if slot[1] < self.now][-len(PAST) :]
        upcoming = [slot for slot in slots if slot[0] > self.now][:6]
        meetings = []
        for index, (starts_at, ends_at) in enumerate(past):
            meetings.append(self.past_meeting(series, index, starts_at, ends_at))
        held = [meeting for meeting in meetings if meeting.status == Meeting.Status.HELD]
        for earlier, later in zip(held, held[1:], strict=False):
            self.approve_minutes(earlier, later)
        for starts_at, ends_at in upcoming:
            meetings.append(self.upcoming_meeting(series, starts_at, ends_at))
        self.trend_briefs(meetings)
        return meetings

    def meeting(self, series, starts_at, ends_at, **fields):
        values = {
            "task_force": self.task_force,
            "series": series,
            "title": SERIES_TITLE,
            "kind": Kind.FULL,
            "place": PLACE,
            "video_link": VIDEO,
            "description": "The monthly meeting of all member agencies.",
            "audience": Audience.WHOLE,
            "organiser": self.coordinator,
            "starts_at": starts_at,
            "ends_at": ends_at,
            **fields,
        }
        return Meeting.objects.create(**values)

    def standing_agenda(self, meeting, extra=()):
        items = [
            AgendaItem(
                meeting=meeting,
                position=index,
                title=title,
                description=description,
                minutes_allotted=minutes,
                sensitivity=sensitivity,
            )
            for index, (title, minutes, sensitivity, description) in enumerate(STANDING_ITEMS)
        ]
        items += [
            AgendaItem(meeting=meeting, position=len(items) + index, **fields)
            for index, fields in enumerate(extra)
        ]
        return AgendaItem.objects.bulk_create(items)

    def invite(self, meeting, answers, attendance=None, people=None):
        """Invite `people` (default: everyone active) with answers (and attendance) by position."""
        chosen = people if people is not None else self.memberships
        seen, rows = set(), []
        for index, membership in enumerate(chosen):
            if membership.user_id in seen:
                continue
            seen.add(membership.user_id)
            rows.append(
                Invitee(
                    meeting=meeting,
                    user_id=membership.user_id,
                    agency=membership.agency,
                    response=answers(index),
                    responded_at=meeting.starts_at - timedelta(days=3)
                    if answers(index) != "pending"
                    else None,
                    attendance=attendance(index) if attendance else "",
                    invited_at=meeting.starts_at - timedelta(days=30),
                    sent_sequence=meeting.sequence,
                )
            )
        return Invitee.objects.bulk_create(rows)

    def past_meeting(self, series, index, starts_at, ends_at):
        own_title, notes, motion, actions = PAST[index]
        if not motion:
            meeting = self.meeting(
                series,
                starts_at,
                ends_at,
                status=Meeting.Status.CANCELLED,
                sequence=1,
                cancel_reason="County offices closed for the storm.",
            )
            self.standing_agenda(meeting)
            self.invite(meeting, lambda i: "yes" if i % 3 else "maybe")
            return meeting
        meeting = self.meeting(
            series,
            starts_at,
            ends_at,
            status=Meeting.Status.HELD,
            minutes_status=Meeting.MinutesStatus.CIRCULATED,
            minutes_circulated_at=ends_at + timedelta(days=2),
        )
        items = self.standing_agenda(
            meeting,
            [
                {
                    "title": own_title,
                    "minutes_allotted": 20,
                    "notes": notes,
                    "presenter": self.person("alma.torres" if index % 2 else "peter.novak"),
                },
                {
                    "title": "Open investigations: deconfliction",
                    "minutes_allotted": 15,
                    "sensitivity": Sensitivity.LAW_ENFORCEMENT,
                    "notes": "Two agencies were working the same online adverts; the sheriff's office leads.",
                },
            ],
        )
        items[1].notes = "Labour cases outnumbered sex cases this month; see the trend briefs."
        items[2].notes = "The labor department presented the signs of forced labour on farms."
        AgendaItem.objects.bulk_update(items[1:3], ["notes"])
        # One meeting (the fourth) falls short of its quorum: a holiday week.
        short = index == 3
        invitees = self.invite(
            meeting,
            lambda i: "no" if i % 7 == 3 else "yes",
            lambda i: (
                ("present" if i % 4 == 0 else "absent") if short else ("excused" if i % 7 == 3 else "present")
            ),
        )
        self.decision(meeting, motion, invitees)
        for title, assignee, agency_key, due_in, status in actions:
            due_on = starts_at.date() + timedelta(days=due_in)
            ActionItem.objects.create(
                task_force=self.task_force,
                meeting=meeting,
                title=title,
                assignee=self.person(assignee),
                agency=self.agencies[agency_key],
                due_on=due_on,
                status=status,
                completed_at=starts_at + timedelta(days=due_in - 3) if status == "done" else None,
                created_by=self.coordinator,
            )
        return meeting

    def decision(self, meeting, motion, invitees):
        present = {invitee.agency_id for invitee in invitees if invitee.attendance == "present"}
        decision = Decision.objects.create(
            meeting=meeting,
            motion=motion,
            moved_by=self.person("renee.okafor"),
            seconded_by=self.person("lead@example.org"),
            result=Decision.Result.CARRIED,
            recorded_by=self.coordinator,
        )
        Vote.objects.bulk_create(
            Vote(decision=decision, agency_id=agency_id, choice="abstain" if index == 2 else "for")
            for index, agency_id in enumerate(sorted(present))
        )

    def approve_minutes(self, earlier, later):
        Decision.objects.create(
            meeting=later,
            motion=f"Approve the minutes of the meeting of {earlier.starts_at:%d %B %Y} as circulated.",
            moved_by=self.person("grace.liu"),
            seconded_by=self.person("alma.torres"),
            result=Decision.Result.CONSENSUS,
            approves_minutes_of=earlier,
            recorded_by=self.coordinator,
        )
        Meeting.objects.filter(pk=earlier.pk).update(minutes_status=Meeting.MinutesStatus.APPROVED)

    def upcoming_meeting(self, series, starts_at, ends_at):
        meeting = self.meeting(series, starts_at, ends_at)
        self.standing_agenda(
            meeting,
            [
                {
                    "title": "Protocol review: information sharing and confidentiality",
                    "minutes_allotted": 20,
                    "presenter": self.person("grace.liu"),
                }
            ],
        )
        soon = starts_at - self.now < timedelta(days=35)
        self.invite(meeting, lambda i: ("yes", "pending", "maybe", "yes", "no")[i % 5] if soon else "pending")
        return meeting

    def trend_briefs(self, meetings):
        held = [meeting for meeting in meetings if meeting.status == Meeting.Status.HELD]
        rows = []
        for index, kind, industry, area, months, count, sector, agency_key, indicators, summary in BRIEFS:
            meeting = held[min(index, len(held) - 1)]
            start = (meeting.starts_at.date().replace(day=1) - timedelta(days=28 * (months - 2))).replace(
                day=1
            )
            end = (start + timedelta(days=62)).replace(day=1) - timedelta(days=1)
            rows.append(
                TrendBrief(
                    task_force=self.task_force,
                    meeting=meeting,
                    trafficking_type=kind,
                    industry=industry,
                    area=area,
                    period_start=start,
                    period_end=end,
                    count_range=count,
                    reporting_sector=sector,
                    agency=self.agencies[agency_key],
                    indicators=indicators,
                    summary=summary,
                    submitted_by=self.person("priya.nair"),
                )
            )
        TrendBrief.objects.bulk_create(rows)

    def committee_meeting(self):
        starts_at = self.next_weekday(3, time(14))
        meeting = Meeting.objects.create(
            task_force=self.task_force,
            title="Labour trafficking working group",
            kind=Kind.COMMITTEE,
            committee=self.labour_committee,
            audience=Audience.COMMITTEE,
            video_link=VIDEO + "-labour",
            description="Planning the spring farm outreach with the health department.",
            organiser=self.person("peter.novak"),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
        )
        AgendaItem.objects.create(meeting=meeting, title="Spring farm outreach plan", minutes_allotted=30)
        members = {person.pk for person in self.labour_committee.members.all()}
        self.invite(meeting, lambda i: "yes", people=[m for m in self.memberships if m.user_id in members])

    def case_meeting(self):
        starts_at = self.next_weekday(1, time(9))
        meeting = Meeting.objects.create(
            task_force=self.task_force,
            title="Case coordination: service referrals",
            kind=Kind.CASE,
            audience=Audience.AGENCIES,
            confidential=True,
            place="Sheriff's Office, interview suite",
            description="Coordinating services for referrals received this month. Details stay in each "
            "agency's own case file.",
            organiser=self.person("lead@example.org"),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
        )
        keys = ("sheriff", "da", "advocacy", "immigration")
        meeting.agencies.set([self.agencies[key] for key in keys])
        AgendaItem.objects.create(
            meeting=meeting,
            title="Referrals and service needs",
            minutes_allotted=45,
            sensitivity=Sensitivity.AGENCIES,
        ).agencies.set([self.agencies[key] for key in keys])
        chosen = [
            m
            for m in self.memberships
            if m.agency.name in {self.by_key[key] for key in keys} and m.role != Role.OBSERVER
        ]
        self.invite(meeting, lambda i: "yes" if i % 2 else "pending", people=chosen)

    def next_weekday(self, weekday, at):
        """The next such weekday (Monday 0) at least two days ahead, at a local time."""
        day = self.task_force.today() + timedelta(days=2)
        day += timedelta(days=(weekday - day.weekday()) % 7)
        return recurrence.local_datetime(day, at, self.task_force.time_zone)


def load_ridge(task_force, people):
    coordinator = people[email("helen.marsh")]
    memberships = list(
        Membership.objects.active().filter(task_force=task_force).select_related("agency").order_by("id")
    )
    now = timezone.now()
    for days, status in ((-21, Meeting.Status.HELD), (16, Meeting.Status.SCHEDULED)):
        day = task_force.today() + timedelta(days=days)
        starts_at = recurrence.local_datetime(day, time(13), task_force.time_zone)
        meeting = Meeting.objects.create(
            task_force=task_force,
            title="Regional task force meeting",
            kind=Kind.FULL,
            place="Ridgefield Town Hall",
            video_link="https://meet.example.org/ridge-valley",
            organiser=coordinator,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            status=status,
        )
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=meeting, position=0, title="Farm season outreach", minutes_allotted=30),
                AgendaItem(meeting=meeting, position=1, title="Transport for survivors", minutes_allotted=20),
            ]
        )
        held = status == Meeting.Status.HELD
        seen = set()
        rows = []
        for membership in memberships:
            if membership.user_id in seen:
                continue
            seen.add(membership.user_id)
            rows.append(
                Invitee(
                    meeting=meeting,
                    user_id=membership.user_id,
                    agency=membership.agency,
                    response="yes" if held else "pending",
                    attendance="present" if held else "",
                    invited_at=now,
                    sent_sequence=0,
                )
            )
        Invitee.objects.bulk_create(rows)
