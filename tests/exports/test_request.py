"""Asking for a PDF: the job is created and runs (eagerly here), only for what the person may see."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from taskforce.exports.models import ExportJob
from tests.protocols.factories import VersionFactory

from .conftest import SECRET, pdf_text, request_export


class TestRequestExport:
    def test_a_member_gets_the_minutes_redacted_for_them(
        self, login, meeting, lead_other, django_capture_on_commit_callbacks
    ):
        client = login(lead_other)
        response = request_export(
            client, "meetings.minutes", meeting.code, django_capture_on_commit_callbacks
        )
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response.url == job.get_absolute_url()
        assert job.owner == lead_other and job.task_force == meeting.task_force
        assert job.status == ExportJob.Status.DONE and job.progress == 100 and job.attempts == 1
        assert job.title.startswith("Minutes: March task force meeting")
        assert job.file_name.startswith("minutes-") and job.file_name.endswith(
            "-march-task-force-meeting.pdf"
        )
        assert job.finished_at is not None
        text = pdf_text(job.file.read())
        assert "Minutes: March task force meeting" in text and "Everyone introduced themselves." in text
        assert SECRET not in text and "Withheld: law enforcement only" in text
        assert "Prepared for Olga Otherlead" in text

    def test_the_stored_file_name_tells_nothing(
        self, login, meeting, member, django_capture_on_commit_callbacks
    ):
        request_export(login(member), "meetings.agenda", meeting.code, django_capture_on_commit_callbacks)
        job = ExportJob.objects.get()
        assert job.file.name.startswith("exports/") and "agenda" not in job.file.name
        assert len(job.file.name) > len("exports/") + 30
        assert SECRET in pdf_text(job.file.read())  # a law-enforcement member reads it whole

    def test_it_exports_a_document_version(
        self, login, task_force, coordinator, django_capture_on_commit_callbacks
    ):
        version = VersionFactory(document__task_force=task_force, document__title="Referral protocol")
        request_export(
            login(coordinator), "protocols.version", version.code, django_capture_on_commit_callbacks
        )
        job = ExportJob.objects.get()
        assert job.status == "done" and job.file_name == "referral-protocol-v1.pdf"
        assert "Referral protocol" in pdf_text(job.file.read())

    def test_a_second_request_while_one_is_under_way_reuses_it(
        self, login, meeting, member, broker_down, django_capture_on_commit_callbacks
    ):
        client = login(member)
        first = request_export(client, "meetings.agenda", meeting.code, django_capture_on_commit_callbacks)
        second = request_export(client, "meetings.agenda", meeting.code, django_capture_on_commit_callbacks)
        assert first.url == second.url and ExportJob.objects.count() == 1


class TestRequestRefused:
    def test_a_draft_version_does_not_exist_for_a_member(
        self, login, task_force, member, django_capture_on_commit_callbacks
    ):
        version = VersionFactory(document__task_force=task_force)  # a draft: managers only
        response = request_export(
            login(member), "protocols.version", version.code, django_capture_on_commit_callbacks
        )
        assert response.status_code == 404 and not ExportJob.objects.exists()

    def test_another_task_force_s_meeting_does_not_exist(
        self, login, meeting, other_coordinator, django_capture_on_commit_callbacks
    ):
        response = request_export(
            login(other_coordinator), "meetings.minutes", meeting.code, django_capture_on_commit_callbacks
        )
        assert response.status_code == 404 and not ExportJob.objects.exists()

    def test_an_observer_cannot_export_a_confidential_meeting(
        self, login, meeting, observer, django_capture_on_commit_callbacks
    ):
        Meeting.objects.filter(pk=meeting.pk).update(confidential=True)
        response = request_export(
            login(observer), "meetings.agenda", meeting.code, django_capture_on_commit_callbacks
        )
        assert response.status_code == 404 and not ExportJob.objects.exists()

    @pytest.mark.parametrize(
        "kind,target",
        [
            ("meetings.nothing", None),
            ("meetings.minutes", "not-a-uuid"),
            ("meetings.minutes", "00000000-0000-0000-0000-000000000000"),
            ("", None),
        ],
    )
    def test_an_unknown_kind_or_target_is_not_found(
        self, login, meeting, member, kind, target, django_capture_on_commit_callbacks
    ):
        response = request_export(
            login(member), kind, target or meeting.code, django_capture_on_commit_callbacks
        )
        assert response.status_code == 404 and not ExportJob.objects.exists()

    def test_it_takes_posts_only(self, login, member):
        assert login(member).get(reverse("exports:job-create")).status_code == 405

    def test_anonymous_people_are_sent_to_sign_in(self, login, meeting):
        response = login(None).post(
            reverse("exports:job-create"), {"kind": "meetings.agenda", "target": meeting.code}
        )
        assert response.status_code == 302 and "/login" in response.url
