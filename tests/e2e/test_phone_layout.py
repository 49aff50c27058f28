"""The pages on a phone: the menu opens from its toggle and nothing scrolls sideways.

The screenshots land in $E2E_SCREENSHOTS (default /tmp/e2e-shots), outside the repository,
for a person to look at; the tests assert only what a machine can judge.
"""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from members.models import Role
from tests.factories import member_of

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", Path(tempfile.gettempdir()) / "e2e-shots"))


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_a_member_on_a_phone_reaches_people_through_the_menu_toggle(
    live_server, transactional_db, signed_in, member, coordinator, lead
):
    page = signed_in(member, viewport=PHONE)
    nav = page.get_by_role("navigation", name="Main navigation")
    people_link = nav.get_by_role("link", name="People")
    toggle = nav.get_by_role("button", name="Show navigation")
    expect(people_link).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    people_link.click()

    expect(page.get_by_role("heading", level=1, name="People")).to_be_visible()
    expect(page.get_by_role("link", name=coordinator.full_name)).to_be_visible()
    assert horizontal_overflow(page) <= 0


@pytest.fixture
def populated_task_force(
    transactional_db, agency, other_agency, coordinator, co_chair, lead, member, observer, lead_other
):
    """A task force with people in every role, one of them with a long work address."""
    member_of(
        agency,
        Role.MEMBER,
        email="maximiliana.vandenberghe-oyelaran@harborcountysheriff.example.org",
        full_name="Maximiliana Vandenberghe-Oyelaran",
        job_title="Senior Human Trafficking Investigations Unit Detective Sergeant",
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_main_pages_fit_the_screen(
    live_server, signed_in, populated_task_force, coordinator, agency, task_force, viewport
):
    page = signed_in(coordinator, viewport=viewport)
    base = f"{live_server.url}/tf/{task_force.slug}"
    pages = {
        "home": f"{base}/",
        "people": f"{base}/people/",
        "agency": f"{base}/agencies/{agency.code}/",
        "invite": f"{base}/invitations/new/",
    }
    shots = SCREENSHOTS / f"{viewport['width']}x{viewport['height']}"
    shots.mkdir(parents=True, exist_ok=True)
    overflowing = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, name
        page.screenshot(path=shots / f"{name}.png", full_page=True)
        if (overflow := horizontal_overflow(page)) > 0:
            overflowing[name] = overflow
    assert overflowing == {}
