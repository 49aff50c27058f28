"""The task force handbook: one PDF through the exports engine, with the sections each app
registers, as its reader may read them."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Role
from protocols.models import Confidentiality, Kind, Signatory, Status
from taskforce.exports.models import ExportJob
from taskforce.handbook import handbook_context
from tests.exports.conftest import pdf_text, request_export
from tests.factories import AgencyFactory, member_of
from tests.meetings.factories import CommitteeFactory
from tests.protocols.factories import SignatoryFactory, VersionFactory

KIND = "taskforce.handbook"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def in_force(task_force, kind, title, body="", confidentiality=Confidentiality.ALL_MEMBERS, **fields):
    return VersionFactory(
        document__task_force=task_force,
        document__kind=kind,
        document__category="" if kind != Kind.PROTOCOL else "referral",
        document__title=title,
        document__confidentiality=confidentiality,
        status=Status.IN_FORCE,
        body=body or "The agreed text.",
        effective_on=timezone.localdate(),
        **fields,
    )


@pytest.fixture
def handbook_data(task_force, agency, other_agency, coordinator, lead, lead_other, member):
    committee = CommitteeFactory(
        task_force=task_force, name="Labour Trafficking Committee", purpose="Farms and factories.", chair=lead
    )
    committee.members.add(lead, member)
    in_force(task_force, Kind.CHARTER, "Task force charter", body="# Voting\n\nOne vote per agency.")
    mou = in_force(task_force, Kind.MOU, "Information sharing MOU")
    SignatoryFactory(
        version=mou,
        agency=agency,
        status=Signatory.SignatureStatus.SIGNED,
        signer=lead,
        signer_name="Lee Lead",
        signer_title="Sheriff",
        signed_on=timezone.localdate(),
    )
    SignatoryFactory(version=mou, agency=other_agency)
    in_force(task_force, Kind.PROTOCOL, "Core team escalation protocol", confidentiality=Confidentiality.CORE)
    return committee


def handbook_of(client, task_force, capture):
    response = request_export(client, KIND, task_force.slug, capture)
    return response, ExportJob.objects.filter(kind=KIND).order_by("-id").first()


class TestHandbookExport:
    def test_a_member_gets_the_whole_handbook(
        self, login, task_force, member, handbook_data, django_capture_on_commit_callbacks
    ):
        response, job = handbook_of(login(member), task_force, django_capture_on_commit_callbacks)
        assert response.status_code == 302 and response.url == job.get_absolute_url()
        assert job.status == ExportJob.Status.DONE, job.error
        assert job.title == f"Handbook: {task_force.name}"
        assert job.file_name == f"harbor-handbook-{task_force.today():%Y-%m-%d}.pdf"
        text = pdf_text(job.file.read())
        assert "Contents" in text and task_force.mission in text
        assert "Labour Trafficking Committee" in text and "Farms and factories." in text
        assert "Safe Harbor Shelter" in text and "Olga Otherlead" in text  # an agency and its lead
        assert "Task force charter" in text and "One vote per agency." in text
        assert "Information sharing MOU" in text
        assert "Harbor County Sheriff's Office: signed, Lee Lead (Sheriff)" in text
        assert "Safe Harbor Shelter: pending" in text
        assert "Core team escalation protocol" not in text  # a member is not the core team
        assert "Mo Member" in text and "member@example.org" in text  # the roster, with emails

    def test_an_observer_s_handbook_leaves_out_the_core_team_s_documents_and_emails(
        self, login, task_force, observer, handbook_data, django_capture_on_commit_callbacks
    ):
        _, job = handbook_of(login(observer), task_force, django_capture_on_commit_callbacks)
        text = pdf_text(job.file.read())
        assert "Information sharing MOU" in text and "Task force charter" in text
        assert "Core team escalation protocol" not in text
        assert "Mo Member" in text and "member@example.org" not in text

    def test_the_core_team_reads_its_own_documents(
        self, login, task_force, lead, handbook_data, django_capture_on_commit_callbacks
    ):
        _, job = handbook_of(login(lead), task_force, django_capture_on_commit_callbacks)
        assert "Core team escalation protocol" in pdf_text(job.file.read())


class TestHandbookRefused:
    def test_someone_outside_the_task_force_is_told_it_does_not_exist(
        self, login, task_force, member, other_coordinator, django_capture_on_commit_callbacks
    ):
        response, job = handbook_of(login(other_coordinator), task_force, django_capture_on_commit_callbacks)
        assert response.status_code == 404 and job is None

    def test_an_unknown_task_force_does_not_exist(self, login, member, django_capture_on_commit_callbacks):
        response = request_export(login(member), KIND, "nowhere", django_capture_on_commit_callbacks)
        assert response.status_code == 404 and not ExportJob.objects.exists()


class TestHandbookButton:
    def test_an_observer_can_ask_for_it_from_the_home_page(self, login, task_force, observer):
        page = login(observer).get(task_force.get_absolute_url()).content.decode()
        assert 'value="taskforce.handbook"' in page and f'value="{task_force.slug}"' in page


def grow(task_force, n):
    """n agencies, each with a lead, a member and a committee; n MOUs with two signatories."""
    agencies = []
    for i in range(n):
        agency = AgencyFactory(task_force=task_force, name=f"Agency {n}-{i}", sector="health")
        lead = member_of(agency, Role.AGENCY_LEAD)
        member_of(agency, Role.MEMBER)
        committee = CommitteeFactory(task_force=task_force, chair=lead)
        committee.members.add(lead)
        agencies.append(agency)
    for i in range(n):
        mou = in_force(task_force, Kind.MOU, f"MOU {n}-{i}")
        SignatoryFactory(version=mou, agency=agencies[i])
        SignatoryFactory(version=mou, agency=agencies[(i + 1) % n])
        in_force(task_force, Kind.PROTOCOL, f"Protocol {n}-{i}")
    in_force(task_force, Kind.DECISION_RULES, f"Rules {n}")


def queries_to_build(task_force, email):
    reader = get_user_model().objects.get(email=email)  # fresh: nothing cached on the person
    with CaptureQueriesContext(connection) as captured:
        context = handbook_context(reader, task_force)
        render_to_string(
            "taskforce/pdf/handbook.html",
            {**context, "task_force": task_force, "reader": reader, "generated_at": timezone.now()},
        )
    return len(captured)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.COORDINATOR])
def test_the_queries_do_not_grow_with_the_task_force(
    role, task_force, other_task_force, agency, foreign_agency
):
    small_reader = member_of(agency, role, email="small@example.org")
    large_reader = member_of(foreign_agency, role, email="large@example.org")
    grow(task_force, 3)
    grow(other_task_force, 30)
    assert queries_to_build(task_force, small_reader.email) == queries_to_build(
        other_task_force, large_reader.email
    )
