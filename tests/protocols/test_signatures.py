"""MOU signatures: the coordinator chooses the signatory agencies on a draft; each agency's current
lead records its outside approval, signs (typed, or with the signed page) or declines; the last
signature puts the version in force. Refusals say why and save nothing."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Membership, Role
from members.services import end_membership
from protocols.models import Document, Kind, Signatory, Status, Transition, Version
from protocols.services import documents, signatures, workflow
from taskforce.errors import ServiceError
from tests.factories import AgencyFactory, member_of

from .factories import DocumentFactory, SignatoryFactory, VersionFactory

NOW = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)
TODAY = date(2027, 3, 1)
PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name, obj):
    task_force = obj.version.document.task_force if isinstance(obj, Signatory) else obj.document.task_force
    return reverse(f"protocols:{name}", args=[task_force.slug, obj.code])


def sign_data(**overrides):
    return {
        "signer_name": "Lee Lead",
        "signer_title": "Sheriff",
        "signed_on": "2027-03-01",
        "confirm": "on",
        **overrides,
    }


@pytest.fixture
def mou(task_force):
    return DocumentFactory(
        task_force=task_force,
        kind=Kind.MOU,
        category="",
        title="Information sharing MOU",
        review_every_months=24,
    )


@pytest.fixture
def draft(mou):
    return VersionFactory(document=mou)


@pytest.fixture
def approved(mou, coordinator):
    return VersionFactory(
        document=mou, status=Status.APPROVED, effective_on=TODAY, approved_at=NOW, approved_by=coordinator
    )


@pytest.fixture
def mine(approved, agency):
    """The signature of `agency` (led by `lead`) on the approved version."""
    return SignatoryFactory(version=approved, agency=agency)


@pytest.fixture
def theirs(approved, other_agency):
    """The signature of `other_agency` (led by `lead_other`)."""
    return SignatoryFactory(version=approved, agency=other_agency)


# --- choosing the signatories -------------------------------------------------------------


class TestSignatoryList:
    def test_the_coordinator_adds_agencies_of_the_task_force(
        self, login, coordinator, draft, agency, other_agency
    ):
        client = login(coordinator)
        page = client.get(url("signatory-list", draft)).content.decode()
        assert "No signatory agencies yet" in page
        assert agency.name.replace("'", "&#x27;") in page
        response = client.post(
            url("signatory-list", draft),
            {
                "agency": str(other_agency.code),
                "needs_outside_approval": "on",
                "approving_body": "Shelter board",
            },
            follow=True,
        )
        signatory = Signatory.objects.get(version=draft)
        assert (signatory.agency, signatory.needs_outside_approval, signatory.approving_body) == (
            other_agency,
            True,
            "Shelter board",
        )
        assert "Safe Harbor Shelter is a signatory of version 1." in response.content.decode()

    def test_an_agency_already_signing_is_not_offered_again(self, login, coordinator, draft, agency):
        SignatoryFactory(version=draft, agency=agency)
        response = login(coordinator).post(url("signatory-list", draft), {"agency": str(agency.code)})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert Signatory.objects.filter(version=draft).count() == 1

    def test_the_service_refuses_an_agency_twice(self, coordinator, draft, agency):
        signatures.add_signatory(by=coordinator, version=draft, agency=agency)
        with pytest.raises(ServiceError, match="already a signatory"):
            signatures.add_signatory(by=coordinator, version=draft, agency=agency)

    def test_an_agency_of_another_task_force_is_refused(self, login, coordinator, draft, foreign_agency):
        response = login(coordinator).post(url("signatory-list", draft), {"agency": str(foreign_agency.code)})
        assert "Select a valid choice" in response.content.decode()
        with pytest.raises(ServiceError, match="not a member agency"):
            signatures.add_signatory(by=coordinator, version=draft, agency=foreign_agency)
        assert not Signatory.objects.exists()

    def test_outside_approval_needs_the_approving_body(self, login, coordinator, draft, agency):
        response = login(coordinator).post(
            url("signatory-list", draft), {"agency": str(agency.code), "needs_outside_approval": "on"}
        )
        assert "Say who must approve first" in response.content.decode()
        assert not Signatory.objects.exists()

    def test_an_agency_the_document_is_not_shared_with_is_refused(
        self, coordinator, draft, agency, other_agency
    ):
        Document.objects.filter(pk=draft.document_id).update(confidentiality="agencies")
        draft.document.refresh_from_db()
        draft.document.shared_with.add(agency)
        signatures.add_signatory(by=coordinator, version=draft, agency=agency)
        with pytest.raises(ServiceError, match="share the document with it first"):
            signatures.add_signatory(by=coordinator, version=draft, agency=other_agency)

    @pytest.mark.parametrize("status", [Status.IN_REVIEW, Status.APPROVED, Status.IN_FORCE])
    def test_signatories_are_chosen_on_drafts_only(self, login, coordinator, mou, agency, status):
        version = VersionFactory(document=mou, status=status, effective_on=TODAY)
        client = login(coordinator)
        response = client.get(url("signatory-list", version), follow=True)
        assert "Signatory agencies are chosen while the version is a draft" in response.content.decode()
        response = client.post(url("signatory-list", version), {"agency": str(agency.code)}, follow=True)
        assert "Signatory agencies are chosen while the version is a draft" in response.content.decode()
        assert not Signatory.objects.filter(version=version).exists()

    def test_a_protocol_has_no_signatories(self, login, coordinator, task_force):
        version = VersionFactory(document=DocumentFactory(task_force=task_force))
        response = login(coordinator).get(url("signatory-list", version), follow=True)
        assert "Only MOUs have signatory agencies." in response.content.decode()

    @pytest.mark.parametrize(
        ("role", "draft_status", "approved_status"),
        [
            ("anonymous", 302, 302),
            ("observer", 404, 403),
            ("member", 404, 403),
            ("lead", 404, 403),
            ("lead_other", 404, 403),
            ("other_coordinator", 404, 404),
            ("coordinator", 200, 302),
            ("admin", 200, 302),
        ],
    )
    def test_only_managers_choose_signatories(
        self, client_as, draft, approved, role, draft_status, approved_status
    ):
        client = client_as(role)
        assert client.get(url("signatory-list", draft)).status_code == draft_status
        assert client.get(url("signatory-list", approved)).status_code == approved_status


class TestSignatoryDelete:
    def test_the_coordinator_removes_an_agency_from_a_draft(self, login, coordinator, draft, agency):
        signatory = SignatoryFactory(version=draft, agency=agency)
        response = login(coordinator).post(url("signatory-delete", signatory), follow=True)
        assert not Signatory.objects.filter(pk=signatory.pk).exists()
        assert "is no longer a signatory of version 1" in response.content.decode()

    def test_an_approved_versions_signatory_stays(self, login, coordinator, mine):
        response = login(coordinator).post(url("signatory-delete", mine), follow=True)
        assert Signatory.objects.filter(pk=mine.pk).exists()
        assert "Signatory agencies are chosen while the version is a draft" in response.content.decode()

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
    def test_only_managers_remove_a_signatory(self, client_as, mine, role, status):
        assert client_as(role).post(url("signatory-delete", mine)).status_code == status
        assert Signatory.objects.filter(pk=mine.pk).exists()

    def test_it_is_a_post(self, login, coordinator, mine):
        assert login(coordinator).get(url("signatory-delete", mine)).status_code == 405


# --- outside approval ---------------------------------------------------------------------


@pytest.fixture
def needs_council(mine):
    Signatory.objects.filter(pk=mine.pk).update(needs_outside_approval=True, approving_body="City Council")
    mine.refresh_from_db()
    return mine


class TestOutsideApproval:
    def test_the_lead_records_the_day_and_then_signs(self, login, lead, needs_council):
        client = login(lead)
        page = client.get(url("signatory-approval", needs_council)).content.decode()
        assert (
            "Outside approval for Harbor County Sheriff" in page
            and "once City Council has approved it" in page
            and 'value="2027-03-01"' in page
        )
        response = client.post(
            url("signatory-approval", needs_council), {"outside_approval_on": "2027-02-20"}, follow=True
        )
        needs_council.refresh_from_db()
        assert needs_council.outside_approval_on == date(2027, 2, 20)
        assert "City Council approved on 20 February 2027" in response.content.decode()
        client.post(url("signature-sign", needs_council), sign_data())
        needs_council.refresh_from_db()
        assert needs_council.status == "signed"

    def test_the_coordinator_may_record_it_too(self, login, coordinator, needs_council):
        login(coordinator).post(
            url("signatory-approval", needs_council), {"outside_approval_on": "2027-02-20"}
        )
        needs_council.refresh_from_db()
        assert needs_council.outside_approval_on == date(2027, 2, 20)

    def test_a_future_day_is_refused(self, login, lead, needs_council):
        response = login(lead).post(
            url("signatory-approval", needs_council), {"outside_approval_on": "2027-03-02"}
        )
        assert "today or earlier" in response.content.decode()
        needs_council.refresh_from_db()
        assert needs_council.outside_approval_on is None

    def test_an_agency_that_needs_none_is_told_so(self, login, lead, mine):
        response = login(lead).get(url("signatory-approval", mine), follow=True)
        assert "needs no outside approval to sign" in response.content.decode()

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead", 200),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_the_agencys_lead_or_a_manager_records_it(self, client_as, needs_council, role, status):
        assert client_as(role).get(url("signatory-approval", needs_council)).status_code == status


# --- signing ------------------------------------------------------------------------------


class TestSign:
    def test_the_form_is_filled_with_the_leads_name_title_and_today(self, login, lead, mine):
        lead.job_title = "Sheriff"
        lead.save(update_fields=["job_title"])
        page = login(lead).get(url("signature-sign", mine)).content.decode()
        assert 'value="Lee Lead"' in page and 'value="Sheriff"' in page and 'value="2027-03-01"' in page
        assert "I am authorised to sign this MOU for Harbor County Sheriff" in page

    def test_the_lead_signs_and_everything_is_recorded(self, login, lead, mine, theirs):
        response = login(lead).post(
            url("signature-sign", mine), sign_data(signed_on="2027-02-28"), follow=True
        )
        mine.refresh_from_db()
        assert (mine.status, mine.signer, mine.signer_name, mine.signer_title) == (
            "signed",
            lead,
            "Lee Lead",
            "Sheriff",
        )
        assert (mine.signed_on, mine.answered_at, mine.ip_address) == (date(2027, 2, 28), NOW, "127.0.0.1")
        assert "You signed version 1" in response.content.decode()
        assert Version.objects.get(pk=mine.version_id).status == Status.APPROVED

    def test_the_address_is_the_one_the_request_came_from(self, login, lead, mine):
        login(lead).post(url("signature-sign", mine), sign_data(), REMOTE_ADDR="203.0.113.9")
        mine.refresh_from_db()
        assert mine.ip_address == "203.0.113.9"

    def test_the_last_signature_puts_the_version_in_force(
        self, login, lead, lead_other, mine, theirs, approved
    ):
        login(lead).post(url("signature-sign", mine), sign_data())
        response = login(lead_other).post(
            url("signature-sign", theirs), sign_data(signer_name="Olga Otherlead"), follow=True
        )
        approved.refresh_from_db()
        document = Document.objects.get(pk=approved.document_id)
        assert approved.status == Status.IN_FORCE
        assert (document.status, document.current_version, document.next_review_on) == (
            Status.IN_FORCE,
            approved,
            date(2029, 3, 1),
        )
        assert "fully executed and in force" in response.content.decode()
        step = Transition.objects.filter(version=approved).last()
        assert (step.from_status, step.to_status, step.by) == (Status.APPROVED, Status.IN_FORCE, lead_other)

    def test_the_last_signature_before_the_effective_day_leaves_it_approved(
        self, login, lead, mine, approved
    ):
        Version.objects.filter(pk=approved.pk).update(effective_on=date(2027, 4, 1))
        login(lead).post(url("signature-sign", mine), sign_data())
        approved.refresh_from_db()
        assert approved.status == Status.APPROVED

    def test_the_signed_page_is_uploaded_and_served_to_readers(self, login, lead, member, mine):
        page = SimpleUploadedFile("../../Signed page.pdf", PDF_BYTES, content_type="application/pdf")
        login(lead).post(url("signature-sign", mine), sign_data(signed_page=page))
        mine.refresh_from_db()
        assert mine.status == "signed"
        assert mine.signed_page_name == "Signed page.pdf"
        assert "Signed page" not in mine.signed_page.name
        response = login(member).get(url("signature-page", mine))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert 'filename="Signed page.pdf"' in response["Content-Disposition"]

    def test_an_executable_posing_as_a_pdf_is_refused(self, login, lead, mine):
        fake = SimpleUploadedFile("signed.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
        response = login(lead).post(url("signature-sign", mine), sign_data(signed_page=fake))
        assert response.status_code == 200
        assert "This is not a PDF file" in response.content.decode()
        mine.refresh_from_db()
        assert (mine.status, mine.signed_page.name) == ("pending", "")

    def test_a_file_over_20_mb_is_refused(self, login, lead, mine):
        big = SimpleUploadedFile("signed.pdf", b"%PDF-1.7\n" + b"0" * (25 * 1024 * 1024))
        response = login(lead).post(url("signature-sign", mine), sign_data(signed_page=big))
        assert "20 MB at most" in response.content.decode()
        mine.refresh_from_db()
        assert mine.status == "pending"

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("signer_name", "", "This field is required."),
            ("signed_on", "2027-03-02", "The date of signing is today or an earlier day."),
            ("confirm", "", "Confirm that you are authorised"),
        ],
    )
    def test_bad_input_is_refused(self, login, lead, mine, field, value, message):
        data = sign_data(**{field: value})
        if not value:
            data.pop(field)
        response = login(lead).post(url("signature-sign", mine), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        mine.refresh_from_db()
        assert mine.status == "pending"

    def test_signing_twice_is_refused(self, login, lead, mine):
        client = login(lead)
        client.post(url("signature-sign", mine), sign_data())
        response = client.post(url("signature-sign", mine), sign_data(signer_title="Deputy"), follow=True)
        assert (
            "Harbor County Sheriff&#x27;s Office has already signed this version."
            in response.content.decode()
        )
        mine.refresh_from_db()
        assert mine.signer_title == "Sheriff"

    def test_the_service_refuses_a_second_answer_from_a_stale_page(self, lead, mine):
        stale = Signatory.objects.get(pk=mine.pk)
        signatures.sign(by=lead, signatory=mine, name="Lee Lead", title="Sheriff", signed_on=TODAY)
        with pytest.raises(ServiceError, match="has already signed"):
            signatures.decline(by=lead, signatory=stale, reason="Changed my mind")
        stale.refresh_from_db()
        assert (stale.status, stale.declined_reason) == ("signed", "")

    def test_a_superseded_version_is_no_longer_open_for_signature(self, login, lead, mine, approved):
        Version.objects.filter(pk=approved.pk).update(status=Status.SUPERSEDED)
        client = login(lead)
        assert (
            "This version is no longer open for signature."
            in client.get(url("signature-sign", mine), follow=True).content.decode()
        )
        response = client.post(url("signature-sign", mine), sign_data(), follow=True)
        assert "This version is no longer open for signature." in response.content.decode()
        mine.refresh_from_db()
        assert mine.status == "pending"

    def test_a_version_in_review_is_not_open_yet(self, login, lead, task_force, agency):
        signatory = SignatoryFactory(
            version__document__task_force=task_force, version__status=Status.IN_REVIEW, agency=agency
        )
        response = login(lead).post(url("signature-sign", signatory), sign_data(), follow=True)
        assert "not open for signature yet" in response.content.decode()

    def test_an_awaited_outside_approval_stops_the_signature(self, login, lead, needs_council):
        client = login(lead)
        response = client.post(url("signature-sign", needs_council), sign_data(), follow=True)
        assert "needs the approval of City Council before it signs" in response.content.decode()
        needs_council.refresh_from_db()
        assert needs_council.status == "pending"

    def test_the_service_refuses_anyone_but_the_agencys_lead(self, coordinator, admin, lead_other, mine):
        for person in (coordinator, admin, lead_other):
            with pytest.raises(ServiceError, match="Only the current lead"):
                signatures.sign(by=person, signatory=mine, name="X", title="Y", signed_on=TODAY)
        mine.refresh_from_db()
        assert mine.status == "pending"

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead", 200),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 403),
            ("admin", 403),
        ],
    )
    def test_only_the_agencys_lead_opens_the_form(self, client_as, mine, role, status):
        assert client_as(role).get(url("signature-sign", mine)).status_code == status

    @pytest.mark.parametrize("role", ["observer", "member", "lead_other", "coordinator", "admin"])
    def test_nobody_else_signs_for_the_agency(self, client_as, mine, role):
        assert client_as(role).post(url("signature-sign", mine), sign_data()).status_code == 403
        mine.refresh_from_db()
        assert mine.status == "pending"


# --- declining ----------------------------------------------------------------------------


class TestDecline:
    def test_the_lead_declines_with_a_reason(self, login, lead_other, theirs, approved):
        response = login(lead_other).post(
            url("signature-decline", theirs),
            {"reason": "Our board wants a data retention clause."},
            follow=True,
        )
        theirs.refresh_from_db()
        assert (theirs.status, theirs.signer, theirs.declined_reason) == (
            "declined",
            lead_other,
            "Our board wants a data retention clause.",
        )
        assert (theirs.answered_at, theirs.ip_address) == (NOW, "127.0.0.1")
        page = response.content.decode()
        assert "Safe Harbor Shelter declined version 1" in page
        assert "Our board wants a data retention clause." in page
        approved.refresh_from_db()
        assert approved.status == Status.APPROVED

    def test_a_reason_is_required(self, login, lead_other, theirs):
        response = login(lead_other).post(url("signature-decline", theirs), {"reason": "  "})
        assert "Say why the agency declines." in response.content.decode()
        theirs.refresh_from_db()
        assert theirs.status == "pending"

    def test_a_declined_signature_cannot_then_be_signed(self, login, lead_other, theirs):
        client = login(lead_other)
        client.post(url("signature-decline", theirs), {"reason": "No."})
        response = client.post(url("signature-sign", theirs), sign_data(), follow=True)
        assert "Safe Harbor Shelter has already declined this version." in response.content.decode()
        theirs.refresh_from_db()
        assert theirs.status == "declined"

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead", 403),
            ("lead_other", 200),
            ("other_coordinator", 404),
            ("coordinator", 403),
            ("admin", 403),
        ],
    )
    def test_only_the_agencys_lead_declines(self, client_as, theirs, role, status):
        assert client_as(role).get(url("signature-decline", theirs)).status_code == status


# --- the signed page ----------------------------------------------------------------------


class TestSignedPage:
    @pytest.fixture
    def signed(self, lead, mine):
        page = SimpleUploadedFile("signed.pdf", PDF_BYTES)
        signatures.sign(
            by=lead, signatory=mine, name="Lee Lead", title="Sheriff", signed_on=TODAY, signed_page=page,
            page_name="signed.pdf",
        )  # fmt: skip
        mine.refresh_from_db()
        return mine

    def test_a_signature_without_a_page_has_none_to_download(self, login, member, mine):
        assert login(member).get(url("signature-page", mine)).status_code == 404

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 302),
            ("observer", 200),
            ("member", 200),
            ("lead", 200),
            ("lead_other", 200),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_readers_of_the_version_download_it(self, client_as, signed, role, status):
        assert client_as(role).get(url("signature-page", signed)).status_code == status

    def test_readers_of_a_core_document_only(self, login, observer, lead, signed):
        Document.objects.filter(pk=signed.version.document_id).update(confidentiality="core")
        assert login(observer).get(url("signature-page", signed)).status_code == 404
        assert login(lead).get(url("signature-page", signed)).status_code == 200


# --- the whole story ----------------------------------------------------------------------


def test_an_mou_from_draft_to_fully_executed_in_its_second_version(
    login, coordinator, task_force, agency, other_agency
):
    third_agency = AgencyFactory(task_force=task_force, name="County Prosecutor")
    leads = {
        agency: member_of(agency, Role.AGENCY_LEAD, full_name="Lee Lead"),
        other_agency: member_of(other_agency, Role.AGENCY_LEAD, full_name="Olga Otherlead"),
        third_agency: member_of(third_agency, Role.AGENCY_LEAD, full_name="Pat Prosecutor"),
    }
    mou = DocumentFactory(task_force=task_force, kind=Kind.MOU, category="", title="Regional MOU")
    v1 = VersionFactory(document=mou, body="# Parties\n\nThree agencies.")
    manager = login(coordinator)
    for signing_agency in leads:
        manager.post(url("signatory-list", v1), {"agency": str(signing_agency.code)})
    manager.post(url("version-submit", v1))
    manager.post(url("version-approve", v1), {"effective_on": "2027-03-01", "expires_on": "2030-03-01"})
    v1.refresh_from_db()
    assert v1.status == Status.APPROVED

    rows = {s.agency: s for s in Signatory.objects.filter(version=v1)}
    login(leads[agency]).post(url("signature-sign", rows[agency]), sign_data())
    login(leads[third_agency]).post(
        url("signature-sign", rows[third_agency]), sign_data(signer_name="Pat Prosecutor")
    )
    login(leads[other_agency]).post(
        url("signature-decline", rows[other_agency]), {"reason": "Needs a data clause."}
    )
    assert sorted(Signatory.objects.filter(version=v1).values_list("status", flat=True)) == [
        "declined",
        "signed",
        "signed",
    ]
    v1.refresh_from_db()
    assert v1.status == Status.APPROVED
    page = manager.get(url("version-detail", v1)).content.decode()
    assert "Needs a data clause." in page and "Fully executed" not in page
    assert "Safe Harbor Shelter declined to sign: this version cannot go in force." in page

    v2 = documents.create_version(mou, by=coordinator, change_summary="Adds the data clause.")
    assert sorted(Signatory.objects.filter(version=v2).values_list("status", flat=True)) == ["pending"] * 3
    manager.post(url("version-submit", v2))
    manager.post(url("version-approve", v2), {"effective_on": "2027-03-01"})
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (Status.SUPERSEDED, Status.APPROVED)

    rows = {s.agency: s for s in Signatory.objects.filter(version=v2)}
    for signing_agency, person in leads.items():
        response = login(person).post(
            url("signature-sign", rows[signing_agency]), sign_data(signer_name=person.full_name)
        )
        assert response.status_code == 302
    v2.refresh_from_db()
    mou.refresh_from_db()
    assert v2.status == Status.IN_FORCE
    assert (mou.status, mou.current_version) == (Status.IN_FORCE, v2)
    assert workflow.is_fully_executed(v2)
    page = manager.get(url("version-detail", v2)).content.decode()
    assert "Fully executed" in page
    assert "Every signatory agency has signed version 2." in page
    # The declined answer on version 1 stays as it was: a record of what happened.
    old = Signatory.objects.get(version=v1, agency=other_agency)
    assert (old.status, old.declined_reason) == ("declined", "Needs a data clause.")


def test_a_new_lead_inherits_the_pending_signature_and_the_old_one_loses_it(
    login, coordinator, lead, agency, mine
):
    membership = Membership.objects.get(user=lead, agency=agency, role=Role.AGENCY_LEAD)
    end_membership(by=coordinator, membership=membership, ended_on=TODAY, reason="Retired")
    new_lead = member_of(agency, Role.AGENCY_LEAD, full_name="Nia Newlead")

    mine_page = login(new_lead).get(reverse("protocols:needs-my-signature", args=["harbor"])).content.decode()
    assert "Information sharing MOU" in mine_page
    old = login(lead)
    assert old.get(url("signature-sign", mine)).status_code in (403, 404)
    assert old.post(url("signature-sign", mine), sign_data()).status_code in (403, 404)
    mine.refresh_from_db()
    assert mine.status == "pending"

    login(new_lead).post(url("signature-sign", mine), sign_data(signer_name="Nia Newlead"))
    mine.refresh_from_db()
    assert (mine.status, mine.signer, mine.signer_name) == ("signed", new_lead, "Nia Newlead")
