"""The protocols part of seed_scale (protocols/scale.py), at a small size: the proportions of
DESIGN.md's scale (half a document a person, 3⅓ versions a document, 30% MOUs with 3 to 12
signatories), versions whose transitions tell their story, a second run that adds nothing, and
--reset that removes it all, other task forces' documents untouched."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from members import access
from members.models import Membership, Role
from protocols.models import Document, ReviewComment, Signatory, Status, Transition, Version
from protocols.scale import delete_scale_documents
from taskforce.models import TaskForce
from taskforce.pii import find_pii
from tests.conftest import export_pdf, pdf_bytes

from .factories import DocumentFactory, SignatoryFactory, VersionFactory

PEOPLE = 60
SMALL = ["--task-forces", "2", "--agencies-per", "6", "--people-per", str(PEOPLE)]
DOCUMENTS = PEOPLE // 2  # a task force


def seed_scale(*args):
    out = StringIO()
    call_command("seed_scale", *SMALL, *args, stdout=out)
    return out.getvalue()


def scale_rows():
    documents = Document.objects.filter(task_force__slug__startswith="scale-")
    versions = Version.objects.filter(document__in=documents)
    return {
        "documents": documents.count(),
        "versions": versions.count(),
        "transitions": Transition.objects.filter(version__in=versions).count(),
        "signatories": Signatory.objects.filter(version__in=versions).count(),
        "comments": ReviewComment.objects.filter(version__in=versions).count(),
        "shared": Document.shared_with.through.objects.filter(document__in=documents).count(),
    }


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = False
    return seed_scale()


def test_it_seeds_documents_in_the_proportions_of_the_design(seeded):
    rows = scale_rows()
    assert rows["documents"] == 2 * DOCUMENTS
    assert rows["versions"] == round(rows["documents"] * 20_000 / 6_000)
    assert rows["transitions"] > 3 * rows["versions"]
    assert rows["comments"] > 0 and rows["shared"] > 0
    kinds = Counter(Document.objects.filter(task_force__slug="scale-01").values_list("kind", flat=True))
    assert kinds["mou"] == round(0.3 * DOCUMENTS)
    assert set(kinds) == {"mou", "protocol", "charter", "decision_rules", "policy"}
    assert "Documents seeded:" in seeded and f"scale-01: {DOCUMENTS} documents, 100 versions" in seeded


def test_mou_versions_name_three_to_twelve_agencies_and_other_kinds_none(seeded):
    versions = Version.objects.filter(document__task_force__slug__startswith="scale-").annotate(
        signers=Count("signatories")
    )
    for kind, signers in versions.values_list("document__kind", "signers"):
        if kind == "mou":
            assert 3 <= signers <= 12
        else:
            assert signers == 0
    agencies = dict(Version.objects.values_list("signatories__pk", "document__task_force_id"))
    for signatory in Signatory.objects.select_related("agency"):
        assert signatory.agency.task_force_id == agencies[signatory.pk]


def test_statuses_are_spread_and_each_document_shows_the_right_one(seeded):
    versions = Version.objects.filter(document__task_force__slug="scale-01")
    assert set(versions.values_list("status", flat=True)) == set(Status.values)
    documents = Document.objects.filter(task_force__slug="scale-01").select_related("current_version")
    for document in documents:
        shown = (document.status, document.current_version_id)
        in_force = [v for v in document.versions.all() if v.status == Status.IN_FORCE]
        assert len(in_force) <= 1
        assert document.current_version_id == (in_force[0].pk if in_force else None)
        document.refresh_status()
        assert (document.status, document.current_version_id) == shown
    # A newer draft, review or approval leaves the version before it in force: the document shows that.
    shown = set(documents.values_list("status", flat=True))
    assert shown >= {Status.IN_FORCE, Status.IN_REVIEW, Status.EXPIRED, Status.RETIRED}
    newest = {
        d.pk: d.versions.order_by("-number")[0].status for d in documents.filter(status=Status.IN_FORCE)
    }
    assert {Status.DRAFT, Status.APPROVED} <= set(newest.values())
    assert set(documents.values_list("confidentiality", flat=True)) == {"all", "core", "agencies"}
    assert not documents.filter(confidentiality="agencies", shared_with__isnull=True).exists()


def test_every_task_force_has_documents_due_for_review_and_expiring(seeded):
    for task_force in TaskForce.objects.filter(slug__startswith="scale-"):
        documents = Document.objects.filter(task_force=task_force)
        today = task_force.today()
        assert documents.due_for_review(today).exists()
        assert documents.expiring(today, days=90).exists()


def test_every_version_has_the_transitions_of_its_statuses_in_order(seeded):
    versions = Version.objects.filter(document__task_force__slug="scale-01").prefetch_related("transitions")
    for version in versions:
        steps = list(version.transitions.all())
        assert (steps[0].from_status, steps[0].to_status) == ("", Status.DRAFT)
        assert all(a.to_status == b.from_status for a, b in zip(steps, steps[1:], strict=False))
        assert steps[-1].to_status == version.status
        assert [s.at for s in steps] == sorted(s.at for s in steps) and version.created_at <= steps[0].at
        if version.status in (Status.IN_FORCE, Status.SUPERSEDED, Status.EXPIRED, Status.RETIRED):
            assert version.effective_on and version.approved_at and version.approved_by_id
            assert not version.signatories.exclude(status="signed").exists()


def test_signatures_are_by_the_agencies_leads_and_some_wait_for_a_lead(seeded):
    task_force = TaskForce.objects.get(slug="scale-01")
    signatories = Signatory.objects.filter(version__document__task_force=task_force).select_related("signer")
    signed = signatories.filter(status="signed")
    assert signed.exists()
    for signatory in signed:
        assert access.can_sign_for(signatory.signer, task_force, signatory.agency_id)
        assert signatory.signer_name == signatory.signer.full_name and signatory.signed_on
    waiting = signatories.filter(status="pending", version__status=Status.APPROVED)
    assert waiting.exists()
    leads = Membership.objects.active().filter(task_force=task_force, role=Role.AGENCY_LEAD)
    assert leads.filter(agency__in=waiting.values("agency")).exists()
    assert signatories.filter(needs_outside_approval=True, outside_approval_on__isnull=True).exists()


def test_the_texts_hold_no_personal_data(seeded):
    for title, summary in Document.objects.values_list("title", "summary"):
        assert not find_pii(title) and not find_pii(summary)
    for body in Version.objects.values_list("body", flat=True).distinct()[:50]:
        assert not find_pii(body) and body.startswith("# ")


def test_the_coordinator_downloads_the_largest_mou(seeded, login):
    coordinator = Membership.objects.get(task_force__slug="scale-01", role=Role.COORDINATOR).user
    version = (
        Version.objects.filter(document__task_force__slug="scale-01", document__kind="mou")
        .annotate(signers=Count("signatories"))
        .order_by("-signers", "-number")
        .first()
    )
    assert pdf_bytes(export_pdf(login(coordinator), "protocols.version", version.code))


def test_running_it_again_adds_nothing(seeded):
    before = scale_rows()
    output = seed_scale()
    assert "already there" in output and "Documents seeded: nothing new" in output
    assert scale_rows() == before


def test_a_second_run_fills_in_a_task_force_without_documents(seeded):
    before = scale_rows()
    delete_scale_documents(sender=None, task_forces=TaskForce.objects.filter(slug="scale-02"))
    assert not Document.objects.filter(task_force__slug="scale-02").exists()
    seed_scale()
    assert scale_rows() == before


def test_reset_removes_the_documents_and_leaves_other_task_forces_alone(seeded, task_force, agency):
    version = VersionFactory(document=DocumentFactory(task_force=task_force, kind="mou"), status="approved")
    SignatoryFactory(version=version, agency=agency)
    old = set(Document.objects.filter(task_force__slug__startswith="scale-").values_list("pk", flat=True))
    before = scale_rows()
    output = seed_scale("--reset")
    assert "Deleted the scale documents" in output and "Deleted the scale data" in output
    assert not Document.objects.filter(pk__in=old).exists()
    assert scale_rows() == before  # rebuilt at the same size
    assert version.signatories.count() == 1 and Document.objects.filter(task_force=task_force).count() == 1


def bench(**kwargs):
    out, err = StringIO(), StringIO()
    call_command("bench", "--iterations", "1", "--warmup", "0", stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_the_bench_measures_the_documents_pages(seeded):
    output, errors = bench()
    for row in [
        "Library, page 1",
        "Library, filtered + searched",
        "Due for review",
        "Document (",
        "Its version ",
        "Needs my signature (lead, ",
    ]:
        assert row in output, row
    assert "/admin/protocols/document/?task_force__id__exact=" in output
    assert "/admin/protocols/signatory/?status__exact=pending&version__status__exact=approved" in output
    assert "@scale.example.org (agency lead)" in output
    assert "Not measured" not in errors


def test_the_bench_says_which_pages_it_could_not_measure(seeded, monkeypatch):
    from taskforce.management.commands import bench as command

    real = command.reverse

    def without_needs_my_signature(name, *args, **kwargs):
        if name == "protocols:needs-my-signature":
            raise command.NoReverseMatch(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(command, "reverse", without_needs_my_signature)
    output, errors = bench()
    assert "Needs my signature" not in output.split("Compared with:")[0]
    assert "Not measured:" in errors and "no URL named protocols:needs-my-signature" in errors
