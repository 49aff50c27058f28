"""Uploads are judged by their content, never by their name or the browser's content type."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from taskforce.uploads import (
    DOCUMENTS,
    DOCX,
    JPEG,
    PDF,
    PNG,
    PPTX,
    XLSX,
    clean_file_name,
    validate_upload,
)


def small_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def office(folder, extra=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}main.xml", "<x/>")
        for name in extra:
            archive.writestr(name, b"\x00")
    return buffer.getvalue()


def upload(content, name="file.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class TestValidateUpload:
    def test_a_real_small_pdf_is_accepted(self):
        assert validate_upload(upload(small_pdf())) == PDF

    @pytest.mark.parametrize(
        ("content", "kind"),
        [
            (office("word/"), DOCX),
            (office("xl/"), XLSX),
            (office("ppt/"), PPTX),
            (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, PNG),
            (b"\xff\xd8\xff\xe0" + b"\x00" * 32, JPEG),
        ],
    )
    def test_office_files_and_images_are_known_by_their_content(self, content, kind):
        assert validate_upload(upload(content, name="whatever.bin", content_type="text/plain")) == kind

    def test_a_renamed_executable_posing_as_a_pdf_is_refused(self):
        executable = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100
        with pytest.raises(ValidationError, match="not a PDF, Word, Excel, PowerPoint, PNG or JPEG file"):
            validate_upload(upload(executable, name="agenda.pdf", content_type="application/pdf"))

    @pytest.mark.parametrize(
        "content",
        [
            b"#!/bin/sh\nrm -rf /\n",
            b"<html><script>alert(1)</script></html>",
            b"PK\x03\x04not really a zip",
            office("other/"),
            b"\x7fELF\x02\x01\x01",
        ],
    )
    def test_other_content_is_refused_whatever_its_name(self, content):
        with pytest.raises(ValidationError):
            validate_upload(upload(content, name="report.docx"))

    def test_a_zip_without_office_parts_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<x/>")
        with pytest.raises(ValidationError):
            validate_upload(upload(buffer.getvalue(), name="plan.docx"))

    def test_an_office_file_with_macros_is_refused(self):
        with pytest.raises(ValidationError, match="macros"):
            validate_upload(upload(office("word/", ["word/vbaProject.bin"]), name="plan.docx"))

    def test_a_21_mb_file_is_refused_with_its_size(self):
        big = upload(b"%PDF-1.7\n" + b"0" * (21 * 1024 * 1024))
        with pytest.raises(ValidationError, match=r"21\.0 MB; files can be 20 MB at most"):
            validate_upload(big)

    def test_a_file_of_exactly_20_mb_is_accepted(self):
        assert validate_upload(upload(b"%PDF-1.7\n".ljust(20 * 1024 * 1024, b"0"))) == PDF

    def test_an_empty_file_is_refused(self):
        with pytest.raises(ValidationError, match="empty"):
            validate_upload(upload(b""))

    def test_only_the_allowed_kinds_pass(self):
        with pytest.raises(ValidationError, match="not a PDF file"):
            validate_upload(upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, name="a.png"), allowed=(PDF,))

    def test_the_file_can_be_read_from_the_start_afterwards(self):
        file = upload(office("word/"))
        validate_upload(file, DOCUMENTS)
        assert file.read(4) == b"PK\x03\x04"


class TestCleanFileName:
    @pytest.mark.parametrize(
        ("name", "kind", "clean"),
        [
            ("Referral protocol.pdf", PDF, "Referral protocol.pdf"),
            ("../../etc/passwd", PDF, "passwd.pdf"),
            ("C:\\Users\\cora\\minutes.exe", PDF, "minutes.pdf"),
            ("chart.pdf", PNG, "chart.png"),
            ("photo.JPEG", JPEG, "photo.jpg"),
            ("\x00\x1b[31m.pdf", PDF, "[31m.pdf"),
            ("", DOCX, "file.docx"),
            ("...", XLSX, "file.xlsx"),
            ("x" * 300 + ".pdf", PDF, "x" * 196 + ".pdf"),
        ],
    )
    def test_it_keeps_no_folders_or_control_characters_and_the_true_extension(self, name, kind, clean):
        assert clean_file_name(name, kind) == clean
