"""The document page and the version page: what is in force, what awaits whom, what is about to
lapse, the text, the signatures and the history; each reader sees what their role allows."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from protocols.models import Kind, Signatory, Status, Transition
from tests.factories import AgencyFactory
from tests.meetings.factories import DecisionFactory, MeetingFactory

from .factories import DocumentFactory, SignatoryFactory, VersionFactory

NOW = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)
TODAY = date(2027, 3, 1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def version_url(version):
    return reverse("protocols:version-detail", args=[version.document.task_force.slug, version.code])


def document_url(document):
    return reverse("protocols:document-detail", args=[document.task_force.slug, document.code])


@pytest.fixture
def mou(task_force):
    return DocumentFactory(
        task_force=task_force,
        kind=Kind.MOU,
        category="",
        title="Information sharing MOU",
        review_every_months=12,
        confidentiality="all",
    )


@pytest.fixture
def approved(mou, coordinator, agency, other_agency):
    """The world of the permission rows: an MOU whose version is approved, signed by no one yet."""
    version = VersionFactory(
        document=mou, status=Status.APPROVED, effective_on=TODAY, approved_at=NOW, approved_by=coordinator
    )
    SignatoryFactory(version=version, agency=agency)
    SignatoryFactory(version=version, agency=other_agency)
    return version


@pytest.fixture
def draft(task_force):
    return VersionFactory(document=DocumentFactory(task_force=task_force, title="Media protocol"))


@pytest.fixture
def approved_mou_with(task_force, coordinator):
    """approved_mou_with(count) -> an approved MOU version whose `count` signatory agencies have
    answered in turn (every other one signed, one in three awaiting an outside approval), with a
    workflow step for each."""

    def version_with(count):
        version = VersionFactory(
            document=DocumentFactory(task_force=task_force, kind=Kind.MOU),
            status=Status.APPROVED,
            effective_on=TODAY,
            approved_at=NOW,
        )
        for index in range(count):
            SignatoryFactory(
                version=version,
                agency=AgencyFactory(task_force=task_force),
                status="signed" if index % 2 else "pending",
                signer=coordinator if index % 2 else None,
                needs_outside_approval=index % 3 == 0,
            )
            Transition.objects.create(version=version, from_status="in_review", to_status="approved")
        return version

    return version_with


# --- the document page --------------------------------------------------------------------


class TestDocumentPage:
    def test_it_shows_what_is_in_force_when_it_lapses_and_when_it_is_reviewed(
        self, login, member, task_force
    ):
        document = DocumentFactory(task_force=task_force, title="Referral protocol", review_every_months=12)
        VersionFactory(
            document=document,
            status=Status.IN_FORCE,
            effective_on=date(2026, 3, 1),
            expires_on=date(2027, 4, 15),
            body="# Referral\n\nCall the **hotline**.",
        )
        document.next_review_on = date(2027, 2, 1)
        document.save(update_fields=["next_review_on"])
        page = login(member).get(document_url(document)).content.decode()
        assert "In force:" in page and "since 1 March 2026, until 15 April 2027" in page
        assert "Expires in 45 days" in page
        assert "1 February 2027" in page and ">Due<" in page
        assert "<h2>Referral</h2>" in page and "<strong>hotline</strong>" in page
        assert "Sex trafficking, Labour trafficking" in page

    def test_it_shows_the_one_trafficking_type_and_the_populations_it_covers(
        self, login, coordinator, task_force
    ):
        document = DocumentFactory(
            task_force=task_force, trafficking_type="labour", populations=["foreign_nationals", "lgbtq"]
        )
        page = login(coordinator).get(document_url(document)).content.decode()
        assert '<dd class="col-7">Labour trafficking</dd>' in page
        assert "Foreign nationals, LGBTQ+ people" in page and "Sex trafficking" not in page

    def test_a_document_covering_no_type_shows_a_dash_and_everyone(self, login, coordinator, task_force):
        document = DocumentFactory(task_force=task_force, trafficking_type="", populations=[])
        page = login(coordinator).get(document_url(document)).content.decode()
        assert '<dt class="col-5">Covers</dt><dd class="col-7">—</dd>' in page
        assert '<dt class="col-5">Populations</dt><dd class="col-7">All</dd>' in page

    def test_the_text_is_shown_only_through_the_sanitiser(self, login, member, task_force):
        document = DocumentFactory(task_force=task_force)
        VersionFactory(
            document=document,
            status=Status.IN_FORCE,
            effective_on=TODAY,
            body="<script>alert(1)</script> [click](javascript:alert(2))",
        )
        page = login(member).get(document_url(document)).content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
        assert 'href="javascript' not in page

    def test_an_approved_mou_shows_who_has_signed_and_who_is_awaited(
        self, login, coordinator, approved, agency, other_agency, lead
    ):
        Signatory.objects.filter(version=approved, agency=agency).update(
            status="signed", signer=lead, signer_name="Lee Lead", signer_title="Sheriff", signed_on=TODAY
        )
        page = login(coordinator).get(document_url(approved.document)).content.decode()
        assert "awaiting signatures: 1 of 2 signed; waiting for Safe Harbor Shelter" in page
        assert "Signatures of version 1" in page
        assert "Lee Lead" in page and "Sheriff" in page
        assert "Fully executed" not in page

    def test_a_fully_executed_mou_says_so(self, login, member, mou, agency):
        version = VersionFactory(document=mou, status=Status.IN_FORCE, effective_on=TODAY)
        SignatoryFactory(
            version=version, agency=agency, status="signed", signer_name="Lee Lead", signed_on=TODAY
        )
        page = login(member).get(document_url(mou)).content.decode()
        assert "Fully executed" in page

    def test_a_declined_signature_is_shown_with_its_reason(self, login, coordinator, approved, other_agency):
        Signatory.objects.filter(version=approved, agency=other_agency).update(
            status="declined", declined_reason="Our board wants a data retention clause."
        )
        page = login(coordinator).get(document_url(approved.document)).content.decode()
        assert "declined by Safe Harbor Shelter" in page
        assert "Our board wants a data retention clause." in page

    def test_the_versions_approvals_and_steps_are_listed(self, login, member, coordinator, task_force):
        document = DocumentFactory(task_force=task_force, title="Referral protocol")
        decision = DecisionFactory(
            meeting=MeetingFactory(task_force=task_force, title="January meeting"), motion="Adopt it."
        )
        first = VersionFactory(document=document, status=Status.SUPERSEDED, change_summary="First text.")
        second = VersionFactory(
            document=document,
            status=Status.IN_FORCE,
            effective_on=TODAY,
            change_summary="Adds the hotline.",
            approved_at=NOW,
            approved_by=coordinator,
            approval_decision=decision,
        )
        Transition.objects.create(
            version=second, from_status="approved", to_status="in_force", by=coordinator
        )
        VersionFactory(document=document, change_summary="A draft nobody else reads.")
        page = login(member).get(document_url(document)).content.decode()
        assert first.change_summary in page and second.change_summary in page
        assert "A draft nobody else reads." not in page
        assert "approved by Cora Coordinator" in page and "Adopt it." in page
        assert "approved → <strong>in force</strong>" in page
        manager_page = login(coordinator).get(document_url(document)).content.decode()
        assert "A draft nobody else reads." in manager_page
        assert "being written by the coordinators" in manager_page

    def test_managers_get_their_buttons_and_readers_do_not(self, login, coordinator, member, task_force):
        document = DocumentFactory(task_force=task_force)
        VersionFactory(document=document, status=Status.IN_FORCE, effective_on=TODAY)
        manager_page = login(coordinator).get(document_url(document)).content.decode()
        assert "Record a review" in manager_page and "Retire…" in manager_page
        assert reverse("protocols:version-create", args=[task_force.slug, document.code]) in manager_page
        reader_page = login(member).get(document_url(document)).content.decode()
        assert "Record a review" not in reader_page and "Retire…" not in reader_page

    def test_no_new_version_is_offered_while_one_is_open(self, login, coordinator, draft):
        page = login(coordinator).get(document_url(draft.document)).content.decode()
        assert reverse("protocols:version-create", args=["harbor", draft.document.code]) not in page

    def test_the_page_costs_the_same_queries_with_3_or_30_versions(
        self, login, coordinator, task_force, agency, queries_to_get
    ):
        def document_with(count):
            document = DocumentFactory(task_force=task_force, kind=Kind.MOU, review_every_months=12)
            for _ in range(1, count):
                version = VersionFactory(document=document, status=Status.SUPERSEDED, approved_at=NOW)
                Transition.objects.create(version=version, from_status="approved", to_status="superseded")
            current = VersionFactory(
                document=document, status=Status.APPROVED, effective_on=TODAY, approved_at=NOW
            )
            SignatoryFactory(version=current, agency=agency)
            return document

        client = login(coordinator)
        few, many = document_with(3), document_with(30)
        client.get(document_url(few))
        small = queries_to_get(client, document_url(few))
        assert queries_to_get(client, document_url(many)) == small


# --- the version page ---------------------------------------------------------------------


class TestVersionPage:
    def test_it_shows_the_text_status_approval_and_steps(self, login, member, coordinator, task_force):
        decision = DecisionFactory(meeting=MeetingFactory(task_force=task_force), motion="Adopt the MOU.")
        version = VersionFactory(
            document=DocumentFactory(task_force=task_force, title="Referral protocol"),
            status=Status.IN_FORCE,
            effective_on=TODAY,
            expires_on=date(2028, 3, 1),
            approved_at=NOW,
            approved_by=coordinator,
            approval_decision=decision,
            body="- Call the hotline",
        )
        Transition.objects.create(
            version=version, from_status="approved", to_status="in_force", by=coordinator
        )
        page = login(member).get(version_url(version)).content.decode()
        assert "<li>Call the hotline</li>" in page
        assert "In force" in page and "1 Mar 2028" in page
        assert "Cora Coordinator" in page and "Adopt the MOU." in page
        assert "approved → <strong>in force</strong>" in page
        assert "Send for review" not in page and "Approve…" not in page

    def test_a_lead_is_offered_to_sign_for_their_agency_only(self, login, lead, approved):
        page = login(lead).get(version_url(approved)).content.decode()
        mine = Signatory.objects.get(version=approved, agency__name="Harbor County Sheriff's Office")
        other = Signatory.objects.get(version=approved, agency__name="Safe Harbor Shelter")
        assert reverse("protocols:signature-sign", args=["harbor", mine.code]) in page
        assert reverse("protocols:signature-decline", args=["harbor", mine.code]) in page
        assert reverse("protocols:signature-sign", args=["harbor", other.code]) not in page
        assert "Your agency's signature" in page

    @pytest.mark.parametrize("role", ["admin", "coordinator", "member"])
    def test_nobody_else_is_offered_to_sign(self, client_as, approved, role):
        page = client_as(role).get(version_url(approved)).content.decode()
        assert "/sign/" not in page and "Your agency's signature" not in page

    def test_the_signatories_table_shows_each_agencys_answer(
        self, login, member, approved, agency, other_agency, lead
    ):
        Signatory.objects.filter(version=approved, agency=agency).update(
            status="signed",
            signer=lead,
            signer_name="Lee Lead",
            signer_title="Sheriff",
            signed_on=date(2027, 2, 27),
            signed_page="protocols/x/signed/abc",
            signed_page_name="signed.pdf",
        )
        Signatory.objects.filter(version=approved, agency=other_agency).update(
            needs_outside_approval=True, approving_body="Shelter board"
        )
        page = login(member).get(version_url(approved)).content.decode()
        signed = Signatory.objects.get(version=approved, agency=agency)
        assert "Lee Lead" in page and "Sheriff" in page and "27 Feb 2027" in page
        assert reverse("protocols:signature-page", args=["harbor", signed.code]) in page
        assert "Shelter board" in page and "Awaited" in page
        assert "1 of 2 agencies signed" in page

    def test_a_fully_executed_version_says_so(self, login, member, mou, agency, other_agency):
        version = VersionFactory(document=mou, status=Status.IN_FORCE, effective_on=TODAY)
        for signer_agency in (agency, other_agency):
            SignatoryFactory(version=version, agency=signer_agency, status="signed", signed_on=TODAY)
        page = login(member).get(version_url(version)).content.decode()
        assert "Fully executed" in page

    def test_a_coordinator_gets_the_draft_actions(self, login, coordinator, task_force):
        version = VersionFactory(document=DocumentFactory(task_force=task_force, kind=Kind.MOU))
        page = login(coordinator).get(version_url(version)).content.decode()
        assert "Send for review" in page
        assert reverse("protocols:signatory-list", args=["harbor", version.code]) in page
        assert reverse("protocols:version-update", args=["harbor", version.code]) in page
        # The PDF is asked of the exports engine, which makes it in the background.
        assert "/pdf/" not in page
        assert f'action="{reverse("exports:job-create")}"' in page
        assert 'name="kind" value="protocols.version"' in page
        assert f'name="target" value="{version.code}"' in page

    def test_a_coordinator_gets_the_review_actions(self, login, coordinator, task_force):
        version = VersionFactory(document=DocumentFactory(task_force=task_force), status=Status.IN_REVIEW)
        page = login(coordinator).get(version_url(version)).content.decode()
        assert reverse("protocols:version-approve", args=["harbor", version.code]) in page
        assert reverse("protocols:version-return", args=["harbor", version.code]) in page
        assert "Send for review" not in page

    def test_a_superseded_version_points_to_the_one_in_force(self, login, member, task_force):
        document = DocumentFactory(task_force=task_force)
        old = VersionFactory(document=document, status=Status.SUPERSEDED)
        VersionFactory(document=document, status=Status.IN_FORCE, effective_on=TODAY)
        page = login(member).get(version_url(old)).content.decode()
        assert "This version is superseded" in page and "Read version 2, in force" in page

    @pytest.mark.parametrize(
        ("role", "status"),
        [("observer", 404), ("member", 404), ("lead", 200), ("lead_other", 200), ("coordinator", 200)],
    )
    def test_a_version_in_review_is_read_by_the_core_team(self, client_as, task_force, role, status):
        version = VersionFactory(document=DocumentFactory(task_force=task_force), status=Status.IN_REVIEW)
        assert client_as(role).get(version_url(version)).status_code == status


# --- both pages ---------------------------------------------------------------------------

# The page of an MOU, and of its version.
PAGES = {"document": lambda version: document_url(version.document), "version": version_url}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("role", "approved_status", "draft_status"),
    [
        ("anonymous", 302, 302),
        ("observer", 200, 404),
        ("member", 200, 404),
        ("lead", 200, 404),
        ("lead_other", 200, 404),
        ("other_coordinator", 404, 404),
        ("coordinator", 200, 200),
        ("admin", 200, 200),
    ],
)
def test_who_reads_the_page(client_as, approved, draft, page, role, approved_status, draft_status):
    client = client_as(role)
    assert client.get(PAGES[page](approved)).status_code == approved_status
    assert client.get(PAGES[page](draft)).status_code == draft_status


@pytest.mark.parametrize("page", PAGES)
def test_the_page_costs_the_same_queries_with_3_or_40_signatories(
    login, coordinator, approved_mou_with, queries_to_get, page
):
    few, many = PAGES[page](approved_mou_with(3)), PAGES[page](approved_mou_with(40))
    client = login(coordinator)
    client.get(few)
    small = queries_to_get(client, few)
    assert queries_to_get(client, many) == small
