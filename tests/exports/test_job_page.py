"""A job's page (polled by htmx while it runs) and the list of one's own exports."""

import pytest
from django.urls import reverse

from taskforce.exports.models import ExportJob
from tests.factories import UserFactory

from .conftest import request_export


def make_job(owner, task_force, **fields):
    fields = {"kind": "meetings.agenda", "target_code": "x", "title": "Agenda: X", **fields}
    return ExportJob.objects.create(owner=owner, task_force=task_force, **fields)


class TestJobPage:
    def test_while_queued_it_polls_and_says_queued(self, login, task_force, member):
        job = make_job(member, task_force)
        response = login(member).get(job.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert "Queued" in html and 'hx-trigger="every 1s"' in html and 'role="progressbar"' in html
        assert reverse("exports:job-download", args=[job.code]) not in html

    def test_htmx_gets_the_status_alone(self, login, task_force, member):
        job = make_job(member, task_force, status="running", progress=30)
        response = login(member).get(job.get_absolute_url(), headers={"HX-Request": "true"})
        html = response.content.decode()
        assert html.lstrip().startswith("{%") is False and "<html" not in html
        assert 'aria-valuenow="30"' in html and "30% done" in html and "every 1s" in html

    def test_when_done_it_stops_polling_and_offers_the_download(
        self, login, meeting, member, django_capture_on_commit_callbacks
    ):
        client = login(member)
        response = request_export(
            client, "meetings.minutes", meeting.code, django_capture_on_commit_callbacks
        )
        html = client.get(response.url).content.decode()
        job = ExportJob.objects.get()
        assert "Your PDF is ready" in html and "every 1s" not in html
        assert reverse("exports:job-download", args=[job.code]) in html and job.file_name in html

    def test_a_failed_job_says_why_and_offers_to_try_again(self, login, task_force, member):
        job = make_job(member, task_force, status="failed", error="You can no longer see it.")
        html = login(member).get(job.get_absolute_url()).content.decode()
        assert "You can no longer see it." in html and "Try again" in html and "every 1s" not in html

    @pytest.mark.parametrize("who", ["lead", "coordinator", "other_coordinator"])
    def test_someone_else_s_job_does_not_exist(self, login, task_force, member, who, request):
        job = make_job(member, task_force)
        other = request.getfixturevalue(who)
        assert login(other).get(job.get_absolute_url()).status_code == 404
        assert login(other).get(job.get_absolute_url(), headers={"HX-Request": "true"}).status_code == 404

    def test_an_admin_sees_it(self, login, task_force, member, admin):
        job = make_job(member, task_force)
        response = login(admin).get(job.get_absolute_url())
        assert response.status_code == 200 and "you see it as an admin" in response.content.decode()

    def test_an_unknown_code_is_not_found(self, login, member):
        url = reverse("exports:job-detail", args=["00000000-0000-0000-0000-000000000000"])
        assert login(member).get(url).status_code == 404


class TestMyExports:
    def test_it_lists_only_my_own(self, login, task_force, member, lead):
        make_job(member, task_force, title="Agenda: mine")
        make_job(lead, task_force, title="Agenda: the lead's")
        html = login(member).get(reverse("exports:job-list")).content.decode()
        assert "Agenda: mine" in html and "the lead" not in html

    def test_it_says_when_there_is_none(self, login, member):
        assert "You have no exports" in login(member).get(reverse("exports:job-list")).content.decode()

    def test_its_query_count_does_not_grow_with_the_exports(
        self, login, task_force, other_task_force, member, django_assert_max_num_queries
    ):
        client = login(member)
        make_job(member, task_force)
        with django_assert_max_num_queries(50) as few:
            client.get(reverse("exports:job-list"))
        for _ in range(20):
            make_job(member, task_force)
            make_job(member, other_task_force)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse("exports:job-list"))
        assert response.status_code == 200

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, login):
        assert login(None).get(reverse("exports:job-list")).status_code == 302

    def test_a_person_without_a_task_force_sees_their_list(self, login, db):
        assert login(UserFactory()).get(reverse("exports:job-list")).status_code == 200


class TestAdmin:
    def test_an_admin_lists_and_opens_exports(self, login, task_force, member, admin):
        job = make_job(member, task_force, title="Agenda: in the admin")
        client = login(admin)
        assert "Agenda: in the admin" in client.get("/admin/exports/exportjob/").content.decode()
        assert client.get(f"/admin/exports/exportjob/{job.pk}/change/").status_code == 200
        assert client.get("/admin/exports/exportjob/add/").status_code == 403
