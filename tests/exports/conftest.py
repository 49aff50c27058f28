import io

import pytest
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from meetings.models import Sensitivity
from taskforce.exports import tasks
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

SECRET = "Operation Lighthouse surveillance"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def meeting(task_force, coordinator):
    meeting = MeetingFactory(task_force=task_force, organiser=coordinator, title="March task force meeting")
    AgendaItemFactory(
        meeting=meeting, position=0, title="Introductions", notes="Everyone introduced themselves."
    )
    AgendaItemFactory(
        meeting=meeting, position=1, title=SECRET, notes="Warrant", sensitivity=Sensitivity.LAW_ENFORCEMENT
    )
    return meeting


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing raises, as kombu does when the broker refuses the connection."""

    def refuse(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(tasks.render_export, "apply_async", refuse)


def pdf_text(content):
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join("\n".join(page.extract_text() for page in reader.pages).split())


def request_export(client, kind, target, capture):
    with capture(execute=True):
        return client.post("/exports/new/", {"kind": kind, "target": str(target)})
