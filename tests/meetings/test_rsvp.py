"""Answering an invitation: on the site (with htmx or without) and from the email's links."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from meetings.models import Invitee, Meeting
from meetings.services.attendance import ANSWER_SALT, answer_token
from members.models import Membership

from .factories import InviteeFactory, MeetingFactory


@pytest.fixture
def meeting(task_force, coordinator):
    return MeetingFactory(task_force=task_force, organiser=coordinator, title="March meeting")


@pytest.fixture
def invitation(meeting, member, agency):
    return InviteeFactory(meeting=meeting, user=member, agency=agency)


def rsvp_url(meeting):
    return reverse("meetings:meeting-rsvp", args=[meeting.task_force.slug, meeting.code])


def answer_link(invitee, response):
    return reverse("meetings-public:rsvp-answer", args=[answer_token(invitee, response)])


def reload(invitee):
    invitee.refresh_from_db()
    return invitee


class TestAnsweringOnTheSite:
    def test_an_invitee_answers_yes_and_sees_it_on_the_meeting_page(self, login, member, invitation):
        response = login(member).post(rsvp_url(invitation.meeting), {"response": "yes"}, follow=True)
        assert response.status_code == 200
        assert reload(invitation).response == "yes"
        assert invitation.responded_at is not None
        assert "your answer is yes" in response.content.decode()

    def test_htmx_gets_the_answer_box_back_in_place(self, login, member, invitation):
        response = login(member).post(
            rsvp_url(invitation.meeting), {"response": "maybe"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="rsvp"' in page
        assert "Your answer: <strong>Maybe</strong>" in page
        assert "<html" not in page
        assert reload(invitation).response == "maybe"

    def test_an_answer_can_be_changed(self, login, member, invitation):
        client = login(member)
        client.post(rsvp_url(invitation.meeting), {"response": "yes"})
        client.post(rsvp_url(invitation.meeting), {"response": "no"})
        assert reload(invitation).response == "no"

    def test_someone_who_is_not_invited_may_not_answer(self, login, lead, invitation):
        response = login(lead).post(rsvp_url(invitation.meeting), {"response": "yes"})
        assert response.status_code == 403
        assert not Invitee.objects.filter(user=lead).exists()

    def test_an_organiser_cannot_answer_for_an_invitee(self, login, coordinator, invitation):
        response = login(coordinator).post(rsvp_url(invitation.meeting), {"response": "yes"})
        assert response.status_code == 403
        assert reload(invitation).response == "pending"

    def test_people_of_another_task_force_get_404(self, login, other_coordinator, invitation):
        response = login(other_coordinator).post(rsvp_url(invitation.meeting), {"response": "yes"})
        assert response.status_code == 404

    def test_an_observer_cannot_reach_a_confidential_meeting(self, login, observer, agency, meeting):
        Meeting.objects.filter(pk=meeting.pk).update(confidential=True)
        response = login(observer).post(rsvp_url(meeting), {"response": "yes"})
        assert response.status_code == 404

    def test_anonymous_people_are_sent_to_sign_in(self, client, invitation):
        response = client.post(rsvp_url(invitation.meeting), {"response": "yes"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_only_post_is_accepted(self, login, member, invitation):
        assert login(member).get(rsvp_url(invitation.meeting)).status_code == 405

    def test_an_answer_for_a_cancelled_meeting_is_refused_with_a_message(self, login, member, invitation):
        Meeting.objects.filter(pk=invitation.meeting_id).update(status=Meeting.Status.CANCELLED)
        response = login(member).post(rsvp_url(invitation.meeting), {"response": "yes"}, follow=True)
        assert "This meeting was cancelled" in response.content.decode()
        assert reload(invitation).response == "pending"

    def test_an_answer_for_a_past_meeting_is_refused_with_a_message(self, login, member, invitation):
        with time_machine.travel(invitation.meeting.ends_at + timedelta(minutes=1)):
            response = login(member).post(rsvp_url(invitation.meeting), {"response": "yes"}, follow=True)
        assert "This meeting is over" in response.content.decode()
        assert reload(invitation).response == "pending"

    def test_an_unknown_answer_is_refused(self, login, member, invitation):
        response = login(member).post(
            rsvp_url(invitation.meeting), {"response": "perhaps"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert "Answer yes, no or maybe." in response.content.decode()
        assert reload(invitation).response == "pending"


class TestAnsweringFromTheEmail:
    def test_opening_the_link_asks_to_confirm_and_records_nothing(self, client, invitation):
        response = client.get(answer_link(invitation, "yes"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "March meeting" in page
        assert "Yes, I will come" in page
        assert reload(invitation).response == "pending"

    def test_pressing_the_button_records_the_answer_without_signing_in(self, client, invitation):
        response = client.post(answer_link(invitation, "no"))
        assert response.status_code == 200
        assert "your answer is <strong>no</strong>" in response.content.decode()
        assert reload(invitation).response == "no"

    def test_a_tampered_link_is_refused_with_400(self, client, invitation):
        token = answer_token(invitation, "yes")
        response = client.post(reverse("meetings-public:rsvp-answer", args=[token[:-3] + "abc"]))
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
        assert reload(invitation).response == "pending"

    def test_a_link_signed_for_another_purpose_is_refused(self, client, invitation):
        token = signing.dumps([invitation.pk, "yes"], salt="members.invitation")
        response = client.get(reverse("meetings-public:rsvp-answer", args=[token]))
        assert response.status_code == 400

    def test_a_forged_answer_is_refused(self, client, invitation):
        token = signing.dumps([invitation.pk, "always"], salt=ANSWER_SALT)
        response = client.post(reverse("meetings-public:rsvp-answer", args=[token]))
        assert response.status_code == 400
        assert reload(invitation).response == "pending"

    def test_the_link_expires_when_the_meeting_ends(self, client, invitation):
        link = answer_link(invitation, "yes")
        with time_machine.travel(invitation.meeting.ends_at + timedelta(seconds=1)):
            response = client.post(link)
        assert response.status_code == 410
        assert "over" in response.content.decode()
        assert reload(invitation).response == "pending"

    def test_the_link_stops_working_when_the_membership_ends(self, client, invitation, member):
        link = answer_link(invitation, "yes")
        Membership.objects.filter(user=member).update(ended_on=timezone.localdate())
        response = client.post(link)
        assert response.status_code == 410
        assert reload(invitation).response == "pending"

    def test_the_link_of_someone_no_longer_invited_is_gone(self, client, invitation):
        link = answer_link(invitation, "yes")
        invitation.delete()
        assert client.get(link).status_code == 410

    def test_a_cancelled_meeting_says_so_and_records_nothing(self, client, invitation):
        link = answer_link(invitation, "yes")
        Meeting.objects.filter(pk=invitation.meeting_id).update(status=Meeting.Status.CANCELLED)
        response = client.post(link)
        assert response.status_code == 200
        assert "This meeting was cancelled" in response.content.decode()
        assert "Yes, I will come" not in response.content.decode()
        assert reload(invitation).response == "pending"

    def test_garbage_in_the_address_is_never_a_500(self, client):
        for token in ("x", "a:b:c", "...", "%00", "W10:1u:abc"):
            response = client.get(f"/meetings/answer/{token}/")
            assert response.status_code in (400, 404), token
