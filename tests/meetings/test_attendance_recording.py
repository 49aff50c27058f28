"""Recording attendance and the quorum, on the attendance sheet and on the meeting page."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Invitee, Meeting
from members.models import Role
from taskforce.models import QuorumRule, TaskForce
from tests.factories import AgencyFactory, member_of

from .factories import InviteeFactory, MeetingFactory


@pytest.fixture
def meeting(task_force, coordinator):
    """Starting in ten minutes: attendance is taken from 30 minutes before the start."""
    starts_at = timezone.now() + timedelta(minutes=10)
    return MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        title="March meeting",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
    )


@pytest.fixture
def third_agency(task_force):
    return AgencyFactory(task_force=task_force, name="County Prosecutor", sector="prosecution")


@pytest.fixture
def prosecutor(third_agency):
    return member_of(third_agency, Role.MEMBER, email="prosecutor@example.org", full_name="Pat Prosecutor")


@pytest.fixture
def invitations(meeting, agency, other_agency, third_agency, member, lead, lead_other, prosecutor):
    """Four people from three agencies: two of the sheriff's office, one each of the others."""
    return {
        "member": InviteeFactory(meeting=meeting, user=member, agency=agency, response="yes"),
        "lead": InviteeFactory(meeting=meeting, user=lead, agency=agency, response="no"),
        "lead_other": InviteeFactory(meeting=meeting, user=lead_other, agency=other_agency, response="yes"),
        "prosecutor": InviteeFactory(meeting=meeting, user=prosecutor, agency=third_agency),
    }


def sheet_url(meeting):
    return reverse("meetings:meeting-attendance", args=[meeting.task_force.slug, meeting.code])


def detail_url(meeting):
    return reverse("meetings:meeting-detail", args=[meeting.task_force.slug, meeting.code])


def sheet(invitations, **marks):
    """POST data: each invitee named in `marks` gets that attendance, the others none."""
    return {f"attendance_{invitations[name].pk}": value for name, value in marks.items()}


def text(response):
    """The page with its whitespace collapsed, so assertions do not depend on indentation."""
    return " ".join(response.content.decode().split())


def attendance_of(invitations):
    return {name: Invitee.objects.get(pk=invitee.pk).attendance for name, invitee in invitations.items()}


class TestAttendanceSheet:
    def test_it_lists_every_invitee_with_three_choices(self, login, coordinator, meeting, invitations):
        response = login(coordinator).get(sheet_url(meeting))
        assert response.status_code == 200
        page = response.content.decode()
        for name in ("Mo Member", "Lee Lead", "Olga Otherlead", "Pat Prosecutor"):
            assert name in page
        assert page.count('type="radio"') == 12
        assert "Mark the 2 who said yes as present" in page

    def test_saving_records_everyone_and_marks_a_started_meeting_held(
        self, login, coordinator, meeting, invitations
    ):
        data = sheet(invitations, member="present", lead="excused", lead_other="present", prosecutor="absent")
        with time_machine.travel(meeting.starts_at + timedelta(minutes=30)):
            response = login(coordinator).post(sheet_url(meeting), data, follow=True)
        assert response.status_code == 200
        assert attendance_of(invitations) == {
            "member": "present",
            "lead": "excused",
            "lead_other": "present",
            "prosecutor": "absent",
        }
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.HELD
        page = text(response)
        assert "Attendance saved" in page
        assert "Quorum reached:</strong> 2 of 3 agencies present, 2 needed" in page

    def test_attendance_recorded_before_the_start_leaves_the_meeting_scheduled(
        self, login, coordinator, meeting, invitations
    ):
        login(coordinator).post(sheet_url(meeting), sheet(invitations, lead="excused"))
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.SCHEDULED
        assert attendance_of(invitations)["lead"] == "excused"

    def test_attendance_is_refused_well_before_the_meeting(
        self, login, coordinator, task_force, member, agency
    ):
        later = MeetingFactory(task_force=task_force, organiser=coordinator)
        invitee = InviteeFactory(meeting=later, user=member, agency=agency)
        data = {f"attendance_{invitee.pk}": "present"}
        response = login(coordinator).post(sheet_url(later), data, follow=True)
        assert "Attendance is taken at the meeting" in response.content.decode()
        assert Invitee.objects.get(pk=invitee.pk).attendance == ""

    def test_a_row_left_empty_is_not_recorded(self, login, coordinator, meeting, invitations):
        Invitee.objects.filter(pk=invitations["member"].pk).update(attendance="present")
        login(coordinator).post(sheet_url(meeting), sheet(invitations, lead="absent"))
        assert attendance_of(invitations)["member"] == ""

    def test_those_who_said_yes_can_be_marked_present_in_one_go(
        self, login, coordinator, meeting, invitations
    ):
        response = login(coordinator).get(sheet_url(meeting) + "?prefill=yes")
        form = response.context["form"]
        assert form[f"attendance_{invitations['member'].pk}"].value() == "present"
        assert form[f"attendance_{invitations['lead_other'].pk}"].value() == "present"
        assert form[f"attendance_{invitations['lead'].pk}"].value() == ""
        assert "Check the list, then save." in response.content.decode()
        assert attendance_of(invitations)["member"] == ""

    def test_a_bad_value_is_a_form_error_and_nothing_is_saved(self, login, coordinator, meeting, invitations):
        data = sheet(invitations, member="present", lead="asleep")
        response = login(coordinator).post(sheet_url(meeting), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Lee Lead: Select a valid choice." in page
        assert "Nothing was saved." in page
        assert attendance_of(invitations)["member"] == ""

    def test_a_cancelled_meeting_has_no_attendance(self, login, coordinator, meeting, invitations):
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
        client = login(coordinator)
        page = client.get(sheet_url(meeting), follow=True).content.decode()
        assert "there is no attendance to record" in page
        response = client.post(sheet_url(meeting), sheet(invitations, member="present"))
        assert response.status_code == 200
        assert attendance_of(invitations)["member"] == ""
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.CANCELLED

    def test_a_meeting_with_nobody_invited_says_what_to_do(self, login, coordinator, meeting):
        response = login(coordinator).get(sheet_url(meeting))
        assert "Invite people</a> first" in response.content.decode()

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("co_chair", 200),
            ("admin", 200),
        ],
    )
    def test_only_organisers_record_attendance(
        self, request, client, login, meeting, invitations, who, status
    ):
        visitor = client if who == "anonymous" else login(request.getfixturevalue(who))
        assert visitor.get(sheet_url(meeting)).status_code == status
        response = visitor.post(sheet_url(meeting), sheet(invitations, member="present"))
        assert response.status_code == (302 if status == 200 else status)
        if status != 200:
            assert attendance_of(invitations)["member"] == ""

    def test_the_sheet_takes_the_same_number_of_queries_for_60_people(
        self, login, coordinator, meeting, agency, django_assert_max_num_queries
    ):
        def invite(count):
            for _ in range(count):
                person = member_of(agency)
                InviteeFactory(meeting=meeting, user=person, agency=agency)

        client = login(coordinator)
        invite(5)
        client.get(sheet_url(meeting))
        with CaptureQueriesContext(connection) as few:
            client.get(sheet_url(meeting))
        invite(55)
        with django_assert_max_num_queries(len(few)):
            response = client.get(sheet_url(meeting))
        assert response.content.decode().count('type="radio"') == 180


def set_rule(task_force, rule, fixed=None):
    TaskForce.objects.filter(pk=task_force.pk).update(quorum_rule=rule, quorum_agencies=fixed)


class TestQuorumOnTheMeetingPage:
    @pytest.mark.parametrize(
        ("rule", "fixed", "present", "expected"),
        [
            (
                QuorumRule.MAJORITY_OF_AGENCIES,
                None,
                ["member", "lead"],
                "Quorum not reached:</strong> 1 of 3 agencies present, 2 needed",
            ),
            (
                QuorumRule.MAJORITY_OF_AGENCIES,
                None,
                ["member", "prosecutor"],
                "Quorum reached:</strong> 2 of 3 agencies present, 2 needed",
            ),
            (
                QuorumRule.TWO_THIRDS_OF_AGENCIES,
                None,
                ["member", "prosecutor"],
                "Quorum reached:</strong> 2 of 3 agencies present, 2 needed",
            ),
            (
                QuorumRule.TWO_THIRDS_OF_AGENCIES,
                None,
                ["member", "lead"],
                "Quorum not reached:</strong> 1 of 3 agencies present, 2 needed",
            ),
            (
                QuorumRule.MAJORITY_OF_PEOPLE,
                None,
                ["member", "lead"],
                "Quorum not reached:</strong> 2 of 4 people present, 3 needed",
            ),
            (
                QuorumRule.MAJORITY_OF_PEOPLE,
                None,
                ["member", "lead", "prosecutor"],
                "Quorum reached:</strong> 3 of 4 people present, 3 needed",
            ),
            (
                QuorumRule.FIXED_AGENCIES,
                3,
                ["member", "lead_other"],
                "Quorum not reached:</strong> 2 of 3 agencies present, 3 needed",
            ),
            (
                QuorumRule.FIXED_AGENCIES,
                1,
                ["lead"],
                "Quorum reached:</strong> 1 of 3 agencies present, 1 needed",
            ),
        ],
    )
    def test_quorum_follows_the_task_forces_rule(
        self, login, coordinator, meeting, invitations, task_force, rule, fixed, present, expected
    ):
        set_rule(task_force, rule, fixed)
        client = login(coordinator)
        client.post(sheet_url(meeting), sheet(invitations, **dict.fromkeys(present, "present")))
        page = text(client.get(detail_url(meeting)))
        assert expected in page
        assert f"(rule: {QuorumRule(rule).label})" in page

    def test_before_attendance_it_says_how_many_are_needed(self, login, member, meeting, invitations):
        page = text(login(member).get(detail_url(meeting)))
        assert "2 of 3 agencies needed; attendance not recorded yet" in page

    def test_the_invitee_list_counts_answers_and_shows_attendance(
        self, login, coordinator, meeting, invitations
    ):
        client = login(coordinator)
        client.post(sheet_url(meeting), sheet(invitations, member="present", lead="excused"))
        page = text(client.get(detail_url(meeting)))
        assert "Yes: <strong>2</strong>" in page
        assert "No: <strong>1</strong>" in page
        assert "Not answered: <strong>1</strong>" in page
        assert "Present: <strong>1</strong>" in page
        assert "Record attendance" in page
        # Nudging is for before the meeting: by now it is under way.
        assert "Nudge" not in page

    def test_the_organiser_nudges_before_the_meeting_and_records_attendance_at_it(
        self, login, coordinator, task_force, member, agency
    ):
        later = MeetingFactory(task_force=task_force, organiser=coordinator)
        InviteeFactory(meeting=later, user=member, agency=agency)
        page = text(login(coordinator).get(detail_url(later)))
        assert "Nudge 1 who have not answered" in page
        assert "Record attendance" not in page and "Attendance is taken at the meeting" in page

    def test_members_see_the_list_but_not_the_organisers_buttons(self, login, member, meeting, invitations):
        page = text(login(member).get(detail_url(meeting)))
        assert "Olga Otherlead" in page
        assert "Record attendance" not in page
        assert "Nudge" not in page

    def test_the_answer_box_is_closed_for_a_cancelled_meeting(self, login, member, meeting, invitations):
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED, cancel_reason="Snow.")
        page = text(login(member).get(detail_url(meeting)))
        assert "This meeting was cancelled, so there is nothing to answer." in page
        assert 'name="response"' not in page

    def test_the_answer_box_is_closed_after_the_meeting(self, login, member, meeting, invitations):
        with time_machine.travel(meeting.ends_at + timedelta(hours=1)):
            page = text(login(member).get(detail_url(meeting)))
        assert "This meeting is over, so answers are closed. You answered: <strong>Yes</strong>." in page
        assert 'name="response"' not in page

    def test_the_answer_box_offers_three_answers_to_an_invitee(self, login, member, meeting, invitations):
        page = text(login(member).get(detail_url(meeting)))
        for value in ("yes", "no", "maybe"):
            assert f'name="response" value="{value}"' in page
        assert 'hx-post="/tf/harbor/meetings/' in page
