"""The hourly job: approved versions whose day has come go in force (MOUs once fully executed),
versions in force past their expiry date expire. Running it again changes nothing more."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from protocols.models import Document, Kind, Status, Transition, Version
from protocols.services.workflow import apply_dates
from protocols.tasks import apply_dates as apply_dates_task

from .factories import DocumentFactory, SignatoryFactory, VersionFactory

NOW = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)
TODAY = date(2027, 3, 1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def status_of(version):
    return Version.objects.get(pk=version.pk).status


@pytest.fixture
def protocol(task_force):
    return DocumentFactory(task_force=task_force, review_every_months=6)


def test_an_approved_version_goes_in_force_on_its_day(protocol):
    version = VersionFactory(document=protocol, status=Status.APPROVED, effective_on=TODAY)
    assert apply_dates(TODAY) == (1, 0)
    protocol.refresh_from_db()
    assert status_of(version) == Status.IN_FORCE
    assert (protocol.status, protocol.current_version, protocol.next_review_on) == (
        Status.IN_FORCE,
        version,
        date(2027, 9, 1),
    )
    step = Transition.objects.get(version=version)
    assert (step.from_status, step.to_status, step.by) == (Status.APPROVED, Status.IN_FORCE, None)


def test_a_version_whose_day_has_not_come_waits(protocol):
    version = VersionFactory(document=protocol, status=Status.APPROVED, effective_on=date(2027, 3, 2))
    assert apply_dates(TODAY) == (0, 0)
    assert status_of(version) == Status.APPROVED


def test_the_new_version_supersedes_the_one_in_force(protocol):
    old = VersionFactory(document=protocol, status=Status.IN_FORCE, effective_on=date(2026, 1, 1))
    new = VersionFactory(document=protocol, status=Status.APPROVED, effective_on=TODAY)
    apply_dates(TODAY)
    assert (status_of(old), status_of(new)) == (Status.SUPERSEDED, Status.IN_FORCE)
    assert Version.objects.filter(document=protocol, status=Status.IN_FORCE).count() == 1


def test_an_mou_waits_until_every_agency_has_signed(task_force, agency, other_agency):
    mou = DocumentFactory(task_force=task_force, kind=Kind.MOU)
    version = VersionFactory(document=mou, status=Status.APPROVED, effective_on=date(2027, 2, 1))
    SignatoryFactory(version=version, agency=agency, status="signed")
    waiting = SignatoryFactory(version=version, agency=other_agency)
    assert apply_dates(TODAY) == (0, 0)
    assert status_of(version) == Status.APPROVED
    waiting.status = "signed"
    waiting.save(update_fields=["status"])
    assert apply_dates(TODAY) == (1, 0)
    assert status_of(version) == Status.IN_FORCE


def test_a_version_past_its_expiry_date_expires(protocol):
    version = VersionFactory(
        document=protocol, status=Status.IN_FORCE, effective_on=date(2026, 1, 1), expires_on=date(2027, 2, 28)
    )
    protocol.refresh_status()
    assert apply_dates(TODAY) == (0, 1)
    protocol.refresh_from_db()
    assert status_of(version) == Status.EXPIRED
    assert (protocol.status, protocol.current_version) == (Status.EXPIRED, None)
    assert Transition.objects.get(version=version).to_status == Status.EXPIRED


def test_a_version_expiring_today_is_still_in_force_today(protocol):
    version = VersionFactory(
        document=protocol, status=Status.IN_FORCE, effective_on=date(2026, 1, 1), expires_on=TODAY
    )
    assert apply_dates(TODAY) == (0, 0)
    assert status_of(version) == Status.IN_FORCE


def test_running_twice_changes_nothing_more(protocol, task_force):
    VersionFactory(
        document=protocol, status=Status.IN_FORCE, effective_on=date(2026, 1, 1), expires_on=date(2027, 1, 1)
    )
    other = DocumentFactory(task_force=task_force)
    VersionFactory(document=other, status=Status.APPROVED, effective_on=TODAY)
    assert apply_dates(TODAY) == (1, 1)
    steps = Transition.objects.count()
    snapshot = list(Version.objects.order_by("pk").values_list("status", "version"))
    assert apply_dates(TODAY) == (0, 0)
    assert Transition.objects.count() == steps
    assert list(Version.objects.order_by("pk").values_list("status", "version")) == snapshot


def test_without_a_date_each_task_force_uses_its_own_today(protocol):
    # 17:00 UTC on 1 March is still 1 March in New York: a version effective on 2 March waits.
    waiting = VersionFactory(document=protocol, status=Status.APPROVED, effective_on=date(2027, 3, 2))
    assert apply_dates() == (0, 0)
    assert status_of(waiting) == Status.APPROVED
    with time_machine.travel(
        datetime(2027, 3, 2, 4, 0, tzinfo=UTC), tick=False
    ):  # 23:00 on 1 March in New York
        assert apply_dates() == (0, 0)
    with time_machine.travel(datetime(2027, 3, 2, 6, 0, tzinfo=UTC), tick=False):  # 01:00 on 2 March
        assert apply_dates() == (1, 0)
    assert status_of(waiting) == Status.IN_FORCE


def test_the_task_calls_the_service(protocol):
    version = VersionFactory(document=protocol, status=Status.APPROVED, effective_on=TODAY)
    apply_dates_task.delay()
    assert status_of(version) == Status.IN_FORCE
    assert Document.objects.get(pk=protocol.pk).status == Status.IN_FORCE


def test_beat_runs_it_every_hour(db):
    entry = PeriodicTask.objects.select_related("interval").get(name="protocols-apply-dates")
    assert entry.task == "protocols.tasks.apply_dates"
    assert entry.interval.schedule.run_every.total_seconds() == 60 * 60
