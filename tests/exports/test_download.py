"""The download: the owner's (and admins') only, never sniffed or cached, and only while the
owner may still see what it contains."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from members import services as members
from members.models import Membership
from taskforce.exports.models import ExportJob

from .conftest import pdf_text, request_export


@pytest.fixture
def job(login, meeting, member, django_capture_on_commit_callbacks):
    request_export(login(member), "meetings.minutes", meeting.code, django_capture_on_commit_callbacks)
    return ExportJob.objects.get()


def download_url(job):
    return reverse("exports:job-download", args=[job.code])


class TestDownload:
    def test_the_owner_downloads_the_pdf(self, login, job, member):
        response = login(member).get(download_url(job))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert f'filename="{job.file_name}"' in response["Content-Disposition"]
        assert "Minutes: March task force meeting" in pdf_text(b"".join(response.streaming_content))

    def test_an_admin_downloads_it(self, login, job, admin):
        assert login(admin).get(download_url(job)).status_code == 200

    @pytest.mark.parametrize("who", ["lead", "coordinator", "observer", "other_coordinator"])
    def test_nobody_else_can(self, login, job, who, request):
        assert login(request.getfixturevalue(who)).get(download_url(job)).status_code == 404

    def test_anonymous_people_are_sent_to_sign_in(self, login, job):
        assert login(None).get(download_url(job)).status_code == 302

    def test_a_job_not_done_has_nothing_to_download(self, login, job, member):
        ExportJob.objects.filter(pk=job.pk).update(status="running", file="")
        assert login(member).get(download_url(job)).status_code == 404

    def test_an_owner_who_may_no_longer_see_the_meeting_is_refused(
        self, login, job, member, meeting, coordinator
    ):
        members.end_membership(
            by=coordinator,
            membership=Membership.objects.get(user=member),
            ended_on=meeting.task_force.today(),
            reason="Moved on",
        )
        response = login(member).get(download_url(job))
        assert response.status_code == 404 and "no longer available" in response.content.decode()

    def test_a_deleted_meeting_makes_it_unavailable(self, login, job, member, meeting):
        Meeting.objects.filter(pk=meeting.pk).delete()
        response = login(member).get(download_url(job))
        assert response.status_code == 404 and "no longer available" in response.content.decode()

    def test_a_missing_file_is_not_found(self, login, job, member):
        job.file.storage.delete(job.file.name)
        assert login(member).get(download_url(job)).status_code == 404
