"""The protocols part of the demo task forces (a receiver of members.signals.demo_loaded).

Harbor County gets its charter (in force, reviewed every 12 months, and due for review), its
decision-making rules (in force, approved by a decision of one of the meetings demo's meetings), a
fully executed information sharing MOU (five agencies signed version 2; version 1 superseded), a
labour trafficking MOU that is approved and awaits two signatures (the Sheriff's Office, whose lead
is lead@example.org, and Port City Police, which first needs the City Council's approval), a
victim identification protocol in review with two comments, a media protocol expiring within four
weeks, a core-team-only deconfliction protocol, a warm hand-off protocol shared with named
agencies, a draft conflict resolution protocol and a retired policy. Ridge Valley gets a charter
and a referral protocol.

Every version has the Transition rows of the statuses it went through, at the times it went
through them. Rows are made directly (the workflow services are for people's requests) and each
document's status is then worked out by Document.refresh_status(). Everything is fictional. Running
load_demo again adds nothing: a document whose title is already in the task force is left alone.
"""

import zoneinfo
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.dispatch import receiver
from django.utils import timezone

# The meetings demo's receiver must run before this one (the rules cite one of its decisions):
# importing it here connects it first, whatever the order of INSTALLED_APPS.
from meetings import demo as meetings_demo  # noqa: F401
from meetings.models import Decision
from members.models import Agency, Membership, Role
from members.signals import demo_loaded

from .models import (
    Category,
    Confidentiality,
    Document,
    Kind,
    Population,
    ReviewComment,
    Signatory,
    Status,
    TraffickingType,
    Transition,
    Version,
)

HARBOR, RIDGE = "harbor-county", "ridge-valley"
RULES_DECISION = "Invite the survivor network to review every new protocol before approval."

HARBOR_AGENCIES = {
    "sheriff": "Harbor County Sheriff's Office",
    "port-city-pd": "Port City Police Department",
    "da": "Harbor County District Attorney's Office",
    "advocacy": "Safe Harbor Advocacy Center",
    "labor": "State Department of Labor, Wage and Hour Division",
    "hospital": "Harbor General Hospital",
    "public-health": "Harbor County Health Department",
    "cfs": "Harbor County Children and Family Services",
    "immigration": "Harbor Immigrant Legal Services",
    "survivors": "Rising Tide Survivor Network",
    "helpline": "Harbor County 2-1-1 Community Helpline",
}
RIDGE_AGENCIES = {
    "prosecutor": "Ridge Valley Regional Prosecutor's Office",
    "family-services": "Valley Family Services",
    "farmworker": "Ridge Valley Farmworker Outreach",
    "clinic": "Ridge Valley Community Health Center",
}

# --- the texts (Markdown) ------------------------------------------------------------------

CHARTER_V1 = """# Charter of the Harbor County Anti-Trafficking Task Force

## 1. Name and authority

The Harbor County Anti-Trafficking Task Force ("the task force") is formed under the Human
Trafficking Response Act of 2016, § 7.

## 2. Mission

To identify and serve every victim of human trafficking in Harbor County and to hold traffickers
accountable through a coordinated, victim-centered response.

## 3. Membership

- Member agencies sign the task force's information sharing MOU.
- Each member agency names one **agency lead**.

## 4. Meetings

- The full task force meets every two months.
"""

CHARTER_V2 = """# Charter of the Harbor County Anti-Trafficking Task Force

## 1. Name and authority

The Harbor County Anti-Trafficking Task Force ("the task force") is formed under the Human
Trafficking Response Act of 2016, § 7.

## 2. Mission

To identify and serve every victim of human trafficking in Harbor County, **sex and labor
trafficking alike**, and to hold traffickers accountable through a coordinated, victim-centered
and trauma-informed response.

## 3. Membership

- Member agencies sign the task force's information sharing MOU.
- Each member agency names one **agency lead**, who signs for it and keeps its people current.
- Observers attend for information; they do not vote.

## 4. Leadership

1. A coordinator, appointed by the District Attorney's Office, runs the task force day to day.
2. Two co-chairs, one from law enforcement and one from victim services, serve two-year terms.

## 5. Meetings

- The full task force meets monthly, on the second Tuesday.
- The core team (coordinator, co-chairs, agency leads) meets monthly in between.
- Committees report to the full task force.

## 6. Review

The task force reviews this charter every twelve months.
"""

RULES_V1 = """# Decision-making rules

## Quorum

More than half of the invited agencies present. An agency counts once, however many of its people
come.

## Decisions

1. The task force decides by consensus where it can.
2. Where it cannot, by a majority of the agencies present: **one agency, one vote**.
"""

RULES_V2 = """# Decision-making rules

## Quorum

More than half of the invited agencies present. An agency counts once, however many of its people
come.

## Decisions

1. The task force decides by consensus where it can.
2. Where it cannot, by a majority of the agencies present: **one agency, one vote**.
3. The coordinator records every decision in the minutes, with the votes by agency.

## New protocols

- Every new protocol goes to the **Rising Tide Survivor Network** for review before approval.
- Reviewers have at least ten working days to comment.
- The core team answers every comment before the protocol is put to the task force.

## Conflicts of interest

A member who has a conflict of interest in a decision says so and does not vote on it.
"""

INFO_SHARING_V1 = """# Information sharing and referral MOU

## Parties

The agencies signing below, members of the Harbor County Anti-Trafficking Task Force.

## Purpose

To share the information needed to identify potential victims of human trafficking and refer them
to services, and nothing more.

## Commitments

- Refer a potential victim to the advocacy center within **24 hours**, with their consent.
- Share de-identified trends at the monthly task force meeting.
- Keep case details in each agency's own case file.
"""

INFO_SHARING_V2 = """# Information sharing and referral MOU

## Parties

The agencies signing below, members of the Harbor County Anti-Trafficking Task Force.

## Purpose

To share the information needed to identify potential victims of human trafficking and refer them
to services, and nothing more.

## Commitments

- Refer a potential victim to the advocacy center within **24 hours**, with their consent.
- Offer an interpreter at the first contact, in the person's language.
- Share de-identified trends at the monthly task force meeting: types, industries, areas and
  approximate counts only.
- Keep case details in each agency's own case file; never in the task force's records.

## Confidentiality

1. No agency shares a victim's name, address or case number outside a referral.
2. Law enforcement shares operational details only with the agencies that need them.
3. A breach is reported to the coordinator within two working days.

## Term

This MOU runs for three years from its effective date and is reviewed every year.
"""

LABOUR_MOU = """# Labor trafficking joint response MOU

## Parties

The State Department of Labor's Wage and Hour Division, the Safe Harbor Advocacy Center, the
Harbor County Sheriff's Office and the Port City Police Department.

## Purpose

To respond together when a labor inspection finds signs of forced labor or labor trafficking.

## Joint inspections

- An advocate accompanies inspectors on every agricultural and seafood processing inspection.
- Inspectors call the sheriff's human trafficking unit before any enforcement step.
- Workers are interviewed away from their employer, with an interpreter.

## Services

1. The advocacy center offers services at the site or within 24 hours.
2. Workers are told about wage claims and immigration relief, in their language.

## Outside approval

The Port City Police Department signs once the Port City Council has approved this MOU.
"""

VICTIM_ID = """# Victim identification and screening protocol

## Purpose

A shared way for every member agency to recognise a potential victim of sex or labor trafficking
and make a referral the same day.

## Indicators to look for

- Someone else holds the person's identity documents.
- The person owes a debt to an employer or recruiter that keeps growing.
- The person lives where they work and cannot come and go freely.
- A minor is involved in commercial sex: **always** a potential victim, whatever they say.

## Screening

1. Talk in private, with an interpreter if needed, never through a companion.
2. Use the task force's short screening questions; do not ask for the whole story.
3. Record only what your own agency needs in its own case file.

## Referral

- Call the advocacy center's 24-hour line, then tell the coordinator that a referral was made
  (no names).
"""

MEDIA = """# Media and public communications protocol

## Who speaks

- The coordinator speaks for the task force.
- Each agency speaks for its own work only.

## What is never said

1. Anything that could identify a victim or a witness.
2. Details of an open investigation.

## Before an announcement

Tell the coordinator and the agencies involved one working day ahead.
"""

DECONFLICTION = """# Case deconfliction protocol

## Purpose

Two agencies must not work the same suspects or venues without knowing it.

## Steps

1. Before an operation, the investigating agency checks the deconfliction list kept by the
   sheriff's office.
2. Where two agencies overlap, their supervisors agree which one leads within one working day.
3. The outcome is recorded in each agency's own file, never in the task force's records.

## Who takes part

Law enforcement and prosecution agencies of the task force.
"""

WARM_HANDOFF = """# Hospital and shelter warm hand-off protocol

## Purpose

When a potential victim is seen in the emergency department, the advocate meets them there, so
that no one is sent away with a phone number.

## Steps

1. The hospital social worker calls the advocacy center's 24-hour line.
2. An advocate arrives within two hours, or joins by video at night.
3. Children and Family Services is called for anyone under 18.
4. Transport to the shelter is arranged before discharge.

## Follow-up

- The public health nurse offers a follow-up visit within a week.
"""

CONFLICT_RESOLUTION = """# Conflict resolution protocol (draft)

## When agencies disagree

1. The agency leads concerned talk first, within a week.
2. If they cannot agree, the co-chairs mediate.
3. The core team decides what mediation does not settle.

## Open questions

- Should a survivor advisor sit in on mediation?
"""

REMOTE_MEETINGS = """# Remote meetings policy

- Task force meetings are held by video until further notice.
- Votes are taken by roll call of agencies.
- Minutes are circulated within a week.
"""

RIDGE_CHARTER = """# Charter of the Ridge Valley Regional Task Force

## Purpose

Three small counties share one investigator pool, one advocacy network and one training calendar.

## Membership

- Agencies of Ridge, Valley and Stone counties.
- Each agency names one lead.

## Meetings

- Every two months, at Ridgefield Town Hall or by video.
"""

RIDGE_REFERRAL = """# Farm and camp outreach referral protocol

## Steps

1. Outreach workers note indicators of forced labor during camp visits.
2. A potential victim is referred to Valley Family Services the same day, with consent.
3. The clinic offers a health check at the camp or the clinic.

## Languages

- Spanish and Mixtec interpreters are on call through the farmworker outreach office.
"""


@contextmanager
def given_times(*fields):
    """Let rows keep the creation times they are given, not "now": the demo and the scale seed
    write histories that happened over years. Used only by these seeding commands."""
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def seeded_time_fields():
    return [
        Document._meta.get_field("created_at"),
        Version._meta.get_field("created_at"),
        Transition._meta.get_field("at"),
        ReviewComment._meta.get_field("created_at"),
    ]


def day_month_year(day):
    return f"{day.day} {day:%B %Y}"


@receiver(demo_loaded, dispatch_uid="protocols.demo")
def load_protocols_demo(sender, task_forces, people, **kwargs):
    with given_times(*seeded_time_fields()):
        harbor = task_forces.get(HARBOR)
        if harbor is not None:
            HarborDocuments(harbor, people).load()
        ridge = task_forces.get(RIDGE)
        if ridge is not None:
            RidgeDocuments(ridge, people).load()


class DemoDocuments:
    """Writes one task force's documents, their versions, transitions and signatures."""

    coordinator_email = ""
    agency_names = {}

    def __init__(self, task_force, people):
        self.task_force = task_force
        self.people = people
        self.zone = zoneinfo.ZoneInfo(task_force.time_zone)
        self.today = task_force.today()
        self.now = timezone.now()
        by_name = {a.name: a for a in Agency.objects.filter(task_force=task_force)}
        self.agencies = {key: by_name[name] for key, name in self.agency_names.items() if name in by_name}
        leads = Membership.objects.active().filter(task_force=task_force, role=Role.AGENCY_LEAD)
        self.leads = {m.agency_id: m.user for m in leads.select_related("user").order_by("started_on", "id")}
        self.coordinator = people[self.coordinator_email]
        self.existing = set(Document.objects.filter(task_force=task_force).values_list("title", flat=True))

    def person(self, name):
        return self.people[name if "@" in name else f"{name}@example.org"]

    def at(self, day, hour=10, minute=0):
        """A local time of that day, as an aware datetime (never later than now)."""
        moment = datetime.combine(day, time(hour, minute), tzinfo=self.zone)
        return min(moment, self.now)

    def document(self, title, kind, versions, **fields):
        """A document with its versions, unless the task force already has one of that title."""
        if title in self.existing:
            return None
        first_written = versions[0]["written_on"]
        shared_with = fields.pop("shared_with", [])
        document = Document.objects.create(
            task_force=self.task_force,
            kind=kind,
            title=title,
            created_by=self.coordinator,
            created_at=self.at(first_written, 9),
            **fields,
        )
        document.shared_with.set(shared_with)
        made = [self.version(document, number, **spec) for number, spec in enumerate(versions, start=1)]
        in_force = next((v for v in made if v.status == Status.IN_FORCE), None)
        if in_force is not None and document.review_every_months:
            reviewed_on = max([in_force.effective_on, *self.reviews.get(in_force.pk, [])])
            document.next_review_on = reviewed_on + relativedelta(months=document.review_every_months)
            document.save(update_fields=["next_review_on", "updated_at"])
        document.refresh_status()
        self.existing.add(title)
        return document

    def version(
        self,
        document,
        number,
        *,
        body,
        summary,
        path,
        written_on,
        effective_on=None,
        expires_on=None,
        approved_by=None,
        decision=None,
        approved_at=None,
        ended_on=None,
        ended_note="",
        signatories=(),
        comments=(),
        reviewed_on=None,
    ):
        """A version that went through `path` (statuses after draft, in order): submitted a week
        after it was written, approved on `approved_at`, in force on its effective date, ended
        (superseded, expired or retired) on `ended_on`."""
        written = self.at(written_on, 9)
        steps = [("", Status.DRAFT, written, self.coordinator, "")]
        approver = self.person(approved_by) if approved_by else self.coordinator
        submitted = self.at(written_on + timedelta(days=7), 11)
        previous = Status.DRAFT
        for status in path:
            if status == Status.IN_REVIEW:
                steps.append(
                    (previous, status, submitted, self.coordinator, "Sent to the core team for review.")
                )
            elif status == Status.APPROVED:
                note = (
                    f"Approved by decision of {decision.meeting.title.lower()}, "
                    f"{day_month_year(decision.meeting.starts_at.astimezone(self.zone))}."
                    if decision
                    else "Approved by the core team."
                )
                steps.append((previous, status, approved_at, approver, note))
            elif status == Status.IN_FORCE:
                took_effect = max(self.at(effective_on, 0, 5), approved_at + timedelta(minutes=1))
                steps.append((previous, status, took_effect, None, "In force from its effective date."))
            else:
                # Superseded the moment its successor took effect (the workflow does both at once),
                # by no one in particular; retired by the coordinator.
                by = self.coordinator if status == Status.RETIRED else None
                steps.append((previous, status, self.at(ended_on, 0, 5), by, ended_note))
            previous = status
        status = steps[-1][1]
        version = Version.objects.create(
            document=document,
            number=number,
            body=body,
            change_summary=summary,
            author=self.coordinator,
            status=status,
            effective_on=effective_on,
            expires_on=expires_on,
            approved_at=approved_at if Status.APPROVED in path else None,
            approved_by=approver if Status.APPROVED in path else None,
            approval_decision=decision,
            created_at=written,
        )
        rows = [
            Transition(version=version, from_status=old, to_status=new, at=when, by=by, note=note)
            for old, new, when, by, note in steps
        ]
        if reviewed_on:
            rows.append(
                Transition(
                    version=version,
                    from_status=Status.IN_FORCE,
                    to_status=Status.IN_FORCE,
                    at=self.at(reviewed_on, 11),
                    by=self.coordinator,
                    note="Reviewed",
                )
            )
            self.reviews.setdefault(version.pk, []).append(reviewed_on)
        Transition.objects.bulk_create(rows)
        for key, answer in signatories:
            self.signatory(version, key, answer)
        for days_after, name, key, text in comments:
            ReviewComment.objects.create(
                version=version,
                author=self.person(name),
                agency=self.agencies[key],
                body=text,
                created_at=submitted + timedelta(days=days_after, hours=3),
            )
        return version

    def signatory(self, version, key, answer):
        """answer: {"signed_on": day} if the agency's lead signed, {} while it is pending; with
        "outside": (approving body, the day it approved or None) if it needs outside approval."""
        agency = self.agencies[key]
        outside_body, outside_on = answer.get("outside", ("", None))
        values = {
            "version": version,
            "agency": agency,
            "needs_outside_approval": bool(outside_body),
            "approving_body": outside_body,
            "outside_approval_on": outside_on,
        }
        signed_on = answer.get("signed_on")
        if signed_on:
            lead = self.leads[agency.pk]
            values.update(
                status=Signatory.SignatureStatus.SIGNED,
                signer=lead,
                signer_name=lead.full_name,
                signer_title=lead.job_title,
                signed_on=signed_on,
                answered_at=self.at(signed_on, 14),
                ip_address="192.0.2.10",  # a documentation address (RFC 5737)
            )
        return Signatory.objects.create(**values)

    def load(self):
        self.reviews = {}
        self.documents()


class HarborDocuments(DemoDocuments):
    coordinator_email = "coordinator@example.org"
    agency_names = HARBOR_AGENCIES

    def rules_decision(self):
        """The meetings demo's decision that sends new protocols to the survivor network: the
        rules were amended by it. None if the meetings demo is not there."""
        return (
            Decision.objects.filter(meeting__task_force=self.task_force, motion=RULES_DECISION)
            .select_related("meeting")
            .order_by("meeting__starts_at", "id")
            .first()
        )

    def documents(self):
        today = self.today
        in_force = [Status.IN_REVIEW, Status.APPROVED, Status.IN_FORCE]
        superseded = [*in_force, Status.SUPERSEDED]
        founded = self.task_force.founded_on or today - relativedelta(years=8)

        # The charter: version 2 took effect 13 months ago, so its yearly review is due.
        charter_v2_on = today - relativedelta(months=13)
        self.document(
            "Task force charter",
            Kind.CHARTER,
            summary="Who the task force is, who belongs to it, how it is led and how often it meets.",
            owner_agency=self.agencies["da"],
            review_every_months=12,
            versions=[
                dict(
                    body=CHARTER_V1,
                    summary="Adopted at the founding meeting.",
                    path=superseded,
                    written_on=founded - timedelta(days=30),
                    approved_at=self.at(founded, 12),
                    effective_on=founded,
                    ended_on=charter_v2_on,
                    ended_note="Superseded by version 2.",
                ),
                dict(
                    body=CHARTER_V2,
                    summary="Monthly meetings, co-chairs and a yearly review; labor "
                    "trafficking named in the mission.",
                    path=in_force,
                    written_on=charter_v2_on - timedelta(days=45),
                    approved_at=self.at(charter_v2_on - timedelta(days=14), 11),
                    approved_by="renee.okafor",
                    effective_on=charter_v2_on,
                ),
            ],
        )

        # The decision-making rules, amended by a decision of a meeting of the meetings demo.
        decision = self.rules_decision()
        if decision is not None:
            decided = decision.meeting.ends_at
            rules_v2_on = min(decided.astimezone(self.zone).date() + timedelta(days=1), today)
        else:
            decided = self.at(today - timedelta(days=60), 12)
            rules_v2_on = today - timedelta(days=59)
        rules_v1_on = founded + relativedelta(years=4)
        self.document(
            "Decision-making rules",
            Kind.DECISION_RULES,
            summary="Quorum, consensus and votes by agency, and how new protocols are reviewed.",
            owner_agency=self.agencies["da"],
            review_every_months=24,
            versions=[
                dict(
                    body=RULES_V1,
                    summary="Quorum and one agency, one vote.",
                    path=superseded,
                    written_on=rules_v1_on - timedelta(days=40),
                    approved_at=self.at(rules_v1_on - timedelta(days=7)),
                    effective_on=rules_v1_on,
                    ended_on=rules_v2_on,
                    ended_note="Superseded by version 2.",
                ),
                dict(
                    body=RULES_V2,
                    summary="Survivor network review of new protocols; conflicts of interest.",
                    path=in_force,
                    written_on=decided.astimezone(self.zone).date() - timedelta(days=21),
                    approved_at=decided,
                    decision=decision,
                    effective_on=rules_v2_on,
                ),
            ],
        )

        # A fully executed MOU: five agencies signed version 2 (the hospital after its board
        # approved); version 1 was signed by four and is superseded.
        mou_v1_on = founded + relativedelta(years=5)
        mou_v2_on = (today - relativedelta(months=8)).replace(day=1)
        v2_approved = mou_v2_on - timedelta(days=40)
        self.document(
            "Information sharing and referral MOU",
            Kind.MOU,
            summary="What member agencies share to identify and refer potential victims, and what they "
            "never share.",
            owner_agency=self.agencies["advocacy"],
            review_every_months=12,
            populations=[Population.ADULTS, Population.MINORS, Population.FOREIGN_NATIONALS],
            versions=[
                dict(
                    body=INFO_SHARING_V1,
                    summary="First MOU: referral within 24 hours.",
                    path=superseded,
                    written_on=mou_v1_on - timedelta(days=75),
                    approved_at=self.at(mou_v1_on - timedelta(days=45)),
                    effective_on=mou_v1_on,
                    ended_on=mou_v2_on,
                    ended_note="Superseded by version 2.",
                    signatories=[
                        (key, {"signed_on": mou_v1_on - timedelta(days=40 - 5 * index)})
                        for index, key in enumerate(["sheriff", "port-city-pd", "da", "advocacy"])
                    ],
                ),
                dict(
                    body=INFO_SHARING_V2,
                    summary="Interpreters, a confidentiality section and a three-year term; "
                    "the hospital joins.",
                    path=in_force,
                    written_on=v2_approved - timedelta(days=30),
                    approved_at=self.at(v2_approved, 12),
                    effective_on=mou_v2_on,
                    expires_on=mou_v2_on + relativedelta(years=3) - timedelta(days=1),
                    signatories=[
                        ("sheriff", {"signed_on": v2_approved + timedelta(days=3)}),
                        ("port-city-pd", {"signed_on": v2_approved + timedelta(days=6)}),
                        ("da", {"signed_on": v2_approved + timedelta(days=4)}),
                        ("advocacy", {"signed_on": v2_approved + timedelta(days=2)}),
                        (
                            "hospital",
                            {
                                "signed_on": v2_approved + timedelta(days=20),
                                "outside": (
                                    "Harbor General Hospital board of trustees",
                                    v2_approved + timedelta(days=17),
                                ),
                            },
                        ),
                    ],
                ),
            ],
        )

        # An approved MOU awaiting two signatures: the Sheriff's Office (lead@example.org) and Port
        # City Police, which first needs the City Council's approval.
        labour_approved = today - timedelta(days=12)
        effective = (today + relativedelta(months=1)).replace(day=1)
        self.document(
            "Labor trafficking joint response MOU",
            Kind.MOU,
            summary="Joint labor inspections with an advocate present, and services on the spot.",
            owner_agency=self.agencies["labor"],
            trafficking_type=TraffickingType.LABOUR,
            review_every_months=12,
            populations=[Population.ADULTS, Population.FOREIGN_NATIONALS, Population.MEN_AND_BOYS],
            versions=[
                dict(
                    body=LABOUR_MOU,
                    summary="First text, after the labor committee's review.",
                    path=[Status.IN_REVIEW, Status.APPROVED],
                    written_on=today - timedelta(days=40),
                    approved_at=self.at(labour_approved, 12),
                    approved_by="renee.okafor",
                    effective_on=effective,
                    expires_on=effective + relativedelta(years=3) - timedelta(days=1),
                    signatories=[
                        ("labor", {"signed_on": labour_approved + timedelta(days=2)}),
                        ("advocacy", {"signed_on": labour_approved + timedelta(days=6)}),
                        ("sheriff", {}),
                        ("port-city-pd", {"outside": ("Port City Council", None)}),
                    ],
                ),
            ],
        )

        # A protocol in review, with two comments from the core team.
        self.document(
            "Victim identification and screening protocol",
            Kind.PROTOCOL,
            category=Category.VICTIM_IDENTIFICATION,
            summary="Indicators, a short screening and a same-day referral, for every member agency.",
            owner_agency=self.agencies["advocacy"],
            review_every_months=24,
            versions=[
                dict(
                    body=VICTIM_ID,
                    summary="First text for review.",
                    path=[Status.IN_REVIEW],
                    written_on=today - timedelta(days=16),
                    comments=[
                        (
                            2,
                            "alma.torres",
                            "advocacy",
                            "Please add that the screening is voluntary and "
                            "that the person may stop at any time.",
                        ),
                        (
                            4,
                            "lead@example.org",
                            "sheriff",
                            "The indicators should include online advertisements that move between motels.",
                        ),
                    ],
                ),
            ],
        )

        # A protocol expiring within the month.
        expires = today + timedelta(days=24)
        media_on = expires - relativedelta(years=2)
        self.document(
            "Media and public communications protocol",
            Kind.PROTOCOL,
            category=Category.MEDIA,
            summary="Who speaks for the task force, and what is never said in public.",
            owner_agency=self.agencies["da"],
            review_every_months=24,
            versions=[
                dict(
                    body=MEDIA,
                    summary="First text.",
                    path=in_force,
                    written_on=media_on - timedelta(days=30),
                    approved_at=self.at(media_on - timedelta(days=10)),
                    effective_on=media_on,
                    expires_on=expires,
                ),
            ],
        )

        # For the core team only.
        deconfliction_on = today - relativedelta(months=5)
        self.document(
            "Case deconfliction protocol",
            Kind.PROTOCOL,
            category=Category.INVESTIGATION,
            summary="How law enforcement agencies avoid working the same cases unknowingly.",
            owner_agency=self.agencies["sheriff"],
            confidentiality=Confidentiality.CORE,
            review_every_months=12,
            versions=[
                dict(
                    body=DECONFLICTION,
                    summary="First text.",
                    path=in_force,
                    written_on=deconfliction_on - timedelta(days=30),
                    approved_at=self.at(deconfliction_on - timedelta(days=5)),
                    effective_on=deconfliction_on,
                ),
            ],
        )

        # For named agencies only.
        handoff_on = today - relativedelta(months=3)
        keys = ["hospital", "advocacy", "cfs", "public-health"]
        self.document(
            "Hospital and shelter warm hand-off protocol",
            Kind.PROTOCOL,
            category=Category.REFERRAL,
            summary="The advocate meets a potential victim at the emergency department.",
            owner_agency=self.agencies["advocacy"],
            confidentiality=Confidentiality.AGENCIES,
            shared_with=[self.agencies[key] for key in keys],
            populations=[Population.ADULTS, Population.MINORS],
            review_every_months=12,
            versions=[
                dict(
                    body=WARM_HANDOFF,
                    summary="First text.",
                    path=in_force,
                    written_on=handoff_on - timedelta(days=25),
                    approved_at=self.at(handoff_on - timedelta(days=4)),
                    effective_on=handoff_on,
                ),
            ],
        )

        # A draft, for the coordinators' eyes.
        self.document(
            "Conflict resolution protocol",
            Kind.PROTOCOL,
            category=Category.CONFLICT_RESOLUTION,
            summary="What happens when member agencies disagree.",
            review_every_months=24,
            versions=[
                dict(
                    body=CONFLICT_RESOLUTION,
                    summary="First draft.",
                    path=[],
                    written_on=today - timedelta(days=3),
                ),
            ],
        )

        # A retired policy.
        remote_on = founded + relativedelta(years=3)
        self.document(
            "Remote meetings policy",
            Kind.POLICY,
            summary="Meetings by video during the closures; retired when the charter made meetings hybrid.",
            versions=[
                dict(
                    body=REMOTE_MEETINGS,
                    summary="First text.",
                    path=[*in_force, Status.RETIRED],
                    written_on=remote_on - timedelta(days=10),
                    approved_at=self.at(remote_on - timedelta(days=2)),
                    effective_on=remote_on,
                    ended_on=remote_on + relativedelta(years=2),
                    ended_note="Retired: the charter now provides for meetings in person and by video.",
                ),
            ],
        )


class RidgeDocuments(DemoDocuments):
    coordinator_email = "helen.marsh@example.org"
    agency_names = RIDGE_AGENCIES

    def documents(self):
        today = self.today
        in_force = [Status.IN_REVIEW, Status.APPROVED, Status.IN_FORCE]
        founded = self.task_force.founded_on or today - relativedelta(years=4)
        self.document(
            "Regional task force charter",
            Kind.CHARTER,
            summary="Three counties, one investigator pool, one advocacy network.",
            owner_agency=self.agencies["prosecutor"],
            review_every_months=24,
            versions=[
                dict(
                    body=RIDGE_CHARTER,
                    summary="Adopted at the founding meeting.",
                    path=in_force,
                    written_on=founded - timedelta(days=20),
                    approved_at=self.at(founded, 12),
                    effective_on=founded,
                    reviewed_on=today - relativedelta(months=8),
                ),
            ],
        )
        referral_on = today - relativedelta(months=14)
        self.document(
            "Farm and camp outreach referral protocol",
            Kind.PROTOCOL,
            category=Category.REFERRAL,
            summary="From a camp visit to services the same day.",
            owner_agency=self.agencies["farmworker"],
            trafficking_type=TraffickingType.LABOUR,
            populations=[Population.ADULTS, Population.FOREIGN_NATIONALS],
            review_every_months=12,
            versions=[
                dict(
                    body=RIDGE_REFERRAL,
                    summary="First text.",
                    path=in_force,
                    written_on=referral_on - timedelta(days=30),
                    approved_at=self.at(referral_on - timedelta(days=6)),
                    effective_on=referral_on,
                ),
            ],
        )
