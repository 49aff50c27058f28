"""Agenda and minutes as PDF (made by the exports engine), redacted for whoever asks for them."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import ActionItem, Attachment, Invitee, Meeting, Sensitivity, Vote
from members.models import Role
from tests.conftest import export_pdf, pdf_bytes
from tests.factories import member_of

from .factories import AgendaItemFactory, DecisionFactory, MeetingFactory, VoteFactory

SECRET = "Operation Lighthouse surveillance"
SECRET_NOTES = "Warrant served at the Bayside motel"


@pytest.fixture
def meeting(task_force, coordinator):
    return MeetingFactory(task_force=task_force, organiser=coordinator, title="March task force meeting")


@pytest.fixture
def agenda(meeting):
    AgendaItemFactory(
        meeting=meeting, position=0, title="Introductions", notes="Everyone introduced themselves."
    )
    police = AgendaItemFactory(
        meeting=meeting,
        position=1,
        title=SECRET,
        description="Plan for the Bayside operation",
        notes=SECRET_NOTES,
        sensitivity=Sensitivity.LAW_ENFORCEMENT,
    )
    Attachment.objects.create(
        item=police, file="meetings/x/y", name="bayside-map.pdf", content_type="application/pdf", size=1
    )
    return police


@pytest.fixture
def shelter_member(other_agency):
    return member_of(other_agency, Role.MEMBER, email="advocate@example.org", full_name="Ava Advocate")


def pdf_text(response):
    reader = PdfReader(io.BytesIO(pdf_bytes(response)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader


def minutes_of(client, meeting):
    return export_pdf(client, "meetings.minutes", meeting.code)


def agenda_of(client, meeting):
    return export_pdf(client, "meetings.agenda", meeting.code)


class TestMinutesPdf:
    def test_a_member_outside_law_enforcement_finds_the_law_enforcement_item_withheld(
        self, login, meeting, agenda, shelter_member
    ):
        text, reader = pdf_text(minutes_of(login(shelter_member), meeting))
        assert "Minutes: March task force meeting" in text
        assert "Everyone introduced themselves." in text
        assert "Withheld: law enforcement only" in text
        for secret in (SECRET, SECRET_NOTES, "Bayside", "bayside-map"):
            assert secret not in text
        assert SECRET not in (reader.metadata.title or "")
        assert "Prepared for Ava Advocate" in text

    def test_a_police_member_reads_it_whole(self, login, meeting, agenda, member):
        text, _ = pdf_text(minutes_of(login(member), meeting))
        assert SECRET in text and SECRET_NOTES in text and "bayside-map.pdf" in text
        assert "Withheld" not in text

    def test_it_carries_attendance_decisions_and_action_items(
        self, login, meeting, agenda, member, lead, agency, other_agency, lead_other
    ):
        Invitee.objects.create(meeting=meeting, user=lead, agency=agency, attendance="present")
        Invitee.objects.create(meeting=meeting, user=lead_other, agency=other_agency, attendance="excused")
        decision = DecisionFactory(meeting=meeting, motion="Adopt the referral protocol.")
        VoteFactory(decision=decision, agency=agency, choice=Vote.Choice.FOR)
        VoteFactory(decision=decision, agency=other_agency, choice=Vote.Choice.AGAINST)
        ActionItem.objects.create(
            task_force=meeting.task_force,
            meeting=meeting,
            title="Send the protocol to the shelters",
            assignee=lead,
            agency=agency,
            due_on=meeting.starts_at.date(),
        )
        text, _ = pdf_text(minutes_of(login(member), meeting))
        assert "present (1) lee lead" in text.lower() and "apologies (1) olga otherlead" in text.lower()
        assert "Adopt the referral protocol." in text and "Carried" in text
        assert "Send the protocol to the shelters" in text

    def test_observers_get_no_action_items(self, login, meeting, agenda, observer, lead, agency):
        ActionItem.objects.create(
            task_force=meeting.task_force,
            meeting=meeting,
            title="Send the protocol to the shelters",
            assignee=lead,
            agency=agency,
            due_on=meeting.starts_at.date(),
        )
        text, _ = pdf_text(minutes_of(login(observer), meeting))
        assert "Send the protocol" not in text and "Action items" not in text

    def test_it_says_which_meeting_approved_the_minutes(
        self, login, task_force, meeting, coordinator, member
    ):
        later = MeetingFactory(task_force=task_force, organiser=coordinator, title="April task force meeting")
        DecisionFactory(meeting=later, approves_minutes_of=meeting)
        Meeting.objects.filter(pk=meeting.pk).update(minutes_status=Meeting.MinutesStatus.APPROVED)
        text, _ = pdf_text(minutes_of(login(member), meeting))
        assert "approved by decision at April task force meeting" in text

    def test_user_text_is_escaped_not_rendered(self, login, meeting, member):
        AgendaItemFactory(meeting=meeting, title="<b>Bold</b> & <img src='http://example.org/x.png'>")
        text, _ = pdf_text(minutes_of(login(member), meeting))
        assert "<b>Bold</b> & <img src='http://example.org/x.png'>" in text

    def test_it_downloads_as_a_private_attachment(self, login, meeting, member):
        response = minutes_of(login(member), meeting)
        assert response["Content-Disposition"].startswith('attachment; filename="minutes-')
        assert response["Content-Disposition"].endswith('-march-task-force-meeting.pdf"')
        assert "no-store" in response["Cache-Control"]


class TestAgendaPdf:
    def test_it_is_redacted_for_its_reader(self, login, meeting, agenda, shelter_member, member):
        text, _ = pdf_text(agenda_of(login(shelter_member), meeting))
        assert "Agenda: March task force meeting" in text and "Introductions" in text
        assert "Withheld: law enforcement only" in text and SECRET not in text and "Bayside" not in text
        text, _ = pdf_text(agenda_of(login(member), meeting))
        assert SECRET in text and "Plan for the Bayside operation" in text

    def test_an_empty_agenda_says_so(self, login, meeting, member):
        text, _ = pdf_text(agenda_of(login(member), meeting))
        assert "The agenda has no items yet." in text


@pytest.mark.parametrize("kind", ["meetings.agenda", "meetings.minutes"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("observer", 200),
        ("member", 200),
        ("lead_other", 200),
        ("other_coordinator", 404),
        ("coordinator", 200),
        ("admin", 200),
    ],
)
def test_who_may_download_the_pdfs(request, login, meeting, kind, who, status):
    client = login(None if who == "anonymous" else request.getfixturevalue(who))
    assert export_pdf(client, kind, meeting.code).status_code == status


def test_a_confidential_meetings_pdfs_are_hidden_from_observers(login, meeting, observer):
    Meeting.objects.filter(pk=meeting.pk).update(confidential=True)
    assert minutes_of(login(observer), meeting).status_code == 404
    assert agenda_of(login(observer), meeting).status_code == 404


class TestAgendaPageButtons:
    def test_the_agenda_page_asks_the_exports_engine_for_both_pdfs(self, login, meeting, member):
        page = login(member).get(reverse("meetings:agenda", args=["harbor", meeting.code])).content.decode()
        assert page.count(f'action="{reverse("exports:job-create")}"') == 2
        assert 'name="kind" value="meetings.agenda"' in page
        assert 'name="kind" value="meetings.minutes"' in page
        assert f'name="target" value="{meeting.code}"' in page
        assert "minutes.pdf" not in page and "agenda.pdf" not in page  # no PDF made in the request
