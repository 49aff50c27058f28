"""A version's file: PDF or Word by content, 20 MB at most, stored under MEDIA_ROOT with nothing
guessable, replaced or removed while a draft, and served only to the version's readers."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from protocols.models import Confidentiality, Status, Version

from .factories import DocumentFactory, SignatoryFactory, VersionFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def small_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def small_docx(macros=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00")
    return buffer.getvalue()


def pdf_upload(name="Referral protocol.pdf", content=None):
    return SimpleUploadedFile(name, content or small_pdf(), content_type="application/pdf")


def update_url(version):
    return reverse("protocols:version-update", args=[version.document.task_force.slug, version.code])


def file_url(version):
    return reverse("protocols:version-file", args=[version.document.task_force.slug, version.code])


def edit(version, **changes):
    return {
        "change_summary": version.change_summary,
        "body": version.body,
        "version": version.version,
        **changes,
    }


@pytest.fixture
def draft(task_force, agency):
    return VersionFactory(document=DocumentFactory(task_force=task_force, owner_agency=agency))


def attach(client, version, upload=None):
    response = client.post(update_url(version), edit(version, file=upload or pdf_upload()))
    version.refresh_from_db()
    return response


@pytest.fixture
def published(draft, login, coordinator):
    """The draft with a PDF, then put in force (the workflow's part is done by hand here)."""
    attach(login(coordinator), draft)
    Version.objects.filter(pk=draft.pk).update(status=Status.IN_FORCE, effective_on=date(2026, 1, 1))
    draft.document.refresh_status()
    draft.refresh_from_db()
    return draft


class TestUploading:
    def test_a_pdf_is_stored_under_media_root_with_nothing_guessable(
        self, login, draft, coordinator, media_root
    ):
        response = attach(login(coordinator), draft, pdf_upload("../../Referral protocol v2.pdf"))
        assert response.status_code == 302
        assert (draft.file_name, draft.file_content_type, draft.file_size) == (
            "Referral protocol v2.pdf",
            "application/pdf",
            len(small_pdf()),
        )
        stored = Path(draft.file.path)
        assert stored.is_file() and stored.is_relative_to(media_root)
        assert "Referral" not in str(stored) and "static" not in stored.parts

    def test_a_word_file_is_accepted_and_named_for_what_it_is(self, login, draft, coordinator):
        upload = SimpleUploadedFile("protocol.pdf", small_docx(), content_type="application/pdf")
        attach(login(coordinator), draft, upload)
        assert (draft.file_name, draft.file_content_type) == (
            "protocol.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            (
                "protocol.pdf",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
                "not a PDF or Word",
            ),
            ("chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a PDF or Word"),
            ("macro.docx", small_docx(macros=True), "macros are not accepted"),
            ("empty.pdf", b"", "file is empty"),
        ],
    )
    def test_anything_but_a_pdf_or_word_file_is_refused(
        self, login, draft, coordinator, media_root, name, content, message
    ):
        response = attach(login(coordinator), draft, SimpleUploadedFile(name, content))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not draft.file and draft.version == 1
        assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))

    def test_a_25_mb_file_is_refused(self, login, draft, coordinator):
        big = pdf_upload("big.pdf", b"%PDF-1.7\n" + b"0" * (25 * 1024 * 1024))
        response = attach(login(coordinator), draft, big)
        assert "files can be 20 MB at most" in response.content.decode()
        assert not draft.file

    def test_the_limit_is_the_upload_modules(self, login, draft, coordinator, monkeypatch):
        monkeypatch.setattr("taskforce.uploads.MAX_UPLOAD_BYTES", 100)
        response = attach(login(coordinator), draft)
        assert "MB at most" in response.content.decode()
        assert not draft.file

    def test_a_new_version_can_start_with_a_file(self, login, published, coordinator):
        url = reverse(
            "protocols:version-create", args=[published.document.task_force.slug, published.document.code]
        )
        login(coordinator).post(
            url, {"change_summary": "Signed copy", "body": "", "file": pdf_upload("signed.pdf")}
        )
        second = published.document.versions.get(number=2)
        assert second.file_name == "signed.pdf"
        assert Path(second.file.path) != Path(published.file.path)


class TestReplacingAndRemoving:
    def test_a_replaced_file_leaves_the_disk_once_saved(
        self, login, draft, coordinator, django_capture_on_commit_callbacks
    ):
        client = login(coordinator)
        attach(client, draft)
        old = Path(draft.file.path)
        with django_capture_on_commit_callbacks(execute=True):
            attach(client, draft, SimpleUploadedFile("v2.docx", small_docx()))
        assert draft.file_name == "v2.docx" and Path(draft.file.path).is_file()
        assert not old.exists()

    def test_a_removed_file_leaves_the_disk_and_the_version(
        self, login, draft, coordinator, django_capture_on_commit_callbacks
    ):
        client = login(coordinator)
        attach(client, draft)
        old = Path(draft.file.path)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(update_url(draft), edit(draft, remove_file="on"))
        draft.refresh_from_db()
        assert (draft.file.name, draft.file_name, draft.file_size) == ("", "", None)
        assert not old.exists()

    def test_a_stale_edit_keeps_the_stored_file_and_drops_the_new_one(
        self, login, draft, coordinator, co_chair, media_root
    ):
        attach(login(coordinator), draft)
        kept = Path(draft.file.path)
        response = login(co_chair).post(
            update_url(draft), {**edit(draft, file=pdf_upload("late.pdf")), "version": 1}
        )
        assert response.status_code == 200
        draft.refresh_from_db()
        assert draft.file_name == "Referral protocol.pdf" and kept.is_file()
        assert [path for path in media_root.rglob("*") if path.is_file()] == [kept]


class TestDownloading:
    def test_a_reader_downloads_it_as_an_attachment_that_is_never_sniffed(self, login, published, member):
        response = login(member).get(file_url(published))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Referral protocol.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]

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
    def test_who_may_download_the_file_of_a_protocol_in_force(self, client_as, published, who, status):
        client = client_as(who)
        assert client.get(file_url(published)).status_code == status

    @pytest.mark.parametrize(("who", "status"), [("member", 404), ("lead", 404), ("coordinator", 200)])
    def test_a_drafts_file_is_for_coordinators(self, client_as, login, draft, coordinator, who, status):
        attach(login(coordinator), draft)
        assert client_as(who).get(file_url(draft)).status_code == status

    def test_a_core_documents_file_is_hidden_from_observers(self, login, published, observer, lead):
        published.document.__class__.objects.filter(pk=published.document_id).update(
            confidentiality=Confidentiality.CORE
        )
        assert login(observer).get(file_url(published)).status_code == 404
        assert login(lead).get(file_url(published)).status_code == 200

    def test_a_version_without_a_file_has_none_to_download(self, login, draft, coordinator):
        assert login(coordinator).get(file_url(draft)).status_code == 404

    def test_a_file_missing_from_disk_is_not_found(self, login, published, coordinator):
        Path(published.file.path).unlink()
        assert login(coordinator).get(file_url(published)).status_code == 404

    def test_it_is_read_only(self, login, published, coordinator):
        assert login(coordinator).post(file_url(published)).status_code == 405


class TestStoredFilesGoWithTheirRows:
    def test_deleting_a_document_deletes_its_files_and_signed_pages(
        self, task_force, agency, media_root, django_capture_on_commit_callbacks
    ):
        version = VersionFactory(document=DocumentFactory(task_force=task_force, kind="mou"))
        version.file.save("text", ContentFile(small_pdf()), save=True)
        signatory = SignatoryFactory(version=version, agency=agency)
        signatory.signed_page.save("page", ContentFile(small_pdf()), save=True)
        stored = [Path(version.file.path), Path(signatory.signed_page.path)]
        assert all(path.exists() for path in stored)

        with django_capture_on_commit_callbacks(execute=True):
            version.document.delete()

        assert not any(path.exists() for path in stored)
