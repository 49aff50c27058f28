"""The protocols pages on a phone: nothing scrolls sideways, whatever long names, long words and
wide Markdown tables a document holds. Screenshots land in $E2E_SCREENSHOTS (default
/tmp/e2e-shots)/protocols-390x844 for a person to look at; the test asserts what a machine can judge.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from protocols.models import Kind, Signatory, Status
from tests.protocols.factories import DocumentFactory, SignatoryFactory, VersionFactory

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", Path(tempfile.gettempdir()) / "e2e-shots"))
LONG_WORD = "Interjurisdictional-information-sharing-and-confidentiality-arrangements"
BODY = (
    f"# {LONG_WORD}\n\n"
    "| Agency | Contact role | Hours | Referral channel | Escalation | Notes |\n"
    "|---|---|---|---|---|---|\n"
    "| Harbor County Sheriff's Office | Duty sergeant | 24/7 | Secure line | Lieutenant | None |\n\n"
    f"See https://example.org/{LONG_WORD}/{LONG_WORD} for the signed copy.\n"
)


def horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def long_mou(transactional_db, task_force, agency, other_agency):
    document = DocumentFactory(
        task_force=task_force, kind=Kind.MOU, category="", title=f"MOU on {LONG_WORD}", owner_agency=agency
    )
    today = timezone.localdate()
    VersionFactory(
        document=document, status=Status.SUPERSEDED, body=BODY, effective_on=today - timedelta(days=400)
    )
    version = VersionFactory(
        document=document,
        status=Status.APPROVED,
        body=BODY + "\nA second paragraph.",
        change_summary=f"Renamed the {LONG_WORD}",
        effective_on=today,
        expires_on=today + timedelta(days=30),
    )
    SignatoryFactory(version=version, agency=agency)
    SignatoryFactory(
        version=version,
        agency=other_agency,
        status=Signatory.SignatureStatus.DECLINED,
        declined_reason=f"The board wants the {LONG_WORD} spelt out.",
    )
    return document, version


def test_the_protocols_pages_fit_a_phone(live_server, signed_in, long_mou, task_force, coordinator, lead):
    document, version = long_mou
    base = f"{live_server.url}/tf/{task_force.slug}"
    shots = SCREENSHOTS / "protocols-390x844"
    shots.mkdir(parents=True, exist_ok=True)
    signatory = version.signatories.get(agency__memberships__user=lead)
    pages = {
        coordinator: {
            "library": f"{base}/documents/",
            "library-expiring": f"{base}/documents/?list=expiring",
            "document": f"{base}/documents/{document.code}/",
            "version": f"{base}/versions/{version.code}/",
            "compare": f"{base}/documents/{document.code}/compare/",
            "new-document": f"{base}/documents/new/",
        },
        lead: {
            "needs-my-signature": f"{base}/signatures/mine/",
            "sign": f"{base}/signatories/{signatory.code}/sign/",
        },
    }
    overflowing = {}
    for user, urls in pages.items():
        page = signed_in(user, viewport=PHONE)
        for name, url in urls.items():
            response = page.goto(url)
            assert response.status == 200, name
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.screenshot(path=shots / f"{name}.png", full_page=True)
            if (overflow := horizontal_overflow(page)) > 0:
                overflowing[name] = overflow
    assert overflowing == {}
