from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from meetings.models import AgendaItem, Invitee, Meeting
from members.models import Role
from tests.factories import member_of

from .factories import CommitteeFactory, StandingItemFactory

NOW = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)  # Monday 4 January 2027, 10:00 in New York


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def committee(task_force):
    return CommitteeFactory(task_force=task_force, name="Labour trafficking")


@pytest.fixture
def chair(agency, committee):
    person = member_of(agency, Role.MEMBER, email="chair@example.org", full_name="Cam Chair")
    committee.chair = person
    committee.save(update_fields=["chair"])
    return person


def create_url(task_force):
    return reverse("meetings:meeting-create", args=[task_force.slug])


def meeting_data(**changes):
    return {
        "title": "Quarterly task force meeting",
        "kind": "full",
        "committee": "",
        "audience": "whole",
        "place": "County Building, Room 4",
        "video_link": "",
        "description": "Bring your agency's referral numbers.",
        "date": "2027-01-12",
        "start_time": "10:00",
        "end_time": "11:30",
        **changes,
    }


class TestScheduleAMeeting:
    def test_the_coordinator_schedules_a_meeting_on_the_task_forces_clock(
        self, login, coordinator, task_force, member, django_capture_on_commit_callbacks
    ):
        StandingItemFactory(task_force=task_force, title="Introductions")
        StandingItemFactory(task_force=task_force, title="Trends and potential victims")
        with django_capture_on_commit_callbacks(execute=True):
            response = login(coordinator).post(create_url(task_force), meeting_data())

        meeting = Meeting.objects.get()
        assert response.status_code == 302
        assert response["Location"] == meeting.get_absolute_url()
        # 10:00 in New York in January is 15:00 UTC.
        assert meeting.starts_at == datetime(2027, 1, 12, 15, 0, tzinfo=UTC)
        assert meeting.ends_at == datetime(2027, 1, 12, 16, 30, tzinfo=UTC)
        assert (meeting.organiser, meeting.task_force, meeting.status) == (
            coordinator,
            task_force,
            "scheduled",
        )
        assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == [
            "Introductions",
            "Trends and potential victims",
        ]
        assert set(Invitee.objects.filter(meeting=meeting).values_list("user", flat=True)) == {
            coordinator.pk,
            member.pk,
        }
        assert sorted(message.to[0] for message in mail.outbox) == sorted([coordinator.email, member.email])

    def test_the_page_offers_the_task_forces_agencies_and_committees(
        self, login, coordinator, task_force, other_agency, committee, foreign_agency
    ):
        page = login(coordinator).get(create_url(task_force)).content.decode()
        assert "Schedule a meeting" in page
        assert other_agency.name in page and committee.name in page
        assert foreign_agency.name not in page

    def test_it_invites_only_the_chosen_agencies(
        self, login, coordinator, task_force, agency, other_agency, lead_other
    ):
        response = login(coordinator).post(
            create_url(task_force), meeting_data(audience="agencies", agencies=[other_agency.pk])
        )
        meeting = Meeting.objects.get()
        assert response.status_code == 302
        assert list(meeting.agencies.all()) == [other_agency]
        assert list(meeting.invitees.values_list("user", flat=True)) == [lead_other.pk]

    def test_a_meeting_online_only_needs_no_place(self, login, coordinator, task_force):
        response = login(coordinator).post(
            create_url(task_force), meeting_data(place="", video_link="https://meet.example.org/harbor")
        )
        assert response.status_code == 302
        assert Meeting.objects.get().video_link == "https://meet.example.org/harbor"

    def test_a_case_coordination_meeting_starts_confidential(self, login, coordinator, task_force):
        form = login(coordinator).get(create_url(task_force), {"kind": "case"}).context["form"]
        assert (form["kind"].value(), form["confidential"].value()) == ("case", True)


class TestBadInput:
    def assert_refused(self, response, message):
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Meeting.objects.exists()

    def test_an_end_before_the_start_is_refused(self, login, coordinator, task_force):
        response = login(coordinator).post(
            create_url(task_force), meeting_data(start_time="11:00", end_time="10:00")
        )
        self.assert_refused(response, "The meeting must end after it starts")

    def test_a_meeting_needs_a_place_or_a_video_link(self, login, coordinator, task_force):
        response = login(coordinator).post(create_url(task_force), meeting_data(place="", video_link=""))
        self.assert_refused(response, "Give a place, a video link, or both")

    def test_a_committee_audience_needs_a_committee(self, login, coordinator, task_force):
        response = login(coordinator).post(create_url(task_force), meeting_data(audience="committee"))
        self.assert_refused(response, "Choose the committee whose members are invited")

    def test_a_committee_meeting_needs_its_committee(self, login, coordinator, task_force):
        response = login(coordinator).post(create_url(task_force), meeting_data(kind="committee"))
        self.assert_refused(response, "Choose the committee that meets")

    def test_chosen_agencies_need_at_least_one_agency(self, login, coordinator, task_force):
        response = login(coordinator).post(create_url(task_force), meeting_data(audience="agencies"))
        self.assert_refused(response, "Choose at least one agency")

    def test_another_task_forces_agency_cannot_be_invited(
        self, login, coordinator, task_force, foreign_agency
    ):
        response = login(coordinator).post(
            create_url(task_force), meeting_data(audience="agencies", agencies=[foreign_agency.pk])
        )
        self.assert_refused(response, "Select a valid choice")

    def test_a_time_that_has_passed_is_refused(self, login, coordinator, task_force):
        response = login(coordinator).post(create_url(task_force), meeting_data(date="2027-01-03"))
        self.assert_refused(response, "This time has already passed")

    def test_nonsense_is_refused_without_an_error_page(self, login, coordinator, task_force):
        response = login(coordinator).post(
            create_url(task_force),
            meeting_data(
                kind="party", audience="everyone", date="someday", start_time="25:00", video_link="x"
            ),
        )
        assert response.status_code == 200
        assert not Meeting.objects.exists()


class TestCommitteeChairs:
    def test_the_form_starts_from_the_chairs_committee(self, login, chair, committee, task_force):
        form = login(chair).get(create_url(task_force)).context["form"]
        assert (form["kind"].value(), form["audience"].value()) == ("committee", "committee")
        assert list(form.fields["committee"].queryset) == [committee]

    def test_a_chair_schedules_a_meeting_of_their_committee(self, login, chair, committee, task_force):
        response = login(chair).post(
            create_url(task_force),
            meeting_data(kind="committee", committee=committee.pk, audience="committee"),
        )
        meeting = Meeting.objects.get()
        assert response.status_code == 302
        assert meeting.committee == committee
        assert list(meeting.invitees.values_list("user", flat=True)) == [chair.pk]

    def test_a_chair_must_say_which_committee(self, login, chair, committee, task_force):
        response = login(chair).post(create_url(task_force), meeting_data())
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()
        assert not Meeting.objects.exists()

    def test_a_chair_cannot_schedule_for_another_committee(self, login, chair, committee, task_force):
        other = CommitteeFactory(task_force=task_force, name="Victim services")
        page = login(chair).get(create_url(task_force)).content.decode()
        assert committee.name in page and other.name not in page

        response = login(chair).post(
            create_url(task_force), meeting_data(kind="committee", committee=other.pk)
        )
        assert response.status_code == 200
        assert "Choose one of the committees you may schedule meetings for" in response.content.decode()
        assert not Meeting.objects.exists()


class TestWhoMaySchedule:
    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("observer", 403),
            ("member", 403),
            ("lead", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("co_chair", 200),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_only_coordinators_co_chairs_and_chairs_open_the_page(
        self, request, login, task_force, role, status
    ):
        person = request.getfixturevalue(role)
        assert login(person).get(create_url(task_force)).status_code == status

    def test_anonymous_people_are_sent_to_sign_in(self, client, task_force):
        response = client.get(create_url(task_force))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_a_member_cannot_post_a_meeting(self, login, member, task_force):
        assert login(member).post(create_url(task_force), meeting_data()).status_code == 403
        assert not Meeting.objects.exists()
