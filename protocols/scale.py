"""The protocols part of the statewide scale seed (a receiver of members.signals.scale_seeded).

Per task force, in proportion to its active people (480 by default, so that the default seed of
25 task forces reaches DESIGN.md's 6,000 documents with 20,000 versions):

- half a document a person (240 a task force): 30% MOUs, 45% protocols of every category, the
  rest charters, decision-making rules and policies; one in five for the core team or for named
  agencies only; an owner agency each;
- 3⅓ versions a document (1 to 5): the older ones superseded, the newest in force for most, else
  a draft or a version in review (with the one before it still in force), an MOU approved and
  awaiting signatures, expired or retired; every version has the Transition rows of the
  statuses it went through;
- each MOU version names 3 to 12 signatory agencies: signed by the agencies' leads where the
  version went in force, half signed and half pending (a few awaiting a city council, a board or
  headquarters, one in five with a refusal) where it is approved, pending in drafts and reviews;
- effective, expiry and review dates spread so that the "due for review" and "expiring in 90
  days" lists of every task force have documents on them.

Rows are written with bulk_create from precomputed values: a handful of queries a task force, none
a row. A task force that already has documents is left as it is, so seeding again adds nothing.
Removing the scale data (seed_scale --reset) deletes these rows first: see `delete_scale_documents`.
"""

import time
from collections import Counter
from datetime import datetime, timedelta
from datetime import time as clock

from dateutil.relativedelta import relativedelta
from django.dispatch import receiver
from django.test.utils import override_settings

from members.models import Role
from members.scale import TaskForceSeed, seed_each_task_force
from members.signals import scale_deleting, scale_seeded

from .demo import given_times, seeded_time_fields
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

BATCH_SIZE = 2000
DOCUMENTS_PER_PERSON = 0.5  # 240 at 480 people: 6,000 in 25 task forces
VERSIONS = (1, 2, 3, 4, 5, 5)  # by document, in turn: 3⅓ on average, 20,000 in all

# fmt: off
# 6 MOUs, 9 protocols, 3 policies, a charter and decision rules in every 20 documents.
KINDS = [Kind.MOU, Kind.PROTOCOL, Kind.PROTOCOL, Kind.POLICY, Kind.MOU, Kind.PROTOCOL, Kind.CHARTER,
         Kind.PROTOCOL, Kind.MOU, Kind.PROTOCOL, Kind.POLICY, Kind.MOU, Kind.PROTOCOL, Kind.DECISION_RULES,
         Kind.PROTOCOL, Kind.MOU, Kind.PROTOCOL, Kind.POLICY, Kind.MOU, Kind.PROTOCOL]
# The status of a document's newest version: each kind takes them in turn (an approved version
# waiting for its date is an MOU waiting for signatures; other kinds are in force by then).
LATEST = [Status.IN_FORCE, Status.APPROVED, Status.IN_FORCE, Status.DRAFT, Status.IN_FORCE, Status.IN_REVIEW,
          Status.IN_FORCE, Status.EXPIRED, Status.IN_FORCE, Status.IN_FORCE, Status.RETIRED, Status.IN_FORCE,
          Status.APPROVED, Status.IN_FORCE, Status.IN_REVIEW, Status.IN_FORCE, Status.DRAFT, Status.IN_FORCE,
          Status.EXPIRED, Status.IN_FORCE]
CONFIDENTIALITY = [Confidentiality.ALL_MEMBERS] * 8 + [Confidentiality.CORE, Confidentiality.AGENCIES]
REVIEW_MONTHS = [12, 24, None, 12, 36]
MOU_TOPICS = ["Information sharing", "Referral", "Joint investigations", "Shelter beds",
              "Interpreter services", "Labor inspections", "Youth services", "Data sharing",
              "Training exchange", "Survivor transport"]
PROTOCOL_TOPICS = {
    Category.VICTIM_IDENTIFICATION: "Victim identification and screening",
    Category.REFERRAL: "Referral to services",
    Category.INFORMATION_SHARING: "Information sharing and confidentiality",
    Category.INVESTIGATION: "Joint investigation",
    Category.VICTIM_SERVICES: "Emergency shelter and services",
    Category.MEDIA: "Media and public communications",
    Category.CONFLICT_RESOLUTION: "Conflict resolution",
    Category.OTHER: "Interpreters and language access",
}
OTHER_TITLES = {
    Kind.CHARTER: ["Task force charter", "Committee charter", "Bylaws"],
    Kind.DECISION_RULES: ["Decision-making rules", "Voting and quorum rules"],
    Kind.POLICY: ["Trauma-informed language policy", "Records retention policy",
                  "Conflict of interest policy", "Remote participation policy", "Volunteer screening policy"],
}
POPULATIONS = [[], [Population.ADULTS], [Population.MINORS],
               [Population.ADULTS, Population.FOREIGN_NATIONALS], [Population.LGBTQ, Population.MINORS],
               [Population.MEN_AND_BOYS], [Population.INDIGENOUS],
               [Population.DISABILITIES, Population.ADULTS]]
APPROVING_BODIES = ["City Council", "Board of Directors", "State headquarters", "County Board of Supervisors"]
DECLINED_REASON = "Our legal counsel has not cleared the data sharing clause yet."
COMMENTS = ["Please name who calls the hotline after hours.", "The timeline in step 2 is too short for us.",
            "Add interpreters to the list of what every agency offers."]
# fmt: on


def body_for(title, kind, number):
    """A Markdown text with headings and lists, a little longer in each version."""
    noun = "MOU" if kind == Kind.MOU else "document"
    changes = "\n".join(f"- Version {n}: clarified the steps and the contacts." for n in range(2, number + 1))
    return (
        f"# {title}\n\n"
        f"## Purpose\n\nThis {noun} sets out how the member agencies work together, so that a "
        "potential victim of sex or labor trafficking is identified early and served without delay.\n\n"
        "## Commitments\n\n"
        "1. Refer a potential victim to victim services within 24 hours, with their consent.\n"
        "2. Offer an interpreter at the first contact.\n"
        "3. Share de-identified trends only: types, industries, areas and approximate counts.\n"
        "4. Keep case details in each agency's own case file.\n\n"
        "## Contacts\n\n- The task force coordinator\n- Each agency's lead\n\n"
        "## Review\n\nThe core team reviews this text at the interval the task force sets.\n"
        + (f"\n## Changes\n\n{changes}\n" if changes else "")
    )


@receiver(scale_seeded, dispatch_uid="protocols.scale")
def seed_scale_documents(sender, task_forces, stdout=None, **kwargs):
    with given_times(*seeded_time_fields()):
        seed_each_task_force(task_forces, Document, ScaleDocuments, "Documents", stdout)


@receiver(scale_deleting, dispatch_uid="protocols.scale_delete")
def delete_scale_documents(sender, task_forces, stdout=None, **kwargs):
    """Delete the documents of these task forces before the task forces themselves go: signatories
    and owners are PROTECT foreign keys to agencies, which would stop the task forces' deletion.
    Children first, without history rows for the deletions; stored files one by one."""
    started = time.perf_counter()
    ids = list(task_forces.values_list("pk", flat=True))
    documents = Document.objects.filter(task_force_id__in=ids)
    versions = Version.objects.filter(document__in=documents)
    signatories = Signatory.objects.filter(version__in=versions)
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for version in versions.exclude(file=""):
            version.file.delete(save=False)
        for signatory in signatories.exclude(signed_page=""):
            signatory.signed_page.delete(save=False)
        # The history of records edited since the seed, while the documents are there to name them.
        Signatory.history.filter(version_id__in=versions.values("pk")).delete()
        Version.history.filter(document_id__in=documents.values("pk")).delete()
        Document.history.filter(task_force_id__in=ids).delete()
        signatories.delete()
        ReviewComment.objects.filter(version__in=versions).delete()
        Transition.objects.filter(version__in=versions).delete()
        documents.update(current_version=None)
        versions.delete()
        Document.shared_with.through.objects.filter(document__in=documents).delete()
        documents.delete()
    if stdout is not None:
        stdout.write(f"Deleted the scale documents in {time.perf_counter() - started:.1f} s.")


class ScaleDocuments(TaskForceSeed):
    people_fields = ("user_id", "agency_id", "role", "user__full_name", "user__job_title")

    def __init__(self, task_force, now):
        super().__init__(task_force, now)
        self.agencies = sorted({m[1] for m in self.everyone})
        self.leads = {}  # agency id -> (user id, name, title) of its first lead
        for user_id, agency_id, role, name, title in self.everyone:
            if role == Role.AGENCY_LEAD:
                self.leads.setdefault(agency_id, (user_id, name, title))
        managers = [m for m in self.everyone if m[2] in (Role.COORDINATOR, Role.CO_CHAIR)] or self.everyone
        self.coordinator = managers[0][0]
        self.approvers = [m[0] for m in managers]
        self.reviewers = [m for m in self.everyone if m[2] in (Role.CO_CHAIR, Role.AGENCY_LEAD)] or managers

    def seed(self):
        if not self.everyone:
            return {}
        count = max(1, round(len(self.everyone) * DOCUMENTS_PER_PERSON))
        self.documents, self.plans = [], []
        seen = Counter()
        for index in range(count):
            kind = KINDS[index % len(KINDS)]
            nth = seen[kind]  # this is the kind's nth document
            seen[kind] += 1
            latest = LATEST[nth % len(LATEST)]
            if latest == Status.APPROVED and kind != Kind.MOU:
                latest = Status.IN_FORCE  # only an MOU waits, approved, for its signatures
            signers = min(3 + nth % 10, len(self.agencies)) if kind == Kind.MOU else 0
            self.plan(index, kind, latest, signers)
        Document.objects.bulk_create(self.documents, batch_size=BATCH_SIZE)
        shared = [
            Document.shared_with.through(document_id=document.pk, agency_id=agency_id)
            for document, plan in zip(self.documents, self.plans, strict=True)
            for agency_id in plan["shared_with"]
        ]
        Document.shared_with.through.objects.bulk_create(shared, batch_size=BATCH_SIZE)
        versions = self.seed_versions()
        transitions = self.seed_transitions(versions)
        signatories = self.seed_signatories(versions)
        comments = self.seed_comments(versions)
        return {
            "documents": len(self.documents),
            "versions": len(versions),
            "transitions": transitions,
            "signatories": signatories,
            "review comments": comments,
        }

    # --- what each document went through --------------------------------------------------

    def at(self, day, hour=10):
        moment = datetime.combine(day, clock(hour), tzinfo=self.zone)
        return min(moment, self.now)

    def plan(self, index, kind, latest, signers):
        """The document (unsaved) and, per version, its status and dates."""
        agencies = self.agencies
        owner = agencies[(index * 11) % len(agencies)]
        count = VERSIONS[index % len(VERSIONS)]
        if kind == Kind.MOU:
            topic = MOU_TOPICS[(index // len(KINDS)) % len(MOU_TOPICS)]
            title, category = f"{topic} MOU", ""
        elif kind == Kind.PROTOCOL:
            category = list(PROTOCOL_TOPICS)[(index * 3) % len(PROTOCOL_TOPICS)]
            title = f"{PROTOCOL_TOPICS[category]} protocol"
        else:
            titles = OTHER_TITLES[kind]
            title, category = titles[(index // len(KINDS)) % len(titles)], ""
        title = f"{title} {index // len(KINDS) + 1}" if index >= len(KINDS) else title
        confidentiality = CONFIDENTIALITY[index % len(CONFIDENTIALITY)]
        shared_with = []
        if confidentiality == Confidentiality.AGENCIES:
            shared_with = sorted({agencies[(index + step * 5) % len(agencies)] for step in range(3)})
        review_months = REVIEW_MONTHS[index % len(REVIEW_MONTHS)]

        # Dates, from the newest version back: each older one took effect about a year before.
        today = self.today
        versions = []
        live = latest in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)
        # The version in force now (the newest, or the one before a draft, review or approval).
        effective = today - timedelta(days=(index * 37) % 720 + 1)
        if latest in (Status.EXPIRED, Status.RETIRED):
            effective = today - timedelta(days=3 * 365 + (index * 13) % 300)
        for number in range(count, 0, -1):
            newest = number == count
            version = {"number": number, "signers": signers}
            if newest and live:
                version["status"] = latest
                # Written two to five weeks ago, sent for review a week later, approved days after.
                version["written_on"] = today - timedelta(days=index % 20 + 12)
                if latest == Status.APPROVED:
                    version["approved_on"] = version["written_on"] + timedelta(days=8 + index % 3)
                    version["effective_on"] = today + timedelta(days=(index % 40) - 20)
                    version["expires_on"] = version["effective_on"] + relativedelta(years=3)
                if count == 1:
                    effective = None
            else:
                version["status"] = latest if newest else Status.SUPERSEDED
                if not newest and number == count - 1 and live:
                    version["status"] = Status.IN_FORCE
                version["effective_on"] = effective
                version["approved_on"] = effective - timedelta(days=21)
                version["written_on"] = effective - timedelta(days=45)
                if version["status"] == Status.IN_FORCE and index % 4 == 0:
                    version["expires_on"] = today + timedelta(days=(index * 11) % 150 + 1)
                elif version["status"] == Status.IN_FORCE and index % 4 == 1:
                    version["expires_on"] = effective + relativedelta(years=3)
                elif version["status"] == Status.EXPIRED:
                    version["expires_on"] = today - timedelta(days=index % 60 + 1)
                elif version["status"] == Status.RETIRED:
                    version["ended_on"] = today - timedelta(days=index % 200 + 10)
                effective = effective - timedelta(days=365 + (index * 13) % 200)
            versions.append(version)
        versions.reverse()
        # Each superseded version ended when the next one took effect.
        for older, newer in zip(versions, versions[1:], strict=False):
            if older["status"] == Status.SUPERSEDED:
                older["ended_on"] = newer["effective_on"]
        for version in versions:
            if version["status"] == Status.EXPIRED:
                version["ended_on"] = version["expires_on"] + timedelta(days=1)
        in_force = next((v for v in versions if v["status"] == Status.IN_FORCE), None)
        next_review_on = None
        if in_force and review_months:
            next_review_on = in_force["effective_on"] + relativedelta(months=review_months)
        published = [v for v in versions if v["status"] not in (Status.DRAFT, Status.IN_REVIEW)]
        leading = in_force or (published[-1] if published else versions[-1])
        written = self.at(versions[0]["written_on"], 9)
        self.documents.append(
            Document(
                task_force=self.task_force,
                kind=kind,
                category=category,
                title=title,
                summary=f"How the member agencies work together: {title.lower()}.",
                owner_agency_id=owner,
                trafficking_type=TraffickingType.from_flags(index % 5 != 3, index % 5 != 4),
                populations=POPULATIONS[index % len(POPULATIONS)],
                confidentiality=confidentiality,
                status=leading["status"],
                review_every_months=review_months,
                next_review_on=next_review_on,
                created_by_id=self.coordinator,
                created_at=written,
            )
        )
        self.plans.append({"index": index, "versions": versions, "shared_with": shared_with})

    # --- rows ---------------------------------------------------------------------------

    def seed_versions(self):
        rows = []
        for document, plan in zip(self.documents, self.plans, strict=True):
            for spec in plan["versions"]:
                approved = spec["status"] not in (Status.DRAFT, Status.IN_REVIEW)
                approver = self.approvers[(plan["index"] + spec["number"]) % len(self.approvers)]
                version = Version(
                    document_id=document.pk,
                    number=spec["number"],
                    body=body_for(document.title, document.kind, spec["number"]),
                    change_summary="First text."
                    if spec["number"] == 1
                    else "Clarified the steps and contacts.",
                    author_id=self.coordinator,
                    status=spec["status"],
                    effective_on=spec.get("effective_on"),
                    expires_on=spec.get("expires_on"),
                    approved_at=self.at(spec["approved_on"], 12) if approved else None,
                    approved_by_id=approver if approved else None,
                    created_at=self.at(spec["written_on"], 9),
                )
                version.plan, version.document_plan = spec, plan
                rows.append(version)
        Version.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        # The document shows its version in force (written after the versions have their ids).
        by_document = {}
        for version in rows:
            if version.status == Status.IN_FORCE:
                by_document[version.document_id] = version.pk
        for document in self.documents:
            document.current_version_id = by_document.get(document.pk)
        Document.objects.bulk_update(self.documents, ["current_version"], batch_size=BATCH_SIZE)
        return rows

    def seed_transitions(self, versions):
        rows = []
        for version in versions:
            spec = version.plan
            status = spec["status"]
            written = self.at(spec["written_on"], 9)
            steps = [("", Status.DRAFT, written, self.coordinator)]
            if status != Status.DRAFT:
                steps.append((Status.DRAFT, Status.IN_REVIEW, written + timedelta(days=7), self.coordinator))
            if version.approved_at:
                steps.append((Status.IN_REVIEW, Status.APPROVED, version.approved_at, version.approved_by_id))
            if status in (Status.IN_FORCE, Status.SUPERSEDED, Status.EXPIRED, Status.RETIRED):
                took_effect = max(
                    self.at(spec["effective_on"], 0), version.approved_at + timedelta(minutes=1)
                )
                steps.append((Status.APPROVED, Status.IN_FORCE, took_effect, None))
            if status in (Status.SUPERSEDED, Status.EXPIRED, Status.RETIRED):
                by = self.coordinator if status == Status.RETIRED else None
                steps.append((Status.IN_FORCE, status, self.at(spec["ended_on"], 0), by))
            rows += [
                Transition(version_id=version.pk, from_status=old, to_status=new, at=at, by_id=by)
                for old, new, at, by in steps
            ]
        Transition.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        return len(rows)

    def seed_signatories(self, versions):
        rows = []
        agencies = self.agencies
        for version in versions:
            spec, index = version.plan, version.document_plan["index"]
            count = spec["signers"]
            if not count:
                continue
            start = (index * 7) % len(agencies)
            chosen = [agencies[(start + step) % len(agencies)] for step in range(count)]
            status = spec["status"]
            for position, agency_id in enumerate(chosen):
                signatory = Signatory(version_id=version.pk, agency_id=agency_id)
                if position % 4 == 3:
                    signatory.needs_outside_approval = True
                    signatory.approving_body = APPROVING_BODIES[(index + position) % len(APPROVING_BODIES)]
                if status == Status.APPROVED:
                    answer = "signed" if position < count // 2 else "pending"
                    if answer == "pending" and position == count - 1 and index % 5 == 0:
                        answer = "declined"
                elif status in (Status.DRAFT, Status.IN_REVIEW):
                    answer = "pending"
                else:
                    answer = "signed"
                approved_on = spec.get("approved_on")
                if signatory.needs_outside_approval and answer != "pending":
                    signatory.outside_approval_on = approved_on + timedelta(days=1)
                lead = self.leads.get(agency_id)
                if answer == "signed":
                    signed_on = approved_on + timedelta(days=2 + position % 12)
                    if spec.get("effective_on") and status != Status.APPROVED:
                        signed_on = min(signed_on, spec["effective_on"])
                    signed_on = min(signed_on, self.today)
                    signatory.status = Signatory.SignatureStatus.SIGNED
                    signatory.signed_on = signed_on
                    signatory.answered_at = self.at(signed_on, 15)
                    signatory.ip_address = "192.0.2.10"  # a documentation address (RFC 5737)
                    if lead:
                        signatory.signer_id, signatory.signer_name, signatory.signer_title = lead
                elif answer == "declined":
                    signatory.status = Signatory.SignatureStatus.DECLINED
                    signatory.answered_at = self.at(min(approved_on + timedelta(days=5), self.today), 15)
                    signatory.declined_reason = DECLINED_REASON
                    if lead:
                        signatory.signer_id = lead[0]
                rows.append(signatory)
        Signatory.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        return len(rows)

    def seed_comments(self, versions):
        """Two comments on each version in review, by co-chairs and agency leads."""
        rows = []
        for version in versions:
            if version.status != Status.IN_REVIEW:
                continue
            index = version.document_plan["index"]
            submitted = self.at(version.plan["written_on"], 9) + timedelta(days=7)
            for step in range(2):
                user_id, agency_id = self.reviewers[(index + step * 3) % len(self.reviewers)][:2]
                rows.append(
                    ReviewComment(
                        version_id=version.pk,
                        author_id=user_id,
                        agency_id=agency_id,
                        body=COMMENTS[(index + step) % len(COMMENTS)],
                        created_at=min(submitted + timedelta(days=step + 1), self.now),
                    )
                )
        ReviewComment.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        return len(rows)
