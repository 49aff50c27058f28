"""A meeting's whole life, through the pages: a series is set up, an agenda built, a member answers,
attendance and quorum, minutes, a decision with votes by agency, an action item done, the minutes PDF.
"""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, TU, rrule
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import Meeting

SERIES_TITLE = "Monthly task force meeting"
FIRST_ITEM = "Referral protocol review"
SECOND_ITEM = "Labour trafficking outreach"
NOTES = "The shelter and the sheriff's office agreed to call each other within one hour of a referral."
MOTION = "Adopt the one-hour referral call as the task force's protocol."
ACTION = "Circulate the updated referral flowchart"


def open_meetings(page):
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", level=1, name="Meetings")).to_be_visible()


def open_first_meeting(page):
    """The soonest meeting of the series: the list shows the upcoming ones, soonest first."""
    open_meetings(page)
    page.get_by_role("table").get_by_role("link", name=SERIES_TITLE).first.click()
    expect(page.get_by_role("heading", level=1, name=SERIES_TITLE)).to_be_visible()


def open_tab(page, name):
    page.get_by_role("list", name="Meeting sections").get_by_role("link", name=name).click()


def mark_page(page):
    """Leave a flag in the window: it survives an htmx swap and vanishes if the page reloads."""
    page.evaluate("window.__sameDocument = true")


def same_page(page):
    return page.evaluate("window.__sameDocument === true")


def for_item(verb, title):
    """A button's name with the item's title in hidden text after it ("Done: title")."""
    return re.compile(rf"^{verb}\W+{re.escape(title)}$")


def second_tuesdays_from(day, count):
    return [moment.date() for moment in rrule(MONTHLY, byweekday=TU(2), dtstart=day, count=count)]


def test_a_monthly_meeting_from_series_to_minutes_pdf(
    live_server,
    transactional_db,
    settings,
    tmp_path,
    mailoutbox,
    signed_in,
    task_force,
    agency,
    other_agency,
    coordinator,
    lead,
    member,
    observer,
    lead_other,
):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tomorrow on the task force's clock, so that the first meeting is always still to come.
    starting_on = task_force.today() + timedelta(days=1)
    dates = second_tuesdays_from(starting_on, 6)

    # 1. The coordinator sets up "monthly on the second Tuesday, 10:00" from the Meetings page.
    coordinator_page = signed_in(coordinator)
    open_meetings(coordinator_page)
    coordinator_page.get_by_role("link", name="Set up a series", exact=True).click()
    expect(coordinator_page.get_by_role("heading", level=1, name="Set up a series")).to_be_visible()
    form = coordinator_page.get_by_role("main")
    form.get_by_label("Title").fill(SERIES_TITLE)
    form.get_by_label("Kind").select_option(label="Full task force")
    form.get_by_label("Frequency").select_option(label="Monthly on a weekday (e.g. the second Tuesday)")
    form.get_by_label("Which week of the month").select_option(label="Second")
    form.get_by_label("Day of the week").select_option(label="Tuesday")
    form.get_by_label("Starting on").fill(starting_on.isoformat())
    form.get_by_label("Starts at").fill("10:00")
    form.get_by_label("Length in minutes").fill("90")
    form.get_by_label("After a number of meetings").check()
    form.get_by_role("spinbutton", name="Number of meetings").fill("6")
    form.get_by_label("Place").fill("County Building, Room 4")
    form.get_by_label("The whole task force").check()
    form.get_by_role("button", name="Create the series").click()
    expect(coordinator_page.get_by_role("status").first).to_contain_text(
        "6 meetings scheduled: Monthly on the second Tuesday at 10:00."
    )
    meetings = coordinator_page.get_by_role("table")
    expect(meetings.get_by_role("row")).to_have_count(1 + 6)  # the header and the six meetings
    expect(meetings.get_by_role("link", name=SERIES_TITLE)).to_have_count(6)
    for row, day in zip(meetings.get_by_role("row").all()[1:], dates, strict=True):
        expect(row).to_contain_text(f"{day:%a} {day.day} {day:%b %Y}")
        expect(row).to_contain_text("10:00–11:30")

    # The first meeting is (almost always) within the five weeks in which invitations go out: the
    # member's invitation carries the meeting for their calendar.
    if dates[0] < task_force.today() + timedelta(days=34):
        invitation = next(email for email in mailoutbox if email.to == [member.email])
        (ics,) = invitation.attachments
        assert "METHOD:REQUEST" in ics.get_payload(decode=True).decode()

    # 2. The coordinator opens the first meeting and builds its agenda.
    open_first_meeting(coordinator_page)
    meeting_url = coordinator_page.url
    open_tab(coordinator_page, "Agenda and minutes")
    expect(coordinator_page.get_by_text("No items yet.")).to_be_visible()
    for title, presenter, minutes in ((FIRST_ITEM, lead, "20"), (SECOND_ITEM, lead_other, "15")):
        coordinator_page.get_by_role("link", name="Add item").click()
        expect(coordinator_page.get_by_role("heading", level=1)).to_have_text("Add an agenda item")
        coordinator_page.get_by_label("Title").fill(title)
        coordinator_page.get_by_label("Presenter").select_option(label=presenter.full_name)
        coordinator_page.get_by_label("Minutes allotted").fill(minutes)
        coordinator_page.get_by_role("button", name="Add to the agenda").click()
        expect(coordinator_page.get_by_role("status").first).to_contain_text("The item is on the agenda.")
    agenda = coordinator_page.get_by_role("heading", level=2).filter(has_text=re.compile(r"^\d+\. "))
    expect(agenda).to_have_text([f"1. {FIRST_ITEM}", f"2. {SECOND_ITEM}"])
    expect(coordinator_page.get_by_text(f"presented by {lead.full_name}")).to_be_visible()
    expect(coordinator_page.locator("#agenda-summary")).to_contain_text("2 items · 35 minutes planned")

    # The second item moves up by keyboard: focus its Move up button and press Enter.
    move_up = coordinator_page.get_by_role("button", name=f"Move up {SECOND_ITEM}")
    move_up.focus()
    expect(move_up).to_be_focused()
    coordinator_page.keyboard.press("Enter")
    expect(agenda).to_have_text([f"1. {SECOND_ITEM}", f"2. {FIRST_ITEM}"])
    expect(coordinator_page.get_by_role("button", name=f"Move up {SECOND_ITEM}")).to_be_disabled()

    # 3. The member, invited with the whole task force, answers Yes on the meeting's page.
    member_page = signed_in(member)
    open_first_meeting(member_page)
    assert member_page.url == meeting_url
    rsvp = member_page.get_by_role("region", name="Will you come?")
    expect(member_page.get_by_role("main")).to_contain_text("Invited The whole task force")
    expect(rsvp).to_contain_text("You have not answered yet.")
    mark_page(member_page)
    rsvp.get_by_role("group", name="Your answer").get_by_role("button", name="Yes").click()
    expect(rsvp.get_by_role("status")).to_have_text("Thank you: your answer is yes.")
    expect(rsvp).to_contain_text("Your answer: Yes")
    expect(rsvp.get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "true")
    assert member_page.url == meeting_url
    assert same_page(member_page), "the answer reloaded the page instead of swapping in place"

    # Before the meeting, attendance is not taken yet.
    coordinator_page.goto(meeting_url)
    invitees = coordinator_page.get_by_role("region", name=re.compile(r"^Invited"))
    expect(invitees).to_contain_text("Attendance is taken at the meeting.")
    expect(invitees.get_by_role("link", name="Record attendance")).to_have_count(0)

    # The day comes: the meeting is now under way (its start moved to five minutes ago).
    first = Meeting.objects.get(code=meeting_url.rstrip("/").rsplit("/", 1)[-1])
    length = first.ends_at - first.starts_at
    first.starts_at = timezone.now() - timedelta(minutes=5)
    first.ends_at = first.starts_at + length
    first.save(update_fields=["starts_at", "ends_at"])

    # 4. The coordinator records attendance: the member who said yes, and one person per agency.
    coordinator_page.goto(meeting_url)
    invitees = coordinator_page.get_by_role("region", name=re.compile(r"^Invited"))
    expect(invitees.get_by_role("status")).to_contain_text("attendance not recorded yet")
    invitees.get_by_role("link", name="Record attendance").click()
    expect(coordinator_page.get_by_role("heading", name="Record attendance")).to_be_visible()
    coordinator_page.get_by_role("link", name="Mark the 1 who said yes as present").click()
    expect(coordinator_page.get_by_text("Everyone who said yes is marked present below.")).to_be_visible()
    sheet = coordinator_page.get_by_role("list", name="Attendance of the 5 people invited")

    def person(user):
        return sheet.get_by_role("group", name=re.compile(rf"^{re.escape(user.full_name)}\b"))

    expect(person(member).get_by_role("radio", name="Present")).to_be_checked()
    person(coordinator).get_by_text("Present", exact=True).click()
    person(lead).get_by_text("Excused", exact=True).click()
    person(observer).get_by_text("Absent", exact=True).click()
    person(lead_other).get_by_text("Present", exact=True).click()
    coordinator_page.get_by_role("button", name="Save attendance").click()
    expect(coordinator_page.get_by_role("status").first).to_contain_text("Attendance saved.")
    coordinator_page.get_by_role("link", name="Back to the meeting").click()
    expect(coordinator_page).to_have_url(meeting_url)
    expect(invitees.get_by_role("status")).to_contain_text(
        "Quorum reached: 2 of 2 agencies present, 2 needed"
    )

    # 5. Minutes notes for an item, then the minutes are circulated.
    open_tab(coordinator_page, "Agenda and minutes")
    coordinator_page.get_by_role("link", name=f"Minutes notes of {FIRST_ITEM}").click()
    expect(coordinator_page.get_by_role("heading", level=1)).to_have_text(f"Minutes of “{FIRST_ITEM}”")
    coordinator_page.get_by_label("Minutes of this item").fill(NOTES)
    coordinator_page.get_by_role("button", name="Save notes").click()
    expect(coordinator_page.get_by_role("status").first).to_contain_text(
        "The minutes of this item are saved."
    )
    expect(coordinator_page.get_by_text(NOTES)).to_be_visible()
    coordinator_page.get_by_role("button", name="Circulate minutes").click()
    expect(coordinator_page.get_by_role("status").first).to_contain_text("The minutes are circulated.")
    minutes_status = coordinator_page.get_by_role("region", name="Minutes")
    expect(minutes_status).to_contain_text("Circulated")
    expect(minutes_status.get_by_role("button", name="Circulate minutes")).to_have_count(0)

    # 6. A decision with one vote per agency, and an action item for the member.
    open_tab(coordinator_page, "Decisions")
    coordinator_page.get_by_role("link", name="Record a decision").first.click()
    coordinator_page.get_by_label("Motion").fill(MOTION)
    coordinator_page.get_by_label("Moved by").select_option(label=lead.full_name)
    coordinator_page.get_by_label("Seconded by").select_option(label=lead_other.full_name)
    votes = coordinator_page.get_by_role("group", name="Votes: one agency, one vote")
    votes.get_by_label(agency.name).select_option(label="For")
    votes.get_by_label(other_agency.name).select_option(label="Abstain")
    coordinator_page.get_by_role("button", name="Record the decision").click()
    expect(coordinator_page.get_by_role("status").first).to_contain_text(
        "The decision is recorded: carried (1 for, 0 against, 1 abstaining)."
    )
    decision = coordinator_page.get_by_role("listitem").filter(has_text=MOTION)
    expect(decision).to_contain_text("Carried")
    expect(decision).to_contain_text("Votes by agency: 1 for · 0 against · 1 abstaining")

    open_tab(coordinator_page, "Action items")
    coordinator_page.get_by_role("link", name="Add an action item").first.click()
    expect(coordinator_page.get_by_role("heading", level=1)).to_have_text("Add an action item")
    due_on = task_force.today() + timedelta(days=21)
    coordinator_page.get_by_label("Title").fill(ACTION)
    coordinator_page.get_by_label("Assignee").select_option(label=member.full_name)
    coordinator_page.get_by_label("Due date").fill(due_on.isoformat())
    expect(coordinator_page.get_by_label("Meeting")).to_have_value(re.compile(r".+"))
    coordinator_page.get_by_role("button", name="Add the action item").click()
    expect(coordinator_page.get_by_role("status").first).to_contain_text(
        f"“{ACTION}” is assigned to {member.full_name}, due {due_on:%d %b %Y}."
    )
    expect(coordinator_page.get_by_role("table").get_by_role("link", name=ACTION)).to_be_visible()

    # 7. The member marks the item done in place, from My action items.
    member_page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Action items"
    ).click()
    expect(member_page.get_by_role("heading", level=1)).to_have_text("My action items")
    row = member_page.get_by_role("row").filter(has=member_page.get_by_role("link", name=ACTION))
    expect(row).to_contain_text(agency.name)
    expect(row).to_contain_text("Open")
    my_items_url = member_page.url
    mark_page(member_page)
    row.get_by_role("button", name=for_item("Done", ACTION)).click()
    expect(row.get_by_role("status")).to_have_text(f"“{ACTION}” is now done.")
    expect(row).to_contain_text("Done")
    expect(row.get_by_role("button", name=for_item("Reopen", ACTION))).to_be_visible()
    assert member_page.url == my_items_url
    assert same_page(member_page), "marking the item done reloaded the page instead of swapping the row"
    member_page.reload()
    expect(member_page.get_by_text("You have no open action items.")).to_be_visible()
    done = member_page.get_by_role("table", name="Your action items recently done or dropped")
    expect(done.get_by_role("row").filter(has_text=ACTION)).to_contain_text("Done")

    # 8. The coordinator asks for the minutes as a PDF: the exports engine makes it (at once here,
    # as Celery runs eagerly when the request commits), its page offers the download, and it opens.
    open_tab(coordinator_page, "Agenda and minutes")
    coordinator_page.get_by_role("button", name="Minutes (PDF)").click()
    expect(coordinator_page).to_have_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
    expect(coordinator_page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^Minutes: {re.escape(SERIES_TITLE)}, ")
    )
    ready = coordinator_page.get_by_role("status").filter(has_text="Your PDF is ready.")
    expect(ready).to_be_visible()
    with coordinator_page.expect_download() as download_info:
        ready.get_by_role("link", name=re.compile(r"^Download minutes-")).click()
    download = download_info.value
    assert download.suggested_filename.startswith(
        f"minutes-{first.starts_at.astimezone(ZoneInfo(task_force.time_zone)):%Y-%m-%d}-"
    )
    assert download.suggested_filename.endswith(".pdf")
    reader = PdfReader(download.path())
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert SERIES_TITLE in text
    assert NOTES in text
    assert MOTION in text
    assert ACTION in text
