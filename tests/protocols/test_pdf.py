"""A version as PDF, made by the exports engine: its title page and approval, its text through the
Markdown sanitiser, an MOU's signature page; only its readers get it, and the PDF engine reads
nothing but static files."""

import io
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from protocols.models import Confidentiality, Kind, Signatory, Status
from taskforce import pdf as pdf_module
from taskforce.pdf import ResourceRefused, static_only_url_fetcher
from tests.conftest import export_pdf, pdf_bytes
from tests.factories import AgencyFactory
from tests.meetings.factories import DecisionFactory, MeetingFactory

from .factories import DocumentFactory, SignatoryFactory, VersionFactory

MOU_TITLE = "Victim services referral MOU"
BODY = (
    "# Purpose\n\nEvery agency refers a potential victim within **24 hours**.\n\n"
    "## Steps\n\n- Call the hotline\n- Tell the coordinator\n"
)
SIGNED, PENDING, DECLINED = (Signatory.SignatureStatus.SIGNED, Signatory.SignatureStatus.PENDING,
                             Signatory.SignatureStatus.DECLINED)  # fmt: skip


@pytest.fixture
def mou(task_force, agency, coordinator):
    return DocumentFactory(
        task_force=task_force,
        kind=Kind.MOU,
        category="",
        title=MOU_TITLE,
        summary="Who refers whom, and how fast.",
        owner_agency=agency,
        confidentiality=Confidentiality.ALL_MEMBERS,
    )


@pytest.fixture
def approved(mou, coordinator, agency, other_agency, lead, lead_other):
    meeting = MeetingFactory(
        task_force=mou.task_force, organiser=coordinator, title="June task force meeting"
    )
    decision = DecisionFactory(meeting=meeting, motion="Adopt the referral MOU.")
    version = VersionFactory(
        document=mou,
        body=BODY,
        change_summary="First text.",
        author=coordinator,
        status=Status.APPROVED,
        effective_on=date(2026, 7, 1),
        expires_on=date(2028, 6, 30),
        approved_by=coordinator,
        approved_at=datetime(2026, 6, 10, 14, 30, tzinfo=UTC),  # 10:30 in New York
        approval_decision=decision,
    )
    SignatoryFactory(
        version=version,
        agency=agency,
        status=SIGNED,
        signer=lead,
        signer_name="Lee Lead",
        signer_title="Sheriff",
        signed_on=date(2026, 6, 12),
    )
    SignatoryFactory(
        version=version,
        agency=other_agency,
        status=DECLINED,
        declined_reason="Our board has not seen the data clause.",
    )
    SignatoryFactory(
        version=version,
        agency=AgencyFactory(task_force=mou.task_force, name="Port City Police Department"),
        status=PENDING,
        needs_outside_approval=True,
        approving_body="City Council",
    )
    return version


def pdf_of(client, version):
    return export_pdf(client, "protocols.version", version.code)


def read_pdf(response):
    reader = PdfReader(io.BytesIO(pdf_bytes(response)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    return pages, reader


class TestTheVersionPdf:
    def test_it_has_a_title_page_with_the_approval_in_the_task_forces_time_zone(
        self, login, member, approved
    ):
        pages, reader = read_pdf(pdf_of(login(member), approved))
        title_page = pages[0]
        assert "Harbor County Anti-Trafficking Task Force" in title_page
        assert MOU_TITLE in title_page and "Version 1" in title_page and "Approved" in title_page
        assert "1 July 2026" in title_page and "30 June 2028" in title_page
        assert "Approved by Cora Coordinator on 10 June 2026, 10:30" in title_page
        assert "June task force meeting" in title_page and "Adopt the referral MOU." in title_page
        assert "1 of 3 agencies signed" in title_page
        assert reader.metadata.title == f"{MOU_TITLE}, version 1"
        assert "Prepared for Mo Member" in title_page

    def test_the_text_is_rendered_from_markdown_after_the_title_page(self, login, member, approved):
        pages, _ = read_pdf(pdf_of(login(member), approved))
        assert "Purpose" not in pages[0]
        text = pages[1]
        assert "Purpose" in text and "Every agency refers a potential victim within 24 hours." in text
        assert "Steps" in text and "Call the hotline" in text and "**" not in text and "#" not in text

    def test_an_mou_has_a_signature_page_of_its_own(self, login, member, approved):
        pages, _ = read_pdf(pdf_of(login(member), approved))
        signature_page = pages[-1]
        assert signature_page.count("Signatures") >= 1 and "Call the hotline" not in signature_page
        for agency in (
            "Harbor County Sheriff's Office",
            "Safe Harbor Shelter",
            "Port City Police Department",
        ):
            assert agency in signature_page
            assert all(agency not in page for page in pages[1:-1])
        assert (
            "Lee Lead" in signature_page and "Sheriff" in signature_page and "12 Jun 2026" in signature_page
        )
        assert "Signed" in signature_page and "Pending" in signature_page
        assert "Declined Reason: Our board has not seen the data clause." in signature_page
        assert "City Council: awaited" in signature_page

    def test_a_fully_executed_mou_says_so(self, login, member, approved):
        approved.signatories.update(status=SIGNED, signer_name="Someone", needs_outside_approval=False)
        pages, _ = read_pdf(pdf_of(login(member), approved))
        assert "Fully executed: all 3 agencies signed" in pages[0]
        assert "Fully executed: every signatory agency signed." in pages[-1]

    def test_a_protocol_has_no_signature_page(self, login, member, task_force):
        version = VersionFactory(
            document=DocumentFactory(task_force=task_force, title="Referral protocol"),
            status=Status.IN_FORCE,
            effective_on=date(2026, 1, 1),
        )
        pages, _ = read_pdf(pdf_of(login(member), version))
        assert len(pages) == 2
        assert "Signatures" not in " ".join(pages) and "Signed" not in " ".join(pages)

    def test_a_version_whose_text_is_a_file_says_so(self, login, member, task_force):
        version = VersionFactory(
            document=DocumentFactory(task_force=task_force, title="Media protocol"),
            status=Status.IN_FORCE,
            body="",
            file="protocols/x/y",
            file_name="media-protocol-signed.pdf",
            file_content_type="application/pdf",
            file_size=2048,
        )
        pages, _ = read_pdf(pdf_of(login(member), version))
        text = " ".join(pages)
        assert "The text of this version is in an uploaded file, not reproduced here" in text
        assert "media-protocol-signed.pdf" in text and "no text yet" not in text

    def test_a_draft_says_it_is_not_approved_to_the_coordinator(self, login, coordinator, task_force):
        version = VersionFactory(document=DocumentFactory(task_force=task_force), status=Status.DRAFT)
        pages, _ = read_pdf(pdf_of(login(coordinator), version))
        assert "A draft: not reviewed or approved." in pages[0] and "Not approved yet" in pages[0]

    def test_it_downloads_as_a_named_file_and_no_shared_cache(self, login, member, approved):
        response = pdf_of(login(member), approved)
        assert response["Content-Disposition"] == 'attachment; filename="victim-services-referral-mou-v1.pdf"'
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_it_is_asked_for_with_post_and_downloaded_with_get(self, login, member, approved):
        client = login(member)
        assert client.get(reverse("exports:job-create")).status_code == 405
        download = pdf_of(client, approved).wsgi_request.path
        assert client.post(download).status_code == 405

    def test_its_queries_do_not_grow_with_signatories(
        self, login, member, approved, django_assert_max_num_queries
    ):
        client = login(member)
        with django_assert_max_num_queries(50) as captured:
            read_pdf(pdf_of(client, approved))
        few = len(captured)
        for _ in range(12):
            SignatoryFactory(version=approved, agency=AgencyFactory(task_force=approved.document.task_force))
        with django_assert_max_num_queries(few):
            read_pdf(pdf_of(client, approved))


HOSTILE_BODY = (
    "# Referral steps\n\n"
    "<script>alert('pwned')</script>\n\n"
    "Before <img src=http://example.org/tracker.png> after.\n\n"
    '<link rel="stylesheet" href="file:///etc/passwd">\n\n'
    "[click me](javascript:alert(1)) and [the hotline](https://hotline.example.org/)\n\n"
    "![logo](https://example.org/logo.png)\n"
)


class TestUserTextInThePdf:
    @pytest.fixture
    def hostile(self, task_force):
        document = DocumentFactory(task_force=task_force, title="<b>Bold</b> & <i>protocol</i>")
        return VersionFactory(document=document, body=HOSTILE_BODY, status=Status.IN_FORCE)

    def test_raw_html_in_the_body_and_title_shows_as_text(self, login, member, hostile):
        pages, reader = read_pdf(pdf_of(login(member), hostile))
        text = " ".join(pages)
        assert "<b>Bold</b> & <i>protocol</i>" in text
        assert "<script>alert('pwned')</script>" in text
        assert "<img src=http://example.org/tracker.png>" in text
        assert "Referral steps" in text and "Before" in text and "after." in text

    def test_the_pdf_links_to_no_script_and_fetches_nothing_but_static_files(
        self, login, member, hostile, monkeypatch
    ):
        requested = []
        real = pdf_module.static_only_url_fetcher

        def recording(url, headers=None):
            requested.append(url)
            return real(url, headers)

        monkeypatch.setattr(pdf_module, "static_only_url_fetcher", recording)
        _, reader = read_pdf(pdf_of(login(member), hostile))
        # The locked fetcher is the one in use, and it was only asked for the stylesheet.
        assert requested and all(url.startswith("static:") for url in requested)
        links = [
            annotation.get_object().get("/A", {}).get("/URI")
            for page in reader.pages
            for annotation in page.get("/Annots") or []
        ]
        assert "https://hotline.example.org/" in links
        assert not any(str(link).lower().startswith("javascript") for link in links)
        catalog = reader.trailer["/Root"]
        assert "/OpenAction" not in catalog and "/JavaScript" not in catalog.get("/Names", {})

    @pytest.mark.parametrize(
        "url", ["file:///etc/passwd", "http://example.org/tracker.png", "https://example.org/logo.png"]
    )
    def test_the_fetcher_behind_it_refuses_files_and_the_network(self, url):
        with pytest.raises(ResourceRefused):
            static_only_url_fetcher(url)


class TestWhoGetsThePdf:
    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 200),
            ("member", 200),
            ("lead_other", 200),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_an_all_members_mou_with_an_approved_version(self, client_as, approved, who, status):
        client = client_as(who)
        assert pdf_of(client, approved).status_code == status

    def test_a_member_cannot_fetch_a_draft(self, login, member, coordinator, task_force):
        version = VersionFactory(document=DocumentFactory(task_force=task_force), status=Status.DRAFT)
        assert pdf_of(login(member), version).status_code == 404
        assert pdf_of(login(coordinator), version).status_code == 200

    def test_a_version_in_review_is_for_the_core_team(self, login, member, lead, task_force):
        version = VersionFactory(document=DocumentFactory(task_force=task_force), status=Status.IN_REVIEW)
        assert pdf_of(login(member), version).status_code == 404
        assert pdf_of(login(lead), version).status_code == 200

    def test_a_draft_version_of_a_document_in_force_stays_with_the_managers(
        self, login, member, coordinator, task_force
    ):
        document = DocumentFactory(task_force=task_force)
        VersionFactory(document=document, status=Status.IN_FORCE)
        draft = VersionFactory(document=document, status=Status.DRAFT)
        assert pdf_of(login(member), draft).status_code == 404
        assert pdf_of(login(coordinator), draft).status_code == 200

    def test_an_observer_cannot_fetch_a_core_team_document(self, login, observer, lead, task_force):
        document = DocumentFactory(task_force=task_force, confidentiality=Confidentiality.CORE)
        version = VersionFactory(document=document, status=Status.IN_FORCE)
        assert pdf_of(login(observer), version).status_code == 404
        assert pdf_of(login(lead), version).status_code == 200

    def test_a_named_agencies_document_is_for_those_agencies(
        self, login, member, lead_other, task_force, agency
    ):
        document = DocumentFactory(task_force=task_force, confidentiality=Confidentiality.AGENCIES)
        document.shared_with.set([agency])
        version = VersionFactory(document=document, status=Status.IN_FORCE)
        assert pdf_of(login(member), version).status_code == 200
        assert pdf_of(login(lead_other), version).status_code == 404

    def test_another_task_forces_coordinator_finds_nothing(self, login, other_coordinator, approved):
        assert pdf_of(login(other_coordinator), approved).status_code == 404
