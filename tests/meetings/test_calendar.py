"""The .ics of one meeting, the personal subscription feed and its reset."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import CalendarFeed, Meeting
from meetings.services.calendar import feed_for, feed_token
from meetings.services.schedule import cancel_meeting
from members.models import Membership, Role
from tests.factories import MembershipFactory

from .factories import AgendaItemFactory, InviteeFactory, MeetingFactory


@pytest.fixture
def meeting(task_force, coordinator):
    return MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        title="March meeting",
        place="County Building, Room 4",
        video_link="https://meet.example.org/harbor",
        description="Quarterly review of the referral protocol.",
    )


def ics_url(meeting):
    return reverse("meetings:meeting-ics", args=[meeting.task_force.slug, meeting.code])


def subscription_url(task_force):
    return reverse("meetings:calendar-subscription", args=[task_force.slug])


def reset_url(task_force):
    return reverse("meetings:calendar-reset", args=[task_force.slug])


def feed_url(user):
    return reverse("meetings-public:calendar-feed", args=[feed_token(feed_for(user))])


def parse(response):
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


class TestMeetingIcs:
    def test_it_is_a_calendar_with_one_event_that_links_back(self, login, member, meeting):
        response = login(member).get(ics_url(meeting))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="meeting-')
        assert response["Content-Disposition"].endswith('.ics"')
        calendar = parse(response)
        assert calendar["VERSION"] == "2.0"
        assert "Taskforce" in str(calendar["PRODID"])
        assert calendar["METHOD"] == "PUBLISH"
        (event,) = calendar.walk("VEVENT")
        assert str(event["UID"]) == meeting.ical_uid
        assert event["SEQUENCE"] == 0
        assert event["STATUS"] == "CONFIRMED"
        assert event.decoded("DTSTART") == meeting.starts_at
        assert event.decoded("DTEND") == meeting.ends_at
        assert "DTSTAMP" in event
        assert str(event["SUMMARY"]) == "March meeting"
        assert str(event["LOCATION"]) == "County Building, Room 4 · https://meet.example.org/harbor"
        link = settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()
        assert link in str(event["DESCRIPTION"])
        assert "Quarterly review" in str(event["DESCRIPTION"])
        assert str(event["URL"]) == link
        assert str(event["ORGANIZER"]) == "mailto:coordinator@example.org"
        assert event["ORGANIZER"].params["CN"] == "Cora Coordinator"

    def test_a_cancelled_meeting_carries_cancelled_with_a_higher_sequence(self, login, member, meeting):
        before = parse(login(member).get(ics_url(meeting))).walk("VEVENT")[0]
        cancel_meeting(meeting, reason="The room is flooded.")
        after = parse(login(member).get(ics_url(meeting))).walk("VEVENT")[0]
        assert after["STATUS"] == "CANCELLED"
        assert after["SEQUENCE"] > before["SEQUENCE"]
        assert str(after["UID"]) == str(before["UID"])
        assert "The room is flooded." in str(after["DESCRIPTION"])

    def test_it_never_carries_the_agenda(self, login, member, meeting):
        AgendaItemFactory(meeting=meeting, title="Operation Lighthouse", description="Raid on Friday")
        body = login(member).get(ics_url(meeting)).content.decode()
        assert "Lighthouse" not in body
        assert "Raid" not in body

    def test_a_confidential_meetings_description_stays_on_the_site(self, login, coordinator, meeting):
        Meeting.objects.filter(pk=meeting.pk).update(confidential=True)
        event = parse(login(coordinator).get(ics_url(meeting))).walk("VEVENT")[0]
        assert "Quarterly review" not in str(event["DESCRIPTION"])

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
    def test_whoever_sees_the_meeting_may_download_it(self, request, client, login, meeting, who, status):
        visitor = client if who == "anonymous" else login(request.getfixturevalue(who))
        response = visitor.get(ics_url(meeting))
        assert response.status_code == status
        if status == 302:
            assert response["Location"].startswith("/accounts/login/")

    def test_an_observer_gets_404_for_a_confidential_meeting(self, login, observer, meeting):
        Meeting.objects.filter(pk=meeting.pk).update(confidential=True)
        assert login(observer).get(ics_url(meeting)).status_code == 404


class TestSubscriptionPage:
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
    def test_every_member_has_a_feed(self, request, client, login, task_force, who, status):
        visitor = client if who == "anonymous" else login(request.getfixturevalue(who))
        assert visitor.get(subscription_url(task_force)).status_code == status

    def test_it_shows_the_address_for_outlook_and_for_google(self, login, member, task_force):
        page = login(member).get(subscription_url(task_force)).content.decode()
        path = feed_url(member)
        host = settings.SITE_URL.split("://", 1)[1].rstrip("/")
        assert f"webcal://{host}{path}" in page
        assert settings.SITE_URL.rstrip("/") + path in page
        assert "Outlook" in page
        assert "Google Calendar" in page
        assert "Reset the link" in page

    def test_the_address_stays_the_same_until_it_is_reset(self, member):
        first = feed_url(member)
        with time_machine.travel(timezone.now() + timedelta(days=3)):
            assert feed_url(member) == first

    def test_resetting_stops_the_old_address_and_gives_a_new_one(self, login, client, member, task_force):
        old = feed_url(member)
        assert client.get(old).status_code == 200
        response = login(member).post(reset_url(task_force), follow=True)
        assert "Your calendar has a new address" in response.content.decode()
        assert CalendarFeed.objects.get(user=member).generation == 2
        assert client.get(old).status_code == 410
        new = feed_url(member)
        assert new != old
        assert new in response.content.decode()
        assert client.get(new).status_code == 200

    def test_reset_takes_post_only_and_a_signed_in_member(self, login, client, member, task_force):
        assert login(member).get(reset_url(task_force)).status_code == 405
        response = client.post(reset_url(task_force))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_people_of_another_task_force_cannot_reset_from_it(self, login, other_coordinator, task_force):
        assert login(other_coordinator).post(reset_url(task_force)).status_code == 404


class TestFeed:
    def test_it_lists_the_meetings_the_person_is_invited_to(
        self, client, task_force, coordinator, member, agency
    ):
        mine = MeetingFactory(task_force=task_force, organiser=coordinator, title="Mine")
        MeetingFactory(task_force=task_force, organiser=coordinator, title="Not mine")
        InviteeFactory(meeting=mine, user=member, agency=agency)
        response = client.get(feed_url(member))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = parse(response)
        assert calendar["METHOD"] == "PUBLISH"
        assert set(events(calendar)) == {mine.ical_uid}

    def test_cancelled_meetings_stay_with_status_cancelled(
        self, client, task_force, coordinator, member, agency
    ):
        meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
        InviteeFactory(meeting=meeting, user=member, agency=agency)
        cancel_meeting(meeting)
        event = events(parse(client.get(feed_url(member))))[meeting.ical_uid]
        assert event["STATUS"] == "CANCELLED"
        assert event["SEQUENCE"] == 1

    def test_it_starts_60_days_ago(self, client, task_force, coordinator, member, agency):
        now = timezone.now()
        recent = MeetingFactory(
            task_force=task_force,
            organiser=coordinator,
            starts_at=now - timedelta(days=59),
            ends_at=now - timedelta(days=59) + timedelta(hours=1),
        )
        old = MeetingFactory(
            task_force=task_force,
            organiser=coordinator,
            starts_at=now - timedelta(days=61),
            ends_at=now - timedelta(days=61) + timedelta(hours=1),
        )
        for meeting in (recent, old):
            InviteeFactory(meeting=meeting, user=member, agency=agency)
        assert set(events(parse(client.get(feed_url(member))))) == {recent.ical_uid}

    def test_it_covers_every_task_force_where_the_membership_is_active(
        self,
        client,
        task_force,
        coordinator,
        member,
        agency,
        other_task_force,
        foreign_agency,
        other_coordinator,
    ):
        here = MeetingFactory(task_force=task_force, organiser=coordinator)
        there = MeetingFactory(task_force=other_task_force, organiser=other_coordinator)
        InviteeFactory(meeting=here, user=member, agency=agency)
        InviteeFactory(meeting=there, user=member, agency=foreign_agency)
        MembershipFactory(user=member, agency=foreign_agency, role=Role.MEMBER)
        assert set(events(parse(client.get(feed_url(member))))) == {here.ical_uid, there.ical_uid}
        Membership.objects.filter(user=member, task_force=other_task_force).update(
            ended_on=timezone.localdate()
        )
        assert set(events(parse(client.get(feed_url(member))))) == {here.ical_uid}

    def test_nothing_is_left_once_the_membership_ends(self, client, task_force, coordinator, member, agency):
        meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
        InviteeFactory(meeting=meeting, user=member, agency=agency)
        Membership.objects.filter(user=member).update(ended_on=timezone.localdate())
        assert events(parse(client.get(feed_url(member)))) == {}

    def test_an_observer_never_gets_a_confidential_meeting(
        self, client, task_force, coordinator, observer, agency
    ):
        meeting = MeetingFactory(task_force=task_force, organiser=coordinator, confidential=True)
        InviteeFactory(meeting=meeting, user=observer, agency=agency)
        assert events(parse(client.get(feed_url(observer)))) == {}

    def test_it_carries_no_agenda_and_no_confidential_description(
        self, client, task_force, coordinator, member, agency
    ):
        meeting = MeetingFactory(
            task_force=task_force, organiser=coordinator, confidential=True, description="Target: the farm"
        )
        AgendaItemFactory(meeting=meeting, title="Operation Lighthouse", sensitivity="law_enforcement")
        InviteeFactory(meeting=meeting, user=member, agency=agency)
        body = client.get(feed_url(member)).content.decode()
        assert meeting.ical_uid in body
        assert "Lighthouse" not in body
        assert "the farm" not in body

    def test_a_forged_token_is_404_and_never_a_500(self, client, member):
        feed = feed_for(member)
        forged = signing.dumps([member.code.hex, feed.generation], salt="another-purpose")
        assert client.get(reverse("meetings-public:calendar-feed", args=[forged])).status_code == 404
        for token in ("x", "a:b:c", feed_token(feed)[:-2] + "zz"):
            assert client.get(f"/calendar/{token}.ics").status_code == 404

    def test_a_deactivated_person_loses_the_feed(self, client, member):
        url = feed_url(member)
        type(member).objects.filter(pk=member.pk).update(is_active=False)
        assert client.get(url).status_code == 410

    def test_it_takes_the_same_number_of_queries_for_30_meetings_as_for_3(
        self, client, task_force, coordinator, member, agency, django_assert_max_num_queries
    ):
        def invite(count):
            for _ in range(count):
                meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
                InviteeFactory(meeting=meeting, user=member, agency=agency)

        url = feed_url(member)
        invite(3)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        invite(27)
        with django_assert_max_num_queries(len(few)):
            response = client.get(url)
        assert len(events(parse(response))) == 30
