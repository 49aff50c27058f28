"""New versions and editing a draft: numbering, the copied text and signatories, refusals while a
version is open or no longer a draft, and two coordinators saving the same draft at once."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from protocols.models import Kind, Signatory, Status, Transition, Version
from protocols.services.documents import DocumentError, create_version
from taskforce.forms import STALE_EDIT_MESSAGE
from tests.factories import AgencyFactory

from .factories import DocumentFactory, SignatoryFactory, VersionFactory

BODY = "# Purpose\n\nRefer a potential victim within **24 hours**.\n"


@pytest.fixture
def protocol(task_force, agency):
    """One protocol for all members, version 1 in force."""
    document = DocumentFactory(task_force=task_force, title="Referral protocol", owner_agency=agency)
    VersionFactory(document=document, status=Status.IN_FORCE, effective_on=date(2026, 1, 1), body=BODY)
    document.refresh_from_db()
    return document


@pytest.fixture
def draft(protocol, coordinator):
    return VersionFactory(document=protocol, body=BODY, change_summary="Shorter deadline", author=coordinator)


def said(response):
    """The messages the response left for the next page."""
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def create_url(document):
    return reverse("protocols:version-create", args=[document.task_force.slug, document.code])


def update_url(version):
    return reverse("protocols:version-update", args=[version.document.task_force.slug, version.code])


def edit(version, **changes):
    return {
        "change_summary": version.change_summary,
        "body": version.body,
        "version": version.version,
        **changes,
    }


class TestStartingAVersion:
    def test_it_starts_a_draft_numbered_after_the_newest_from_its_text(self, login, protocol, coordinator):
        client = login(coordinator)
        page = client.get(create_url(protocol)).content.decode()
        assert "Refer a potential victim within **24 hours**." in page
        response = client.post(
            create_url(protocol), {"change_summary": "Shorter deadline", "body": BODY.replace("24", "12")}
        )
        version = protocol.versions.get(number=2)
        assert response.status_code == 302
        assert response["Location"] == version.get_absolute_url()
        assert (version.status, version.author, version.change_summary) == (
            Status.DRAFT,
            coordinator,
            "Shorter deadline",
        )
        assert "12 hours" in version.body
        assert Transition.objects.filter(version=version, from_status="", to_status=Status.DRAFT).exists()
        protocol.refresh_from_db()
        assert (protocol.status, protocol.current_version.number) == (Status.IN_FORCE, 1)

    def test_the_service_copies_the_newest_text_by_default(self, protocol, coordinator):
        version = create_version(protocol, by=coordinator, change_summary="Yearly review")
        assert (version.number, version.body) == (2, BODY)

    def test_a_new_mou_version_asks_the_same_agencies_to_sign_again(
        self, login, task_force, agency, other_agency, coordinator, lead
    ):
        mou = DocumentFactory(task_force=task_force, kind=Kind.MOU, category="")
        first = VersionFactory(document=mou, status=Status.IN_FORCE, effective_on=date(2026, 1, 1))
        Signatory.objects.create(
            version=first,
            agency=agency,
            needs_outside_approval=True,
            approving_body="City Council",
            outside_approval_on=date(2025, 12, 1),
        )
        signed = SignatoryFactory(version=first, agency=other_agency)
        Signatory.objects.filter(pk=signed.pk).update(
            status=Signatory.SignatureStatus.SIGNED,
            signer=lead,
            signer_name="Lee Lead",
            signed_on=date(2026, 1, 2),
        )
        response = login(coordinator).post(create_url(mou), {"change_summary": "Renewal", "body": "New text"})
        assert "sign again" in said(response)
        second = mou.versions.get(number=2)
        copied = {s.agency: s for s in second.signatories.all()}
        assert set(copied) == {agency, other_agency}
        council = copied[agency]
        assert (council.needs_outside_approval, council.approving_body, council.outside_approval_on) == (
            True,
            "City Council",
            None,
        )
        fresh = copied[other_agency]
        assert (fresh.status, fresh.signer, fresh.signer_name, fresh.signed_on) == (
            Signatory.SignatureStatus.PENDING,
            None,
            "",
            None,
        )
        assert first.signatories.get(agency=other_agency).status == Signatory.SignatureStatus.SIGNED

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
    def test_it_is_refused_while_a_version_is_open(self, login, protocol, coordinator, status):
        VersionFactory(document=protocol, status=status)
        client = login(coordinator)
        response = client.post(create_url(protocol), {"change_summary": "Another", "body": "x"})
        expected = (
            "edit that draft" if status == Status.DRAFT else "return it to draft before starting another"
        )
        assert response["Location"] == protocol.get_absolute_url()
        assert "Version 2 is" in said(response) and expected in said(response)
        assert protocol.versions.count() == 2
        assert client.get(create_url(protocol))["Location"] == protocol.get_absolute_url()

    def test_the_service_refuses_too(self, protocol, draft, coordinator):
        with pytest.raises(DocumentError, match="still a draft"):
            create_version(protocol, by=coordinator, change_summary="Another")
        assert protocol.versions.count() == 2

    def test_a_change_summary_is_required(self, login, protocol, coordinator):
        response = login(coordinator).post(create_url(protocol), {"change_summary": "", "body": "x"})
        assert response.status_code == 200
        assert protocol.versions.count() == 1

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_who_may_open_the_form(self, client_as, protocol, who, status):
        assert client_as(who).get(create_url(protocol)).status_code == status

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
        ],
    )
    def test_nobody_else_may_start_one(self, client_as, protocol, who, status):
        response = client_as(who).post(create_url(protocol), {"change_summary": "Mine", "body": "x"})
        assert response.status_code == status
        assert protocol.versions.count() == 1


class TestEditingADraft:
    def test_a_coordinator_saves_the_draft(self, login, draft, coordinator):
        response = login(coordinator).post(
            update_url(draft), edit(draft, body="# Purpose\n\nWithin 12 hours.", change_summary="12 hours")
        )
        assert response.status_code == 302
        assert response["Location"] == draft.get_absolute_url()
        draft.refresh_from_db()
        assert (draft.body, draft.change_summary, draft.version) == (
            "# Purpose\n\nWithin 12 hours.",
            "12 hours",
            2,
        )

    def test_two_coordinators_saving_the_same_draft_the_second_is_told_and_the_first_kept(
        self, login, draft, coordinator, co_chair
    ):
        first = edit(draft, body="The coordinator's wording.")
        second = edit(draft, body="The co-chair's wording.")
        assert first["version"] == second["version"]
        assert login(coordinator).post(update_url(draft), first).status_code == 302
        response = login(co_chair).post(update_url(draft), second)
        assert response.status_code == 200
        page = response.content.decode()
        assert STALE_EDIT_MESSAGE.replace("'", "&#x27;") in page
        assert "The co-chair&#x27;s wording." in page  # their text is still in the form, not lost
        draft.refresh_from_db()
        assert draft.body == "The coordinator's wording."

    @pytest.mark.parametrize(
        "status", [Status.IN_REVIEW, Status.APPROVED, Status.IN_FORCE, Status.SUPERSEDED]
    )
    def test_only_a_draft_can_be_edited(self, login, protocol, coordinator, status):
        version = protocol.versions.get() if status == Status.IN_FORCE else VersionFactory(document=protocol)
        Version.objects.filter(pk=version.pk).update(status=status)
        client = login(coordinator)
        response = client.get(update_url(version))
        assert response.status_code == 302
        assert response["Location"] == version.get_absolute_url()
        response = client.post(update_url(version), edit(version, body="Changed after the fact"))
        assert response.status_code == 302
        version.refresh_from_db()
        assert version.body != "Changed after the fact"

    def test_a_draft_sent_to_review_while_being_edited_is_not_changed(self, login, draft, coordinator):
        form = edit(draft, body="Late change")
        Version.objects.filter(pk=draft.pk).update(status=Status.IN_REVIEW)
        response = login(coordinator).post(update_url(draft), form)
        assert response["Location"] == draft.get_absolute_url()
        assert "in review: return it to draft to edit it" in said(response)
        draft.refresh_from_db()
        assert (draft.body, draft.status) == (BODY, Status.IN_REVIEW)

    def test_the_page_previews_the_saved_text(self, login, draft, coordinator):
        page = login(coordinator).get(update_url(draft)).content.decode()
        assert "<h2>Purpose</h2>" in page and "<strong>24 hours</strong>" in page

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 404),
            ("member", 404),
            ("lead_other", 404),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_who_may_open_a_draft(self, client_as, draft, who, status):
        assert client_as(who).get(update_url(draft)).status_code == status

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 302),
            ("admin", 302),
        ],
    )
    def test_who_may_open_the_version_in_force(self, client_as, protocol, who, status):
        version = protocol.versions.get()
        assert client_as(who).get(update_url(version)).status_code == status

    def test_a_draft_of_another_documents_task_force_is_not_found(self, login, other_task_force, coordinator):
        version = VersionFactory(document=DocumentFactory(task_force=other_task_force))
        assert login(coordinator).get(update_url(version)).status_code == 404

    def test_its_query_count_does_not_depend_on_signatories(
        self, login, task_force, coordinator, queries_to_get
    ):
        version = VersionFactory(document=DocumentFactory(task_force=task_force, kind=Kind.MOU, category=""))
        client = login(coordinator)
        client.get(update_url(version))
        few = queries_to_get(client, update_url(version))
        for _ in range(5):
            SignatoryFactory(version=version, agency=AgencyFactory(task_force=task_force))
        assert queries_to_get(client, update_url(version)) == few
