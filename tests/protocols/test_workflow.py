"""A version's way through the workflow: sent for review, returned, approved, in force, retired,
reviewed. Each step is recorded; a step out of turn gets a clear message and changes nothing."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from protocols.models import Document, Kind, Status, Transition, Version
from protocols.services import workflow
from taskforce.errors import ServiceError
from tests.meetings.factories import DecisionFactory, MeetingFactory

from .factories import DocumentFactory, SignatoryFactory, VersionFactory

NOW = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)  # Monday 1 March 2027, noon in New York
TODAY = date(2027, 3, 1)

ROLES = ["anonymous", "observer", "member", "lead", "lead_other", "other_coordinator", "coordinator", "admin"]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def version_url(name, version):
    return reverse(f"protocols:{name}", args=[version.document.task_force.slug, version.code])


def document_url(name, document):
    return reverse(f"protocols:{name}", args=[document.task_force.slug, document.code])


def steps(version):
    return list(Transition.objects.filter(version=version).values_list("from_status", "to_status", "note"))


@pytest.fixture
def protocol(task_force):
    return DocumentFactory(task_force=task_force, title="Referral protocol", review_every_months=12)


@pytest.fixture
def draft(protocol):
    return VersionFactory(document=protocol)


@pytest.fixture
def in_review(protocol):
    return VersionFactory(document=protocol, status=Status.IN_REVIEW)


def in_force_version(document, number_effective=date(2026, 1, 1), **fields):
    return VersionFactory(document=document, status=Status.IN_FORCE, effective_on=number_effective, **fields)


# --- send for review ----------------------------------------------------------------------


class TestSubmit:
    def test_the_coordinator_sends_a_draft_for_review(self, login, coordinator, draft):
        response = login(coordinator).post(version_url("version-submit", draft), follow=True)
        draft.refresh_from_db()
        assert draft.status == Status.IN_REVIEW
        assert "Version 1 is in review" in response.content.decode()
        assert steps(draft) == [(Status.DRAFT, Status.IN_REVIEW, "")]
        assert Transition.objects.get(version=draft).by == coordinator
        assert Document.objects.get(pk=draft.document_id).status == Status.IN_REVIEW

    def test_a_draft_without_text_or_file_is_refused(self, login, coordinator, protocol):
        empty = VersionFactory(document=protocol, body="  ")
        response = login(coordinator).post(version_url("version-submit", empty), follow=True)
        empty.refresh_from_db()
        assert empty.status == Status.DRAFT
        assert "Write the text or attach the file" in response.content.decode()
        assert steps(empty) == []

    def test_an_mou_with_no_signatories_cannot_go_to_review(self, login, coordinator, task_force):
        mou = VersionFactory(document=DocumentFactory(task_force=task_force, kind=Kind.MOU))
        response = login(coordinator).post(version_url("version-submit", mou), follow=True)
        mou.refresh_from_db()
        assert mou.status == Status.DRAFT
        assert "An MOU goes to review with its signatory agencies" in response.content.decode()

    def test_an_mou_with_signatories_goes_to_review(self, login, coordinator, agency):
        signatory = SignatoryFactory(version__document__task_force=agency.task_force, agency=agency)
        login(coordinator).post(version_url("version-submit", signatory.version))
        signatory.version.refresh_from_db()
        assert signatory.version.status == Status.IN_REVIEW

    def test_a_version_in_review_is_not_sent_again(self, login, coordinator, in_review):
        response = login(coordinator).post(version_url("version-submit", in_review), follow=True)
        assert "Only a draft is sent for review; this version is in review." in response.content.decode()
        assert steps(in_review) == []

    def test_sending_for_review_bumps_the_version_so_an_open_edit_form_is_stale(
        self, login, coordinator, draft
    ):
        seen = draft.version
        login(coordinator).post(version_url("version-submit", draft))
        draft.refresh_from_db()
        assert draft.version == seen + 1

    def test_it_is_a_post(self, login, coordinator, draft):
        assert login(coordinator).get(version_url("version-submit", draft)).status_code == 405

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 302),
            ("observer", 404),
            ("member", 404),
            ("lead", 404),
            ("lead_other", 404),
            ("other_coordinator", 404),
            ("coordinator", 302),
            ("admin", 302),
        ],
    )
    def test_only_managers_send_a_draft_they_alone_can_see(self, client_as, draft, role, status):
        response = client_as(role).post(version_url("version-submit", draft))
        assert response.status_code == status
        if role == "anonymous":
            assert "/login/" in response["Location"]
        draft.refresh_from_db()
        assert draft.status == (Status.IN_REVIEW if status == 302 and role != "anonymous" else Status.DRAFT)


# --- return to draft ----------------------------------------------------------------------


class TestReturn:
    def test_a_version_in_review_goes_back_to_draft_with_the_note(self, login, coordinator, in_review):
        response = login(coordinator).post(
            version_url("version-return", in_review), {"note": "Add the hotline number."}, follow=True
        )
        in_review.refresh_from_db()
        assert in_review.status == Status.DRAFT
        assert steps(in_review) == [(Status.IN_REVIEW, Status.DRAFT, "Add the hotline number.")]
        page = response.content.decode()
        assert "back in draft" in page and "Add the hotline number." in page

    def test_the_note_is_required(self, login, coordinator, in_review):
        response = login(coordinator).post(
            version_url("version-return", in_review), {"note": " "}, follow=True
        )
        in_review.refresh_from_db()
        assert in_review.status == Status.IN_REVIEW
        assert "Say what needs changing" in response.content.decode()
        assert steps(in_review) == []

    def test_only_a_version_in_review_is_returned(self, login, coordinator, draft):
        response = login(coordinator).post(version_url("version-return", draft), {"note": "x"}, follow=True)
        assert "Only a version in review is returned to draft" in response.content.decode()
        assert steps(draft) == []

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 302),
            ("observer", 404),
            ("member", 404),
            ("lead", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 302),
            ("admin", 302),
        ],
    )
    def test_reviewers_read_it_but_only_managers_return_it(self, client_as, in_review, role, status):
        response = client_as(role).post(version_url("version-return", in_review), {"note": "No."})
        assert response.status_code == status


# --- approval -----------------------------------------------------------------------------


class TestApprove:
    def test_the_form_offers_today_and_this_task_forces_adopted_decisions(
        self, login, coordinator, task_force, other_task_force, in_review
    ):
        meeting = MeetingFactory(task_force=task_force, title="February meeting")
        DecisionFactory(meeting=meeting, motion="Adopt the referral protocol.")
        DecisionFactory(meeting=meeting, motion="Buy a boat.", result="failed")
        DecisionFactory(meeting=MeetingFactory(task_force=other_task_force), motion="Ridge decision.")
        response = login(coordinator).get(version_url("version-approve", in_review))
        page = response.content.decode()
        assert response.status_code == 200
        assert 'value="2027-03-01"' in page
        assert "Adopt the referral protocol." in page
        assert "Buy a boat." not in page and "Ridge decision." not in page

    def test_approving_from_today_puts_a_protocol_in_force(self, login, coordinator, task_force, in_review):
        decision = DecisionFactory(meeting=MeetingFactory(task_force=task_force))
        response = login(coordinator).post(
            version_url("version-approve", in_review),
            {
                "effective_on": "2027-03-01",
                "expires_on": "2029-03-01",
                "approval_decision": str(decision.code),
                "note": "Adopted at the February meeting.",
            },
            follow=True,
        )
        in_review.refresh_from_db()
        document = Document.objects.get(pk=in_review.document_id)
        assert "Version 1 is approved and in force." in response.content.decode()
        assert in_review.status == Status.IN_FORCE
        assert (in_review.approved_by, in_review.approval_decision) == (coordinator, decision)
        assert in_review.approved_at == NOW
        assert (in_review.effective_on, in_review.expires_on) == (TODAY, date(2029, 3, 1))
        assert (document.status, document.current_version) == (Status.IN_FORCE, in_review)
        assert document.next_review_on == date(2028, 3, 1)
        assert steps(in_review) == [
            (Status.IN_REVIEW, Status.APPROVED, "Adopted at the February meeting."),
            (Status.APPROVED, Status.IN_FORCE, ""),
        ]

    def test_a_later_effective_date_leaves_it_approved_until_that_day(self, login, coordinator, in_review):
        response = login(coordinator).post(
            version_url("version-approve", in_review), {"effective_on": "2027-04-01"}, follow=True
        )
        in_review.refresh_from_db()
        assert in_review.status == Status.APPROVED
        assert "it goes in force on 01 April 2027" in response.content.decode()
        assert Document.objects.get(pk=in_review.document_id).current_version is None

    def test_approving_a_second_version_supersedes_the_one_in_force(self, login, coordinator, protocol):
        first = in_force_version(protocol)
        protocol.refresh_status()
        second = VersionFactory(document=protocol, status=Status.IN_REVIEW)
        login(coordinator).post(version_url("version-approve", second), {"effective_on": "2027-03-01"})
        first.refresh_from_db()
        second.refresh_from_db()
        protocol.refresh_from_db()
        assert (first.status, second.status) == (Status.SUPERSEDED, Status.IN_FORCE)
        assert protocol.current_version == second
        assert steps(first) == [(Status.IN_FORCE, Status.SUPERSEDED, "Replaced by version 2.")]
        assert Version.objects.filter(document=protocol, status=Status.IN_FORCE).count() == 1

    def test_the_one_in_force_stays_until_the_next_ones_day(self, login, coordinator, protocol):
        first = in_force_version(protocol)
        second = VersionFactory(document=protocol, status=Status.IN_REVIEW)
        login(coordinator).post(version_url("version-approve", second), {"effective_on": "2027-06-01"})
        first.refresh_from_db()
        assert first.status == Status.IN_FORCE

    def test_an_approved_version_still_waiting_is_superseded_by_a_newer_approval(
        self, login, coordinator, protocol
    ):
        waiting = VersionFactory(document=protocol, status=Status.APPROVED, effective_on=date(2027, 6, 1))
        newer = VersionFactory(document=protocol, status=Status.IN_REVIEW)
        login(coordinator).post(version_url("version-approve", newer), {"effective_on": "2027-05-01"})
        waiting.refresh_from_db()
        assert waiting.status == Status.SUPERSEDED

    def test_an_expiry_before_the_effective_date_is_refused(self, login, coordinator, in_review):
        response = login(coordinator).post(
            version_url("version-approve", in_review),
            {"effective_on": "2027-03-01", "expires_on": "2027-02-01"},
        )
        in_review.refresh_from_db()
        assert response.status_code == 200
        assert "The expiry date must come after the day it takes effect." in response.content.decode()
        assert (in_review.status, in_review.expires_on) == (Status.IN_REVIEW, None)
        assert steps(in_review) == []

    def test_the_service_refuses_an_expiry_before_the_effective_date_too(self, coordinator, in_review):
        with pytest.raises(ServiceError, match="expiry date must come after"):
            workflow.approve(
                by=coordinator, version=in_review, effective_on=TODAY, expires_on=date(2027, 3, 1)
            )
        in_review.refresh_from_db()
        assert in_review.status == Status.IN_REVIEW

    def test_an_effective_date_is_required(self, login, coordinator, in_review):
        response = login(coordinator).post(version_url("version-approve", in_review), {"effective_on": ""})
        assert response.status_code == 200
        in_review.refresh_from_db()
        assert in_review.status == Status.IN_REVIEW

    def test_a_decision_of_another_task_force_is_refused(
        self, login, coordinator, other_task_force, in_review
    ):
        foreign = DecisionFactory(meeting=MeetingFactory(task_force=other_task_force))
        response = login(coordinator).post(
            version_url("version-approve", in_review),
            {"effective_on": "2027-03-01", "approval_decision": str(foreign.code)},
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        in_review.refresh_from_db()
        assert in_review.status == Status.IN_REVIEW

    def test_the_service_refuses_a_foreign_or_failed_decision(
        self, coordinator, other_task_force, task_force, in_review
    ):
        foreign = DecisionFactory(meeting=MeetingFactory(task_force=other_task_force))
        with pytest.raises(ServiceError, match="this task force's meetings"):
            workflow.approve(by=coordinator, version=in_review, effective_on=TODAY, decision=foreign)
        failed = DecisionFactory(meeting=MeetingFactory(task_force=task_force), result="failed")
        with pytest.raises(ServiceError, match="was not adopted"):
            workflow.approve(by=coordinator, version=in_review, effective_on=TODAY, decision=failed)

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.APPROVED, Status.IN_FORCE, Status.SUPERSEDED])
    def test_a_version_that_is_not_in_review_is_not_approved(self, login, coordinator, protocol, status):
        version = VersionFactory(document=protocol, status=status, effective_on=date(2026, 1, 1))
        client = login(coordinator)
        page = client.get(version_url("version-approve", version), follow=True).content.decode()
        assert "Only a version in review can be approved" in page
        response = client.post(
            version_url("version-approve", version), {"effective_on": "2027-03-01"}, follow=True
        )
        assert "Only a version in review can be approved" in response.content.decode()
        version.refresh_from_db()
        assert version.status == status
        assert steps(version) == []
        with pytest.raises(ServiceError, match="Only a version in review can be approved"):
            workflow.approve(by=coordinator, version=version, effective_on=TODAY)

    def test_an_mou_is_approved_and_waits_for_its_signatures(self, login, coordinator, agency):
        signatory = SignatoryFactory(
            version__document__task_force=agency.task_force, version__status=Status.IN_REVIEW, agency=agency
        )
        version = signatory.version
        response = login(coordinator).post(
            version_url("version-approve", version), {"effective_on": "2027-03-01"}, follow=True
        )
        version.refresh_from_db()
        assert version.status == Status.APPROVED
        assert "it goes in force once every agency has signed" in response.content.decode()

    def test_the_database_holds_one_version_in_force_per_document(self, protocol):
        in_force_version(protocol)
        second = VersionFactory(document=protocol, status=Status.APPROVED)
        with pytest.raises(IntegrityError), transaction.atomic():
            Version.objects.filter(pk=second.pk).update(status=Status.IN_FORCE)

    def test_the_database_refuses_an_expiry_before_the_effective_date(self, protocol):
        version = VersionFactory(document=protocol)
        with pytest.raises(IntegrityError), transaction.atomic():
            Version.objects.filter(pk=version.pk).update(effective_on=TODAY, expires_on=date(2027, 1, 1))

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 302),
            ("observer", 404),
            ("member", 404),
            ("lead", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_only_managers_open_the_approval_form(self, client_as, in_review, role, status):
        assert client_as(role).get(version_url("version-approve", in_review)).status_code == status


# --- retiring -----------------------------------------------------------------------------


@pytest.fixture
def in_force(protocol):
    version = in_force_version(protocol)
    protocol.next_review_on = date(2027, 1, 1)
    protocol.save(update_fields=["next_review_on"])
    return version


class TestRetire:
    def test_the_page_asks_why(self, login, coordinator, in_force):
        response = login(coordinator).get(document_url("document-retire", in_force.document))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Retire “Referral protocol”?" in page and 'name="note"' in page

    def test_retiring_retires_the_version_in_force_and_an_approved_one(
        self, login, coordinator, protocol, in_force
    ):
        waiting = VersionFactory(document=protocol, status=Status.APPROVED, effective_on=date(2027, 6, 1))
        response = login(coordinator).post(
            document_url("document-retire", protocol),
            {"note": "Replaced by the regional protocol."},
            follow=True,
        )
        in_force.refresh_from_db()
        waiting.refresh_from_db()
        protocol.refresh_from_db()
        assert "is retired" in response.content.decode()
        assert (in_force.status, waiting.status) == (Status.RETIRED, Status.RETIRED)
        assert (protocol.status, protocol.current_version, protocol.next_review_on) == (
            Status.RETIRED,
            None,
            None,
        )
        assert steps(in_force) == [(Status.IN_FORCE, Status.RETIRED, "Replaced by the regional protocol.")]

    def test_a_reason_is_required(self, login, coordinator, in_force):
        response = login(coordinator).post(document_url("document-retire", in_force.document), {"note": ""})
        in_force.refresh_from_db()
        assert response.status_code == 200
        assert "Say why the document is retired." in response.content.decode()
        assert in_force.status == Status.IN_FORCE

    def test_a_document_with_nothing_in_force_is_not_retired(self, login, coordinator, draft):
        client = login(coordinator)
        url = document_url("document-retire", draft.document)
        assert "Nothing to retire" in client.get(url, follow=True).content.decode()
        assert "Nothing to retire" in client.post(url, {"note": "Gone"}, follow=True).content.decode()
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_only_managers_retire(self, client_as, in_force, role, status):
        url = document_url("document-retire", in_force.document)
        assert client_as(role).get(url).status_code == status


# --- recording a review -------------------------------------------------------------------


class TestReviewed:
    def test_the_next_review_is_due_a_period_from_today(self, login, coordinator, protocol, in_force):
        response = login(coordinator).post(document_url("document-reviewed", protocol), follow=True)
        protocol.refresh_from_db()
        assert protocol.next_review_on == date(2028, 3, 1)
        assert "the next is due on 01 March 2028" in response.content.decode()
        assert steps(in_force) == [(Status.IN_FORCE, Status.IN_FORCE, "Reviewed")]

    def test_a_document_reviewed_without_a_period_has_no_next_review(
        self, login, coordinator, protocol, in_force
    ):
        Document.objects.filter(pk=protocol.pk).update(review_every_months=None)
        response = login(coordinator).post(document_url("document-reviewed", protocol), follow=True)
        protocol.refresh_from_db()
        assert protocol.next_review_on is None
        assert "no further review is scheduled" in response.content.decode()

    def test_a_document_not_in_force_is_not_reviewed(self, login, coordinator, draft):
        response = login(coordinator).post(document_url("document-reviewed", draft.document), follow=True)
        assert "Only a document in force is reviewed" in response.content.decode()
        assert not Transition.objects.filter(version=draft).exists()

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 302),
            ("admin", 302),
        ],
    )
    def test_only_managers_record_a_review(self, client_as, in_force, role, status):
        url = document_url("document-reviewed", in_force.document)
        assert client_as(role).post(url).status_code == status
        assert Transition.objects.filter(version=in_force).count() == (
            1 if role in ("coordinator", "admin") else 0
        )
