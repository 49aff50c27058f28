"""The protocols part of the demo: every status and feature shows, each version's transitions tell
its story, and loading the demo twice adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from members import access
from members.models import User
from protocols.markdown import render_markdown
from protocols.models import Document, ReviewComment, Signatory, Status, Transition, Version
from taskforce.models import TaskForce
from tests.conftest import export_pdf, pdf_bytes

MODELS = (Document, Version, Transition, ReviewComment, Signatory)
SIGNED, PENDING = Signatory.SignatureStatus.SIGNED, Signatory.SignatureStatus.PENDING


def load_demo():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def harbor(db, settings):
    settings.DEBUG = True
    load_demo()
    return TaskForce.objects.get(slug="harbor-county")


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def document(harbor, title):
    return Document.objects.get(task_force=harbor, title=title)


def statuses(document):
    return list(document.versions.order_by("number").values_list("status", flat=True))


def test_running_it_twice_adds_nothing(harbor):
    before = counts()
    load_demo()
    assert counts() == before


def test_a_deleted_document_comes_back_on_the_next_run_and_nothing_else_moves(harbor):
    before = counts()
    document(harbor, "Media and public communications protocol").delete()
    load_demo()
    assert counts() == before


def test_the_charter_is_in_force_reviewed_yearly_and_due_for_review(harbor):
    charter = document(harbor, "Task force charter")
    assert charter.kind == "charter" and charter.status == Status.IN_FORCE
    assert charter.review_every_months == 12
    assert statuses(charter) == [Status.SUPERSEDED, Status.IN_FORCE]
    assert charter.current_version.number == 2
    assert Document.objects.due_for_review(harbor.today()).filter(pk=charter.pk).exists()


def test_the_decision_making_rules_were_approved_by_a_meeting_decision(harbor):
    rules = document(harbor, "Decision-making rules")
    assert rules.kind == "decision_rules" and rules.status == Status.IN_FORCE
    version = rules.current_version
    decision = version.approval_decision
    assert decision is not None and decision.meeting.task_force_id == harbor.pk
    assert "survivor network" in decision.motion
    assert version.approved_at == decision.meeting.ends_at
    assert version.effective_on >= decision.meeting.starts_at.date()


def test_the_information_sharing_mou_is_fully_executed_by_the_agencies_leads(harbor):
    mou = document(harbor, "Information sharing and referral MOU")
    assert mou.kind == "mou" and mou.status == Status.IN_FORCE
    assert statuses(mou) == [Status.SUPERSEDED, Status.IN_FORCE]
    for version in mou.versions.all():
        signatories = list(version.signatories.select_related("agency", "signer"))
        assert len(signatories) >= 3
        for signatory in signatories:
            assert signatory.status == SIGNED and signatory.signed_on <= version.effective_on
            assert access.can_sign_for(signatory.signer, harbor, signatory.agency_id)
            assert signatory.signer_name == signatory.signer.full_name and signatory.answered_at
    hospital = mou.current_version.signatories.get(needs_outside_approval=True)
    assert hospital.outside_approval_on < hospital.signed_on


def test_the_labour_mou_awaits_two_signatures_one_of_them_the_demo_leads(harbor):
    mou = document(harbor, "Labor trafficking joint response MOU")
    assert mou.status == Status.APPROVED and statuses(mou) == [Status.APPROVED]
    version = mou.versions.get()
    assert version.effective_on > harbor.today()
    signatories = version.signatories.select_related("agency")
    assert signatories.count() == 4
    assert signatories.filter(status=SIGNED).count() == 2
    pending = signatories.filter(status=PENDING)
    assert pending.count() == 2
    lead = User.objects.get(email="lead@example.org")
    assert [s.agency.name for s in pending if access.can_sign_for(lead, harbor, s.agency_id)] == [
        "Harbor County Sheriff's Office"
    ]
    council = pending.get(needs_outside_approval=True)
    assert "City Council" in council.approving_body and council.outside_approval_on is None


def test_a_protocol_is_in_review_with_two_comments(harbor):
    protocol = document(harbor, "Victim identification and screening protocol")
    assert protocol.kind == "protocol" and protocol.status == Status.IN_REVIEW
    version = protocol.versions.get()
    assert version.comments.count() == 2
    assert all(comment.author and comment.agency for comment in version.comments.all())


def test_a_protocol_expires_next_month(harbor):
    media = document(harbor, "Media and public communications protocol")
    assert media.status == Status.IN_FORCE
    today = harbor.today()
    assert 0 < (media.current_version.expires_on - today).days <= 31
    assert Document.objects.expiring(today, days=31).filter(pk=media.pk).exists()


def test_there_is_a_core_team_document_a_named_agencies_document_a_draft_and_a_retired_one(harbor):
    documents = Document.objects.filter(task_force=harbor)
    assert documents.filter(confidentiality="core", status=Status.IN_FORCE).exists()
    named = documents.get(confidentiality="agencies")
    assert named.shared_with.count() >= 2 and named.status == Status.IN_FORCE
    assert documents.filter(status=Status.DRAFT).exists()
    assert documents.filter(status=Status.RETIRED).exists()


def test_every_version_has_the_transitions_of_every_status_it_reached(db, harbor):
    versions = Version.objects.filter(document__task_force__slug__in=["harbor-county", "ridge-valley"])
    assert versions.count() >= 12
    for version in versions.prefetch_related("transitions"):
        steps = [(t.from_status, t.to_status) for t in version.transitions.all() if t.note != "Reviewed"]
        assert steps[0] == ("", Status.DRAFT), version
        for (_, reached), (left, _) in zip(steps, steps[1:], strict=False):
            assert reached == left, version
        assert steps[-1][1] == version.status, version
        times = [t.at for t in version.transitions.all()]
        assert times == sorted(times) and version.created_at <= times[0]
        if version.status not in (Status.DRAFT, Status.IN_REVIEW):
            assert version.approved_at and version.approved_by and version.effective_on


def test_the_bodies_are_markdown_with_headings_and_lists(harbor):
    for body in Version.objects.filter(document__task_force=harbor).values_list("body", flat=True):
        html = str(render_markdown(body))
        assert "<h2>" in html and ("<ul>" in html or "<ol>" in html)


def test_ridge_valley_has_its_own_documents(harbor):
    ridge = TaskForce.objects.get(slug="ridge-valley")
    documents = Document.objects.filter(task_force=ridge)
    assert 1 <= documents.count() <= 2
    assert set(documents.values_list("status", flat=True)) == {Status.IN_FORCE}
    assert (
        not Signatory.objects.filter(version__document__task_force=ridge)
        .exclude(agency__task_force=ridge)
        .exists()
    )


def test_the_demo_member_downloads_the_executed_mou_as_pdf(harbor, client):
    client.post(reverse("login"), {"username": "member@example.org", "password": "taskforce-demo"})
    version = document(harbor, "Information sharing and referral MOU").current_version
    assert pdf_bytes(export_pdf(client, "protocols.version", version.code))


def sign_in(client, email):
    client.post(reverse("login"), {"username": email, "password": "taskforce-demo"})
    return client


def test_the_demo_lead_finds_the_labour_mou_waiting_for_their_signature(harbor, client):
    page = sign_in(client, "lead@example.org").get(
        reverse("protocols:needs-my-signature", args=[harbor.slug])
    )
    assert page.status_code == 200
    assert "Labor trafficking joint response MOU" in page.content.decode()
    assert "Information sharing and referral MOU" not in page.content.decode()


@pytest.mark.parametrize(
    ("email", "sees", "misses"),
    [
        ("coordinator@example.org", ["Conflict resolution protocol", "Case deconfliction protocol"], []),
        ("lead@example.org", ["Victim identification and screening protocol", "Case deconfliction protocol"],
         ["Conflict resolution protocol", "Hospital and shelter warm hand-off protocol"]),
        ("member@example.org", ["Information sharing and referral MOU"],
         ["Victim identification and screening protocol", "Case deconfliction protocol"]),
        ("observer@example.org", ["Task force charter"],
         ["Case deconfliction protocol", "Hospital and shelter warm hand-off protocol"]),
    ],
)  # fmt: skip
def test_the_demo_people_see_the_library_their_role_allows(harbor, client, email, sees, misses):
    page = sign_in(client, email).get(reverse("protocols:library", args=[harbor.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    for title in sees:
        assert title in text, title
    for title in misses:
        assert title not in text, title


def test_the_due_for_review_list_shows_the_charter(harbor, client):
    url = reverse("protocols:library", args=[harbor.slug]) + "?list=review"
    text = sign_in(client, "coordinator@example.org").get(url).content.decode()
    assert "Task force charter" in text and "Media and public communications protocol" not in text
