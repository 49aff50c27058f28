"""Browser journeys: pytest-django's live server driven by Debian's headless Chromium.

`playwright install` cannot download a browser on our machines, so the tests launch
/usr/bin/chromium (`apt-get install -y chromium`). Without it they skip on a laptop and fail
under CI, where a silent skip would hide the whole browser suite.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

# The live server's ORM calls run next to Playwright's event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
NO_CHROMIUM = f"{CHROMIUM} is missing: install Debian's chromium: apt-get install -y chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(NO_CHROMIUM, pytrace=False)
        pytest.skip(NO_CHROMIUM)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


def sign_in(page, live_server, user, password=PASSWORD):
    """Sign in through the real form at /accounts/login/ and wait until it has let us in."""
    page.goto(f"{live_server.url}/accounts/login/")
    submit_sign_in_form(page, user.email, password)


def submit_sign_in_form(page, email, password=PASSWORD):
    """Fill the sign-in form already on the page (for example after a redirect to it)."""
    expect(page.get_by_role("heading", name="Sign in to Taskforce")).to_be_visible()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.fixture
def signed_in(new_context, live_server):
    """signed_in(user, **context_args) -> a page of a fresh browser context, signed in as user."""

    def open_page(user, **context_args):
        page = new_context(**context_args).new_page()
        sign_in(page, live_server, user)
        return page

    return open_page
