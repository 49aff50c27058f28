"""The jobs of a member, through the pages: the minutes PDF asked for, watched while it is made
and downloaded; then the weekly digest chosen in Reminder settings, and Monday morning's sweep
and digest bring one email listing the meeting and the action item due, and nothing else.
"""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import Invitee, Meeting
from taskforce.exports import tasks as export_tasks
from taskforce.exports.models import ExportJob
from taskforce.reminders import tasks as reminder_tasks
from taskforce.reminders.models import Notice
from tests.meetings.factories import ActionItemFactory, AgendaItemFactory, InviteeFactory, MeetingFactory

PAST_TITLE = "March task force meeting"
NOTES = "The shelter and the sheriff's office agreed to call each other within one hour of a referral."
COMING_TITLE = "Quarterly review"
ACTION = "Draft the referral form"


def following_monday(task_force):
    """07:30 on the next Monday (never today) in the task force's time zone."""
    today = task_force.today()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, time(7, 30), tzinfo=ZoneInfo(task_force.time_zone))


def test_a_member_downloads_the_minutes_and_gets_the_weekly_digest(
    live_server,
    transactional_db,
    settings,
    tmp_path,
    monkeypatch,
    mailoutbox,
    signed_in,
    task_force,
    agency,
    coordinator,
    member,
):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    zone = ZoneInfo(task_force.time_zone)

    # Last week's meeting, which the member was invited to, has its minutes.
    held_at = datetime.combine(task_force.today() - timedelta(days=7), time(10), tzinfo=zone)
    past = MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        title=PAST_TITLE,
        starts_at=held_at,
        ends_at=held_at + timedelta(minutes=90),
        status=Meeting.Status.HELD,
    )
    InviteeFactory(meeting=past, user=member, agency=agency, response=Invitee.Response.YES)
    AgendaItemFactory(meeting=past, position=0, title="Referral protocol review", notes=NOTES)

    # The broker takes the export's task, but no worker has picked it up yet: the test is the worker.
    published = []
    monkeypatch.setattr(
        export_tasks.render_export, "apply_async", lambda args, **kwargs: published.append(args[0])
    )

    # 1. The member asks for the minutes PDF from the meeting's agenda and minutes.
    page = signed_in(member)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Meetings").click()
    page.get_by_role("list", name="Meetings sections").get_by_role("link", name="Past").click()
    page.get_by_role("table").get_by_role("link", name=PAST_TITLE).click()
    expect(page.get_by_role("heading", level=1, name=PAST_TITLE)).to_be_visible()
    page.get_by_role("list", name="Meeting sections").get_by_role("link", name="Agenda and minutes").click()
    page.get_by_role("button", name="Minutes (PDF)").click()

    # 2. The job's page shows it queued, with its progress bar; htmx asks again every second.
    expect(page).to_have_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^Minutes: {PAST_TITLE}, "))
    expect(page.get_by_role("status").first).to_contain_text("Your export is queued.")
    progress = page.get_by_role("progressbar", name="Export progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("aria-valuenow", "0")
    expect(page.locator("#export-status")).to_contain_text("Queued: it starts as soon as a worker is free.")
    job = ExportJob.objects.get(owner=member)
    assert published == [job.pk] and job.status == ExportJob.Status.QUEUED
    page.evaluate("window.__sameDocument = true")

    # 3. A worker makes it; the page, still open, turns to the download without a reload.
    export_tasks.render_export(job.pk)
    ready = page.get_by_role("status").filter(has_text="Your PDF is ready.")
    expect(ready).to_be_visible()
    expect(progress).to_have_count(0)
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded instead of polling"

    # 4. It downloads and opens: the minutes of that meeting.
    with page.expect_download() as download_info:
        ready.get_by_role("link", name=re.compile(r"^Download minutes-")).click()
    download = download_info.value
    assert download.suggested_filename == f"minutes-{held_at:%Y-%m-%d}-march-task-force-meeting.pdf"
    reader = PdfReader(download.path())
    text = re.sub(r"\s+", " ", " ".join(pdf_page.extract_text() for pdf_page in reader.pages))
    assert f"Minutes: {PAST_TITLE}" in text and NOTES in text

    # 5. From the user menu, Reminder settings: meetings and action items in the weekly digest.
    page.get_by_role("button", name=member.get_short_name()).click()
    page.get_by_role("link", name="Reminder settings").click()
    expect(page.get_by_role("heading", level=1, name="How you hear of reminders")).to_be_visible()
    digest = "A weekly digest email (Monday morning)"
    for kind in ("Upcoming meetings", "Action items"):
        group = page.get_by_role("group", name=re.compile(rf"^{kind}"))
        expect(group.get_by_role("radio", name="Email me each one")).to_be_checked()
        group.get_by_role("radio", name=digest).check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("status").first).to_contain_text("Your reminder preferences are saved.")
    for kind in ("Upcoming meetings", "Action items"):
        expect(
            page.get_by_role("group", name=re.compile(rf"^{kind}")).get_by_role("radio", name=digest)
        ).to_be_checked()

    # 6. Due on the following Monday: a meeting in two days they are invited to, and their action
    # item due in two days.
    monday = following_monday(task_force)
    coming_at = datetime.combine(monday.date() + timedelta(days=2), time(10), tzinfo=zone)
    coming = MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        title=COMING_TITLE,
        starts_at=coming_at,
        ends_at=coming_at + timedelta(minutes=60),
    )
    InviteeFactory(meeting=coming, user=member, agency=agency)
    item = ActionItemFactory(
        agency=agency, assignee=member, title=ACTION, due_on=monday.date() + timedelta(days=2)
    )
    mailoutbox.clear()

    # 7. Monday 07:30 on the task force's clock: the sweep holds both for the digest (no email of
    # their own), and the digest task sends one email listing them.
    with time_machine.travel(monday, tick=False):
        reminder_tasks.sweep.delay()
        assert mailoutbox == []
        waiting = Notice.objects.filter(recipient=member, status=Notice.Status.DIGEST)
        assert sorted(waiting.values_list("kind", flat=True)) == ["action_items", "meetings"]
        reminder_tasks.send_digests.delay()

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [member.email]
    assert email.subject == "Your weekly Taskforce digest: 2 reminders"
    meeting_link = f"{live_server.url}{coming.get_absolute_url()}"
    item_path = reverse("meetings:action-item-detail", args=[task_force.slug, item.code])
    item_link = f"{live_server.url}{item_path}"
    listed = [line for line in email.body.splitlines() if line.startswith("- ")]
    assert len(listed) == 2
    assert any(COMING_TITLE in line for line in listed) and any(ACTION in line for line in listed)
    assert meeting_link in email.body and item_link in email.body
    html, _ = email.alternatives[0]
    assert f'href="{meeting_link}"' in html and f'href="{item_link}"' in html

    # 8. Every reminder is also a notice: the Notices page lists the two, unread.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name=re.compile("^Notices")
    ).click()
    expect(page.get_by_role("heading", level=1, name="Notices")).to_be_visible()
    expect(page.locator("#nav-unread-notices")).to_have_text("2 unread")
    notices = page.get_by_role("listitem").filter(
        has=page.get_by_role("button", name=re.compile("^Mark as read"))
    )
    expect(notices).to_have_count(2)
    expect(page.get_by_role("link", name=re.compile(rf"{COMING_TITLE}"))).to_have_attribute(
        "href", coming.get_absolute_url()
    )
    expect(page.get_by_role("link", name=re.compile(rf"{ACTION}$"))).to_have_attribute("href", item_path)
