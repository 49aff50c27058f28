"""Files attached to agenda items: checked by content, stored under MEDIA_ROOT, served only to readers."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from pypdf import PdfWriter

from meetings.models import Attachment, Meeting, Sensitivity
from members.models import Role
from tests.factories import member_of

from .factories import AgendaItemFactory, MeetingFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def meeting(task_force, coordinator):
    return MeetingFactory(task_force=task_force, organiser=coordinator)


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, title="Referral protocol")


@pytest.fixture
def police_item(meeting):
    return AgendaItemFactory(
        meeting=meeting, title="Operation Lighthouse", sensitivity=Sensitivity.LAW_ENFORCEMENT
    )


@pytest.fixture
def shelter_member(other_agency):
    return member_of(other_agency, Role.MEMBER, email="advocate@example.org")


def small_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(client, item, name, content):
    url = reverse("meetings:attachment-create", args=[item.meeting.task_force.slug, item.code])
    return client.post(
        url, {"file": SimpleUploadedFile(name, content, content_type="application/pdf")}, follow=True
    )


def attach(client, item, name="protocol.pdf"):
    upload(client, item, name, small_pdf())
    return Attachment.objects.get(item=item)


def download_url(attachment):
    return reverse(
        "meetings:attachment-download", args=[attachment.item.meeting.task_force.slug, attachment.code]
    )


class TestUploading:
    def test_a_real_small_pdf_is_attached_under_media_root(self, login, item, coordinator, media_root):
        response = upload(login(coordinator), item, "Referral protocol v2.pdf", small_pdf())
        assert "Referral protocol v2.pdf is attached" in response.content.decode()
        attachment = Attachment.objects.get(item=item)
        assert (attachment.name, attachment.content_type, attachment.uploaded_by) == (
            "Referral protocol v2.pdf",
            "application/pdf",
            coordinator,
        )
        stored = Path(attachment.file.path)
        assert stored.is_file() and stored.is_relative_to(media_root)
        assert "Referral" not in stored.name and "static" not in stored.parts

    def test_a_renamed_executable_posing_as_a_pdf_is_refused(self, login, item, coordinator, media_root):
        executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
        response = upload(login(coordinator), item, "minutes.pdf", executable)
        assert "The file was not attached" in response.content.decode()
        assert not Attachment.objects.exists()
        assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))

    def test_a_file_over_20_mb_is_refused(self, login, item, coordinator):
        response = upload(login(coordinator), item, "big.pdf", b"%PDF-1.7\n" + b"0" * (21 * 1024 * 1024))
        assert "files can be 20 MB at most" in response.content.decode()
        assert not Attachment.objects.exists()

    def test_the_name_gets_the_extension_of_what_the_file_really_is(self, login, item, coordinator):
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        upload(login(coordinator), item, "../../chart.exe", png)
        attachment = Attachment.objects.get()
        assert (attachment.name, attachment.content_type) == ("chart.png", "image/png")

    def test_an_office_file_with_macros_is_refused(self, login, item, coordinator):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
            archive.writestr("word/vbaProject.bin", b"\x00")
        response = upload(login(coordinator), item, "plan.docx", buffer.getvalue())
        assert "macros are not accepted" in response.content.decode()
        assert not Attachment.objects.exists()

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
    def test_only_the_organiser_may_upload(self, request, login, item, who, status):
        client = login(None if who == "anonymous" else request.getfixturevalue(who))
        url = reverse("meetings:attachment-create", args=[item.meeting.task_force.slug, item.code])
        response = client.post(url, {"file": SimpleUploadedFile("a.pdf", small_pdf())})
        assert response.status_code == status
        assert not Attachment.objects.exists()

    def test_no_file_is_added_once_the_minutes_are_approved(self, login, item, coordinator):
        Meeting.objects.filter(pk=item.meeting_id).update(minutes_status=Meeting.MinutesStatus.APPROVED)
        response = upload(login(coordinator), item, "late.pdf", small_pdf())
        assert "minutes of this meeting are approved" in response.content.decode()
        assert not Attachment.objects.exists()


class TestDownloading:
    def test_a_reader_downloads_it_as_an_attachment_that_is_never_sniffed(
        self, login, item, coordinator, member
    ):
        attachment = attach(login(coordinator), item, "Referral protocol.pdf")
        response = login(member).get(download_url(attachment))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Referral protocol.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]

    def test_the_files_of_a_withheld_item_are_not_downloadable(
        self, login, police_item, coordinator, shelter_member, observer, member
    ):
        attachment = attach(login(coordinator), police_item, "lighthouse.pdf")
        assert login(shelter_member).get(download_url(attachment)).status_code == 404
        assert login(observer).get(download_url(attachment)).status_code == 404
        assert login(member).get(download_url(attachment)).status_code == 200

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
    def test_who_may_download_a_file_of_an_item_for_everyone(
        self, request, login, item, coordinator, who, status
    ):
        attachment = attach(login(coordinator), item)
        client = login(None if who == "anonymous" else request.getfixturevalue(who))
        assert client.get(download_url(attachment)).status_code == status

    def test_a_confidential_meetings_files_are_hidden_from_observers(
        self, login, item, coordinator, observer
    ):
        attachment = attach(login(coordinator), item)
        Meeting.objects.filter(pk=item.meeting_id).update(confidential=True)
        assert login(observer).get(download_url(attachment)).status_code == 404

    def test_a_file_missing_from_disk_is_not_found(self, login, item, coordinator):
        attachment = attach(login(coordinator), item)
        Path(attachment.file.path).unlink()
        assert login(coordinator).get(download_url(attachment)).status_code == 404


class TestRemoving:
    def test_the_organiser_removes_a_file_and_it_leaves_the_disk(
        self, login, item, coordinator, django_capture_on_commit_callbacks
    ):
        attachment = attach(login(coordinator), item)
        path = Path(attachment.file.path)
        url = reverse("meetings:attachment-delete", args=[item.meeting.task_force.slug, attachment.code])
        with django_capture_on_commit_callbacks(execute=True):
            assert login(coordinator).post(url).status_code == 302
        assert not Attachment.objects.exists() and not path.exists()

    def test_deleting_an_item_removes_its_files_from_disk(
        self, login, item, coordinator, django_capture_on_commit_callbacks
    ):
        attachment = attach(login(coordinator), item)
        path = Path(attachment.file.path)
        url = reverse("meetings:agenda-item-delete", args=[item.meeting.task_force.slug, item.code])
        with django_capture_on_commit_callbacks(execute=True):
            login(coordinator).post(url)
        assert not path.exists()

    def test_deleting_the_whole_meeting_removes_its_files_from_disk(
        self, login, item, coordinator, django_capture_on_commit_callbacks
    ):
        attachment = attach(login(coordinator), item)
        path = Path(attachment.file.path)
        with django_capture_on_commit_callbacks(execute=True):
            item.meeting.delete()
        assert not path.exists()

    def test_a_file_stays_when_the_deletion_is_rolled_back(self, login, item, coordinator):
        attachment = attach(login(coordinator), item)
        path = Path(attachment.file.path)
        with pytest.raises(RuntimeError), transaction.atomic():
            item.meeting.delete()
            raise RuntimeError
        assert path.exists() and Attachment.objects.filter(pk=attachment.pk).exists()

    @pytest.mark.parametrize(
        ("who", "status"), [("member", 403), ("observer", 403), ("other_coordinator", 404)]
    )
    def test_only_the_organiser_may_remove_a_file(self, request, login, item, coordinator, who, status):
        attachment = attach(login(coordinator), item)
        url = reverse("meetings:attachment-delete", args=[item.meeting.task_force.slug, attachment.code])
        assert login(request.getfixturevalue(who)).post(url).status_code == status
        assert Attachment.objects.filter(pk=attachment.pk).exists()
