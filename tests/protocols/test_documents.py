"""Writing a document: creating it with its first draft, editing its details (two coordinators at once
included) and reading its history."""

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfWriter

from protocols.models import Confidentiality, Document, Kind, Status, Transition, Version
from taskforce.forms import STALE_EDIT_MESSAGE
from taskforce.taxonomy import Population
from tests.factories import AgencyFactory

from .factories import DocumentFactory, SignatoryFactory, VersionFactory

ROLES = [
    ("anonymous", 302),
    ("observer", 403),
    ("member", 403),
    ("lead_other", 403),
    ("other_coordinator", 404),
    ("coordinator", 200),
    ("admin", 200),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def protocol(task_force, agency):
    """One protocol for all members, in force."""
    document = DocumentFactory(task_force=task_force, title="Referral protocol", owner_agency=agency)
    VersionFactory(document=document, status=Status.IN_FORCE, effective_on=date(2026, 1, 1))
    document.refresh_from_db()
    return document


def small_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def create_url(task_force):
    return reverse("protocols:document-create", args=[task_force.slug])


def update_url(document):
    return reverse("protocols:document-update", args=[document.task_force.slug, document.code])


def history_url(document):
    return reverse("protocols:document-history", args=[document.task_force.slug, document.code])


def new_document(**changes):
    data = {
        "kind": Kind.PROTOCOL,
        "category": "referral",
        "title": "Victim identification protocol",
        "summary": "How agencies recognise a potential victim.",
        "owner_agency": "",
        "covers_sex_trafficking": "on",
        "covers_labour_trafficking": "on",
        "confidentiality": Confidentiality.ALL_MEMBERS,
        "review_every_months": "12",
        "body": "# Purpose\n\nRecognise the signs.",
        "change_summary": "First draft",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def details(document, **changes):
    data = {
        "kind": document.kind,
        "category": document.category,
        "title": document.title,
        "summary": document.summary,
        "owner_agency": document.owner_agency_id or "",
        "covers_sex_trafficking": "on" if document.trafficking_type in ("sex", "both") else "",
        "covers_labour_trafficking": "on" if document.trafficking_type in ("labour", "both") else "",
        "populations": document.populations,
        "confidentiality": document.confidentiality,
        "shared_with": [agency.pk for agency in document.shared_with.all()],
        "review_every_months": document.review_every_months or "",
        "version": document.version,
    }
    data.update(changes)
    return data


class TestCreating:
    def test_a_coordinator_creates_a_document_with_its_first_draft(
        self, login, task_force, agency, coordinator
    ):
        response = login(coordinator).post(
            create_url(task_force),
            new_document(owner_agency=agency.pk, populations=[Population.MINORS, Population.ADULTS]),
        )
        document = Document.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "protocols:document-detail", args=[task_force.slug, document.code]
        )
        assert (document.task_force, document.kind, document.category, document.owner_agency) == (
            task_force,
            Kind.PROTOCOL,
            "referral",
            agency,
        )
        assert document.populations == [Population.MINORS, Population.ADULTS]
        assert (document.status, document.current_version, document.created_by) == (
            Status.DRAFT,
            None,
            coordinator,
        )
        version = document.versions.get()
        assert (version.number, version.status, version.author, version.change_summary) == (
            1,
            Status.DRAFT,
            coordinator,
            "First draft",
        )
        assert version.body == "# Purpose\n\nRecognise the signs."
        transition = Transition.objects.get()
        assert (transition.version, transition.from_status, transition.to_status, transition.by) == (
            version,
            "",
            Status.DRAFT,
            coordinator,
        )

    def test_the_form_offers_the_task_forces_agencies_and_first_draft_as_summary(
        self, login, task_force, agency, foreign_agency, coordinator
    ):
        response = login(coordinator).get(create_url(task_force))
        assert response.status_code == 200
        page = response.content.decode()
        assert escape(agency.name) in page and escape(foreign_agency.name) not in page
        assert 'value="First draft"' in page

    def test_the_category_of_another_kind_is_dropped(self, login, task_force, coordinator):
        login(coordinator).post(create_url(task_force), new_document(kind=Kind.CHARTER, category="media"))
        assert Document.objects.get().category == ""

    def test_a_document_for_named_agencies_keeps_them(
        self, login, task_force, agency, other_agency, coordinator
    ):
        login(coordinator).post(
            create_url(task_force),
            new_document(confidentiality=Confidentiality.AGENCIES, shared_with=[other_agency.pk]),
        )
        assert list(Document.objects.get().shared_with.all()) == [other_agency]

    def test_shared_with_is_cleared_for_other_confidentialities(self, login, task_force, agency, coordinator):
        login(coordinator).post(
            create_url(task_force),
            new_document(confidentiality=Confidentiality.CORE, shared_with=[agency.pk]),
        )
        assert not Document.objects.get().shared_with.exists()

    def test_a_pdf_is_stored_under_media_root_with_a_clean_name(
        self, login, task_force, coordinator, media_root
    ):
        upload = SimpleUploadedFile("../MOU signed.pdf", small_pdf(), content_type="application/pdf")
        login(coordinator).post(create_url(task_force), new_document(body="", file=upload))
        version = Version.objects.get()
        assert (version.file_name, version.file_content_type, version.file_size) == (
            "MOU signed.pdf",
            "application/pdf",
            len(small_pdf()),
        )
        stored = Path(version.file.path)
        assert stored.is_file() and stored.is_relative_to(media_root)
        assert "MOU" not in stored.name and "static" not in stored.parts

    @pytest.mark.parametrize(("who", "status"), ROLES)
    def test_who_may_open_the_form(self, client_as, task_force, who, status):
        assert client_as(who).get(create_url(task_force)).status_code == status

    @pytest.mark.parametrize(("who", "status"), [*ROLES[:5], ("coordinator", 302), ("admin", 302)])
    def test_who_may_create(self, client_as, task_force, who, status):
        response = client_as(who).post(create_url(task_force), new_document())
        assert response.status_code == status
        assert Document.objects.exists() is (status == 302 and who in ("coordinator", "admin"))


class TestBadInput:
    def post(self, login, coordinator, task_force, **changes):
        return login(coordinator).post(create_url(task_force), new_document(**changes))

    def assert_refused(self, response, message):
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Document.objects.exists() and not Version.objects.exists()

    def test_a_protocol_needs_a_category(self, login, task_force, coordinator):
        self.assert_refused(
            self.post(login, coordinator, task_force, category=""), "Choose what the protocol is about."
        )

    def test_named_agencies_need_agencies(self, login, task_force, coordinator):
        response = self.post(login, coordinator, task_force, confidentiality=Confidentiality.AGENCIES)
        self.assert_refused(response, "Choose the agencies whose people may read it.")

    def test_another_task_forces_agency_is_refused(self, login, task_force, foreign_agency, coordinator):
        response = self.post(
            login,
            coordinator,
            task_force,
            confidentiality=Confidentiality.AGENCIES,
            shared_with=[foreign_agency.pk],
            owner_agency=foreign_agency.pk,
        )
        self.assert_refused(response, "Select a valid choice")

    def test_it_covers_at_least_one_kind_of_trafficking(self, login, task_force, coordinator):
        response = self.post(
            login, coordinator, task_force, covers_sex_trafficking=None, covers_labour_trafficking=None
        )
        self.assert_refused(response, "Tick at least one")

    def test_a_review_period_of_zero_months_is_refused(self, login, task_force, coordinator):
        self.assert_refused(
            self.post(login, coordinator, task_force, review_every_months="0"), "greater than"
        )

    def test_a_renamed_executable_posing_as_a_pdf_is_refused(
        self, login, task_force, coordinator, media_root
    ):
        executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
        upload = SimpleUploadedFile("protocol.pdf", executable, content_type="application/pdf")
        self.assert_refused(
            self.post(login, coordinator, task_force, file=upload), "This is not a PDF or Word file"
        )
        assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))

    def test_a_file_over_20_mb_is_refused(self, login, task_force, coordinator, monkeypatch):
        monkeypatch.setattr("taskforce.uploads.MAX_UPLOAD_BYTES", 1024)
        upload = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 2048, content_type="application/pdf")
        self.assert_refused(self.post(login, coordinator, task_force, file=upload), "MB at most")

    def test_a_25_mb_file_is_refused_at_the_real_limit(self, login, task_force, coordinator):
        upload = SimpleUploadedFile(
            "big.pdf", b"%PDF-1.7\n" + b"0" * (25 * 1024 * 1024), content_type="application/pdf"
        )
        self.assert_refused(
            self.post(login, coordinator, task_force, file=upload), "files can be 20 MB at most"
        )

    def test_a_failure_after_the_file_is_stored_leaves_nothing_behind(
        self, login, task_force, coordinator, media_root, monkeypatch
    ):
        def fail(*args, **kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr("protocols.services.documents._record", fail)
        upload = SimpleUploadedFile("protocol.pdf", small_pdf(), content_type="application/pdf")
        with pytest.raises(RuntimeError):
            self.post(login, coordinator, task_force, file=upload)
        assert not Document.objects.exists() and not Version.objects.exists()
        assert not any(path.is_file() for path in media_root.rglob("*"))


class TestUpdating:
    def test_a_coordinator_edits_the_details(self, login, protocol, other_agency, coordinator):
        response = login(coordinator).post(
            update_url(protocol),
            details(
                protocol,
                title="Referral protocol (2027)",
                confidentiality=Confidentiality.AGENCIES,
                shared_with=[other_agency.pk],
            ),
        )
        assert response.status_code == 302
        assert response["Location"] == protocol.get_absolute_url()
        protocol.refresh_from_db()
        assert protocol.title == "Referral protocol (2027)"
        assert list(protocol.shared_with.all()) == [other_agency]
        assert protocol.version == 2

    @pytest.mark.parametrize(
        ("sex", "labour", "stored"), [("on", "", "sex"), ("", "on", "labour"), ("on", "on", "both")]
    )
    def test_the_two_ticks_store_one_trafficking_type(
        self, login, protocol, coordinator, sex, labour, stored
    ):
        changes = {"covers_sex_trafficking": sex, "covers_labour_trafficking": labour}
        assert login(coordinator).post(update_url(protocol), details(protocol, **changes)).status_code == 302
        protocol.refresh_from_db()
        assert protocol.trafficking_type == stored

    def test_the_form_ticks_what_the_document_covers(self, login, protocol, coordinator):
        Document.objects.filter(pk=protocol.pk).update(trafficking_type="labour")
        form = login(coordinator).get(update_url(protocol)).context["form"]
        assert (form["covers_sex_trafficking"].value(), form["covers_labour_trafficking"].value()) == (
            False,
            True,
        )

    def test_saving_details_never_touches_the_workflows_columns(self, login, protocol, coordinator):
        form = details(protocol, title="Renamed")
        # Meanwhile the workflow retires it (without bumping the edit counter).
        Version.objects.filter(document=protocol).update(status=Status.RETIRED)
        Document.objects.filter(pk=protocol.pk).update(status=Status.RETIRED, current_version=None)
        login(coordinator).post(update_url(protocol), form)
        protocol.refresh_from_db()
        assert (protocol.title, protocol.status, protocol.current_version) == (
            "Renamed",
            Status.RETIRED,
            None,
        )

    def test_two_coordinators_editing_at_once_the_second_is_told(
        self, login, protocol, coordinator, co_chair
    ):
        first, second = details(protocol, title="First title"), details(protocol, title="Second title")
        assert login(coordinator).post(update_url(protocol), first).status_code == 302
        response = login(co_chair).post(update_url(protocol), second)
        assert response.status_code == 200
        assert STALE_EDIT_MESSAGE in response.content.decode()
        protocol.refresh_from_db()
        assert protocol.title == "First title"

    def test_the_kind_is_fixed_once_a_version_went_to_review(self, login, protocol, coordinator):
        login(coordinator).post(update_url(protocol), details(protocol, kind=Kind.MOU))
        protocol.refresh_from_db()
        assert protocol.kind == Kind.PROTOCOL

    def test_the_kind_of_a_draft_document_can_change(self, login, task_force, coordinator):
        document = DocumentFactory(task_force=task_force)
        VersionFactory(document=document)
        login(coordinator).post(update_url(document), details(document, kind=Kind.MOU))
        document.refresh_from_db()
        assert (document.kind, document.category) == (Kind.MOU, "")

    def test_a_new_review_period_counts_from_the_day_it_took_effect(self, login, protocol, coordinator):
        login(coordinator).post(update_url(protocol), details(protocol, review_every_months="6"))
        protocol.refresh_from_db()
        assert (protocol.review_every_months, protocol.next_review_on) == (6, date(2026, 7, 1))

    def test_a_new_review_period_counts_from_the_last_review(self, login, protocol, coordinator):
        with time_machine.travel(datetime(2026, 9, 1, 15, tzinfo=UTC), tick=False):
            Transition.objects.create(
                version=protocol.current_version,
                from_status=Status.IN_FORCE,
                to_status=Status.IN_FORCE,
                by=coordinator,
                note="Reviewed",
            )
        login(coordinator).post(update_url(protocol), details(protocol, review_every_months="12"))
        protocol.refresh_from_db()
        assert protocol.next_review_on == date(2027, 9, 1)

    def test_no_review_period_means_no_review_date(self, login, protocol, coordinator):
        Document.objects.filter(pk=protocol.pk).update(
            review_every_months=12, next_review_on=date(2027, 1, 1)
        )
        protocol.refresh_from_db()
        login(coordinator).post(update_url(protocol), details(protocol, review_every_months=""))
        protocol.refresh_from_db()
        assert (protocol.review_every_months, protocol.next_review_on) == (None, None)

    def test_bad_input_shows_the_saved_title_in_the_header(self, login, protocol, coordinator):
        response = login(coordinator).post(
            update_url(protocol), details(protocol, title="", kind=Kind.PROTOCOL)
        )
        assert response.status_code == 200
        assert '<h1 class="h3 mb-3">Edit “Referral protocol”</h1>' in response.content.decode()

    @pytest.mark.parametrize(("who", "status"), ROLES)
    def test_who_may_open_the_form(self, client_as, protocol, who, status):
        assert client_as(who).get(update_url(protocol)).status_code == status

    @pytest.mark.parametrize(("who", "status"), ROLES[:5])
    def test_nobody_else_may_save(self, client_as, protocol, who, status):
        response = client_as(who).post(update_url(protocol), details(protocol, title="Hijacked"))
        assert response.status_code == status
        protocol.refresh_from_db()
        assert protocol.title == "Referral protocol"

    def test_a_document_the_person_may_not_read_is_not_found(self, login, task_force, member):
        core = DocumentFactory(task_force=task_force, confidentiality=Confidentiality.CORE)
        VersionFactory(document=core, status=Status.IN_FORCE)
        assert login(member).get(update_url(core)).status_code == 404


class TestHistory:
    def test_it_lists_changes_to_the_document_and_its_versions(self, login, task_force, coordinator):
        login(coordinator).post(create_url(task_force), new_document(title="Media policy", kind=Kind.POLICY))
        document = Document.objects.get()
        login(coordinator).post(update_url(document), details(document, title="Media and press policy"))
        response = login(coordinator).get(history_url(document))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Media policy" in page and "Media and press policy" in page
        assert "version 1" in page and "created" in page

    def test_records_it_points_to_are_named_not_numbered(self, login, protocol, other_agency, coordinator):
        login(coordinator).post(update_url(protocol), details(protocol, owner_agency=other_agency.pk))
        version = protocol.versions.get()
        version.approved_by = coordinator
        version.save()
        page = login(coordinator).get(history_url(protocol)).content.decode()
        assert (
            f"<del>{escape(protocol.owner_agency.name)}</del> → <ins>{escape(other_agency.name)}</ins>"
            in page
        )
        assert "approved by</span>: <del>—</del> → <ins>Cora Coordinator</ins>" in page

    def test_a_long_text_is_cut_short(self, login, task_force, coordinator):
        document = DocumentFactory(task_force=task_force)
        version = VersionFactory(document=document, body="short")
        version.body = "word " * 400
        version.save()
        page = login(coordinator).get(history_url(document)).content.decode()
        assert "word " * 20 in page and "word " * 30 not in page

    def test_signatories_show_with_their_agency(self, login, task_force, agency, coordinator):
        signatory = SignatoryFactory(version__document__task_force=task_force, agency=agency)
        response = login(coordinator).get(history_url(signatory.version.document))
        assert f"for {escape(agency.name)}" in response.content.decode()

    @pytest.mark.parametrize(("who", "status"), ROLES)
    def test_who_may_read_it(self, client_as, protocol, who, status):
        assert client_as(who).get(history_url(protocol)).status_code == status

    def test_its_query_count_does_not_grow_with_signatories(
        self, login, task_force, coordinator, queries_to_get
    ):
        version = VersionFactory(document=DocumentFactory(task_force=task_force, kind=Kind.MOU, category=""))
        client = login(coordinator)

        def add(count):
            for _ in range(count):
                SignatoryFactory(version=version, agency=AgencyFactory(task_force=task_force))

        add(2)
        client.get(history_url(version.document))
        few = queries_to_get(client, history_url(version.document))
        add(10)
        assert queries_to_get(client, history_url(version.document)) == few
