"""A person's whole membership, through the pages: invited, joins, edited by their lead, ended."""

import re
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import submit_sign_in_form

INVITEE_EMAIL = "nadia.newcomer@example.org"
INVITEE_NAME = "Nadia Newcomer"
INVITEE_PASSWORD = "lantern-orchard-2047"
LINK = re.compile(r"https?://\S+/accounts/invitation/\S+/")


def open_people(page):
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1, name="People")).to_be_visible()


def open_person(page, name):
    open_people(page)
    page.get_by_role("table").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def test_a_person_is_invited_joins_is_edited_and_loses_access_when_ended(
    live_server,
    transactional_db,
    settings,
    mailoutbox,
    new_context,
    signed_in,
    task_force,
    agency,
    coordinator,
    lead,
    member,
):
    settings.SITE_URL = live_server.url
    home_url = f"{live_server.url}/tf/{task_force.slug}/"

    # The coordinator invites a new person from the People page.
    coordinator_page = signed_in(coordinator)
    expect(coordinator_page).to_have_url(home_url)
    open_people(coordinator_page)
    coordinator_page.get_by_role("link", name="Invite a person").click()
    expect(coordinator_page.get_by_role("heading", level=1, name="Invite a person")).to_be_visible()
    coordinator_page.get_by_label("Email").fill(INVITEE_EMAIL)
    coordinator_page.get_by_label("Name (optional)").fill(INVITEE_NAME)
    coordinator_page.get_by_label("Agency").select_option(label=agency.name)
    coordinator_page.get_by_label("Role").select_option(label="Member")
    coordinator_page.get_by_role("button", name="Send invitation").click()
    expect(coordinator_page.get_by_role("status")).to_contain_text(
        f"An invitation is on its way to {INVITEE_EMAIL}"
    )
    expect(coordinator_page.get_by_role("heading", level=1)).to_have_text("Invitations")

    # The email arrives, with a one-time link to this site.
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [INVITEE_EMAIL]
    assert task_force.name in email.subject
    link = LINK.search(email.body).group(0)
    assert link.startswith(f"{live_server.url}/accounts/invitation/")

    # The invitee opens the link in their own browser, chooses a password and is in.
    invitee_page = new_context().new_page()
    invitee_page.goto(link)
    expect(invitee_page.get_by_role("heading", level=1)).to_have_text(f"Join {task_force.name}")
    expect(invitee_page.get_by_label("Your name")).to_have_value(INVITEE_NAME)
    invitee_page.get_by_label("Choose a password").fill(INVITEE_PASSWORD)
    invitee_page.get_by_label("The same password again").fill(INVITEE_PASSWORD)
    invitee_page.get_by_role("button", name="Join the task force").click()
    expect(invitee_page).to_have_url(home_url)
    expect(invitee_page.get_by_role("status")).to_contain_text(f"Welcome to {task_force.name}")
    expect(invitee_page.get_by_role("heading", level=1)).to_have_text(task_force.name)
    expect(invitee_page.get_by_role("button", name="Nadia")).to_be_visible()  # the user menu

    # The lead of the invitee's agency edits their job title.
    lead_page = signed_in(lead)
    open_person(lead_page, INVITEE_NAME)
    lead_page.get_by_role("link", name="Edit details").click()
    lead_page.get_by_label("Job title").fill("Outreach caseworker")
    lead_page.get_by_role("button", name="Save").click()
    expect(lead_page.get_by_role("status")).to_contain_text("The person's details are saved.")
    expect(lead_page.get_by_role("heading", level=1)).to_have_text(INVITEE_NAME)
    expect(lead_page.get_by_role("main")).to_contain_text("Outreach caseworker")

    # The coordinator ends the membership.
    open_person(coordinator_page, INVITEE_NAME)
    expect(coordinator_page.get_by_role("main")).to_contain_text("Outreach caseworker")
    coordinator_page.get_by_role("link", name="End membership").click()
    # Today in the task force's zone. The app takes started_on in UTC on acceptance, so this
    # step fails from 00:00 to about 05:00 UTC, when New York is still on the day before.
    today = timezone.localdate(timezone=ZoneInfo(task_force.time_zone))
    coordinator_page.get_by_label("Last day").fill(today.isoformat())
    coordinator_page.get_by_label("Reason").fill("Left the agency")
    coordinator_page.get_by_role("button", name="End membership").click()
    expect(coordinator_page.get_by_role("status")).to_contain_text(
        f"{INVITEE_NAME}'s membership for {agency.name} has ended"
    )
    expect(coordinator_page.get_by_role("main")).to_contain_text("(Left the agency)")
    expect(coordinator_page.get_by_text("Ended", exact=True)).to_be_visible()
    open_people(coordinator_page)
    people = coordinator_page.get_by_role("table")
    expect(people.get_by_role("link", name=member.full_name)).to_be_visible()
    expect(people.get_by_role("link", name=INVITEE_NAME)).to_have_count(0)

    # On the invitee's very next page load, their session is gone.
    invitee_page.reload()
    expect(invitee_page).to_have_url(re.compile(r"/accounts/login/\?next="))

    # Signed in again, they have no task force: its pages answer 404.
    submit_sign_in_form(invitee_page, INVITEE_EMAIL, INVITEE_PASSWORD)
    expect(invitee_page.get_by_role("heading", level=1)).to_have_text("Page not found")
    response = invitee_page.goto(home_url)
    assert response.status == 404
    invitee_page.get_by_role("link", name="Back to your task force").click()
    expect(invitee_page.get_by_role("heading", level=1)).to_have_text(
        "You are not a member of any task force"
    )
    nav = invitee_page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="People")).to_have_count(0)

    # The others keep their access.
    lead_page.reload()
    expect(lead_page.get_by_role("heading", level=1)).to_have_text(INVITEE_NAME)
