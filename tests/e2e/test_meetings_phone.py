"""The meetings pages on a phone: the menu opens from its toggle and nothing scrolls sideways.

A meeting with long names in it (agenda items, people, agencies, a video link, votes, an action item
and a trend brief), because long words are what push a phone page wider than the screen. The
screenshots land in $E2E_SCREENSHOTS (default /tmp/e2e-shots)/meetings-390x844, for a person to
look at; the test asserts only what a machine can judge.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Invitee, Sensitivity, Vote
from meetings.services import attendance
from members.models import Role
from tests.factories import member_of
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    DecisionFactory,
    MeetingFactory,
    TrendBriefFactory,
    VoteFactory,
)

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", Path(tempfile.gettempdir()) / "e2e-shots"))
LONG_NAME = "Maximiliana Vandenberghe-Oyelaran"


def horizontal_overflow(page):
    """How many CSS pixels the document is wider than its window (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def meeting(
    transactional_db, task_force, agency, other_agency, coordinator, lead, member, observer, lead_other
):
    """A meeting with three agenda items, everyone invited and attendance, a decision, action items
    and a trend brief."""
    long_member = member_of(
        agency,
        Role.MEMBER,
        email="maximiliana.vandenberghe-oyelaran@harborcountysheriff.example.org",
        full_name=LONG_NAME,
        job_title="Senior Human Trafficking Investigations Unit Detective Sergeant",
    )
    meeting = MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        title="Full task force meeting with the county prosecutor and the labour inspectorate",
        place="Harbor County Administration Building, 1200 Waterfront Boulevard, Conference Room 4B",
        video_link="https://teams.example.org/l/meetup-join/19%3ameeting_ZjA2YjM0NGQtYTk0Ny00NmQ2LWJl"
        "NzYtYjg0MmQ5ZDAxNTc0%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%7d",
        description="Quarterly review of referrals, labour trafficking outreach and the MOU renewals.",
        # Under way: attendance is taken at the meeting.
        starts_at=timezone.now() - timedelta(minutes=20),
        ends_at=timezone.now() + timedelta(minutes=70),
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Introductions and apologies",
        minutes_allotted=5,
        position=0,
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Referral protocol between the shelter, the sheriff's office and the labour inspectorate",
        presenter=long_member,
        minutes_allotted=25,
        position=1,
        notes="Referrals now reach the shelter within one hour; two agencies asked for a shared form.",
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Open investigations",
        sensitivity=Sensitivity.LAW_ENFORCEMENT,
        minutes_allotted=20,
        position=2,
    )
    invitees = attendance.invite_audience(meeting)
    attendance.record_attendance(
        meeting,
        {
            invitee.pk: Invitee.Attendance.ABSENT
            if invitee.user_id == observer.pk
            else Invitee.Attendance.PRESENT
            for invitee in invitees
        },
    )
    decision = DecisionFactory(
        meeting=meeting,
        motion="Adopt the one-hour referral call between the shelter and the sheriff's office as protocol.",
        moved_by=lead,
        seconded_by=lead_other,
    )
    VoteFactory(decision=decision, agency=agency, choice=Vote.Choice.FOR)
    VoteFactory(decision=decision, agency=other_agency, choice=Vote.Choice.ABSTAIN)
    ActionItemFactory(
        agency=agency,
        assignee=member,
        meeting=meeting,
        created_by=coordinator,
        title="Circulate the updated referral flowchart to every member agency",
    )
    ActionItemFactory(
        agency=agency,
        assignee=long_member,
        meeting=meeting,
        created_by=coordinator,
        title="Draft the memorandum of understanding with the state labour inspectorate",
    )
    TrendBriefFactory(meeting=meeting, agency=other_agency, submitted_by=lead_other)
    return meeting


def test_a_coordinator_on_a_phone_reaches_meetings_through_the_menu_toggle(
    live_server, signed_in, meeting, coordinator
):
    page = signed_in(coordinator, viewport=PHONE, is_mobile=True)
    nav = page.get_by_role("navigation", name="Main navigation")
    meetings_link = nav.get_by_role("link", name="Meetings")
    toggle = nav.get_by_role("button", name="Show navigation")
    expect(meetings_link).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Action items")).to_be_visible()
    meetings_link.click()

    expect(page.get_by_role("heading", level=1, name="Meetings")).to_be_visible()
    expect(page.get_by_role("link", name=meeting.title)).to_be_visible()
    assert horizontal_overflow(page) <= 0


def test_the_meetings_pages_fit_a_phone(live_server, signed_in, meeting, task_force, coordinator):
    page = signed_in(coordinator, viewport=PHONE, is_mobile=True)
    base = f"{live_server.url}/tf/{task_force.slug}"
    pages = {
        "meeting-list": f"{base}/meetings/",
        "meeting": f"{base}/meetings/{meeting.code}/",
        "agenda": f"{base}/meetings/{meeting.code}/agenda/",
        "attendance": f"{base}/meetings/{meeting.code}/attendance/",
        "meeting-decisions": f"{base}/meetings/{meeting.code}/decisions/",
        "decisions-log": f"{base}/decisions/",
        "action-items": f"{base}/action-items/",
        "meeting-action-items": f"{base}/meetings/{meeting.code}/action-items/",
        "trends": f"{base}/trends/",
    }
    shots = SCREENSHOTS / f"meetings-{PHONE['width']}x{PHONE['height']}"
    shots.mkdir(parents=True, exist_ok=True)
    overflowing = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, name
        page.screenshot(path=shots / f"{name}.png", full_page=True)
        if (overflow := horizontal_overflow(page)) > 0:
            overflowing[name] = overflow
    assert overflowing == {}
