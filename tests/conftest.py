"""Shared people, one per role, built by factories (see tests/factories.py).

`task_force` has two agencies: `agency` (with a lead, a member, an observer, the coordinator
and the co-chair) and `other_agency` (with its own lead). `other_task_force` has its own
coordinator. `admin` is a superuser with no membership.
"""

import os

import pytest
from django.test import Client, TestCase
from django.urls import resolve, reverse

from members.models import Role
from taskforce.celery import app as celery_app

from . import clock
from .factories import AgencyFactory, TaskForceFactory, UserFactory, member_of

BACKEND = "django.contrib.auth.backends.ModelBackend"


def pytest_addoption(parser):
    parser.addoption(
        "--now",
        default=os.environ.get(clock.NOW) or None,
        help="Run the whole session on a clock moved to this ISO 8601 instant (also TEST_NOW).",
    )


def pytest_configure(config):
    # A worker (of xdist or Celery) keeps the offset its parent published; the parent moves the clock.
    moved = clock.keep_offset() if os.environ.get(clock.OFFSET) else None
    if moved is None and config.getoption("now"):
        moved = clock.move_to(clock.parse(config.getoption("now")))
    config.moved_clock = moved


def pytest_report_header(config):
    if config.moved_clock is not None:
        instant = config.moved_clock.isoformat(timespec="seconds")
        return f"clock moved to {instant} (TEST_NOW={instant} make test runs on it again)"
    return None


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; the real worker is exercised by the jobs tests."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Files a test writes (uploads, exports) go to pytest's temporary folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture
def task_force(db):
    return TaskForceFactory(name="Harbor County Anti-Trafficking Task Force", slug="harbor")


@pytest.fixture
def other_task_force(db):
    return TaskForceFactory(name="Ridge County Task Force", slug="ridge")


@pytest.fixture
def agency(task_force):
    return AgencyFactory(
        task_force=task_force, name="Harbor County Sheriff's Office", sector="law_enforcement"
    )


@pytest.fixture
def other_agency(task_force):
    return AgencyFactory(task_force=task_force, name="Safe Harbor Shelter", sector="victim_services")


@pytest.fixture
def foreign_agency(other_task_force):
    return AgencyFactory(task_force=other_task_force, name="Ridge Police Department")


@pytest.fixture
def coordinator(agency):
    return member_of(agency, Role.COORDINATOR, email="coordinator@example.org", full_name="Cora Coordinator")


@pytest.fixture
def co_chair(agency):
    return member_of(agency, Role.CO_CHAIR, email="cochair@example.org", full_name="Chris Cochair")


@pytest.fixture
def lead(agency):
    return member_of(agency, Role.AGENCY_LEAD, email="lead@example.org", full_name="Lee Lead")


@pytest.fixture
def lead_other(other_agency):
    return member_of(
        other_agency, Role.AGENCY_LEAD, email="otherlead@example.org", full_name="Olga Otherlead"
    )


@pytest.fixture
def member(agency):
    return member_of(agency, Role.MEMBER, email="member@example.org", full_name="Mo Member")


@pytest.fixture
def observer(agency):
    return member_of(agency, Role.OBSERVER, email="observer@example.org", full_name="Obi Observer")


@pytest.fixture
def other_coordinator(foreign_agency):
    return member_of(foreign_agency, Role.COORDINATOR, email="ridge@example.org", full_name="Rita Ridge")


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@example.org", full_name="Ada Admin", is_staff=True, is_superuser=True)


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user, backend=BACKEND)
    return client


@pytest.fixture
def login():
    """login(user) -> a test client signed in as that person."""
    return client_for


def export_pdf(client, kind, target):
    """What a person gets when they ask for a PDF: the download once the exports engine has made
    it (eagerly here), or the refusal of the request (the sign-in page, a 404)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("exports:job-create"), {"kind": kind, "target": str(target)})
    if response.status_code != 302 or not response.url.startswith(reverse("exports:job-list")):
        return response
    return client.get(reverse("exports:job-download", args=[resolve(response.url).kwargs["code"]]))


def pdf_bytes(response):
    """The PDF of a download (a streamed file) after checking it is one."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF-")
    return content
