"""A meeting's decisions: recording a motion with one vote per agency, and approving minutes."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Decision, Meeting, Vote
from members.models import Role
from tests.factories import AgencyFactory, member_of

from .factories import CommitteeFactory, DecisionFactory, InviteeFactory, MeetingFactory, VoteFactory


def text(response):
    return unescape(response.content.decode())


def decisions_url(meeting):
    return reverse("meetings:meeting-decisions", args=[meeting.task_force.slug, meeting.code])


def create_url(meeting):
    return reverse("meetings:decision-create", args=[meeting.task_force.slug, meeting.code])


def vote_key(agency):
    return f"vote_{agency.code}"


@pytest.fixture
def meeting(task_force, coordinator, member, lead_other, agency, other_agency):
    """Yesterday's full meeting, with people of both agencies invited."""
    starts_at = timezone.now() - timedelta(days=1)
    meeting = MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        title="March task force meeting",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )
    InviteeFactory(meeting=meeting, user=coordinator, agency=agency)
    InviteeFactory(meeting=meeting, user=member, agency=agency)
    InviteeFactory(meeting=meeting, user=lead_other, agency=other_agency)
    return meeting


@pytest.fixture
def third_agency(task_force, meeting):
    """A third agency of the task force, invited to the meeting through its lead."""
    labour = AgencyFactory(task_force=task_force, name="State Labor Department", sector="labour")
    InviteeFactory(meeting=meeting, user=member_of(labour, Role.AGENCY_LEAD), agency=labour)
    return labour


def earlier_meeting(task_force, coordinator, minutes_status, days_ago=31, **fields):
    starts_at = timezone.now() - timedelta(days=days_ago)
    return MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        title=fields.pop("title", "February task force meeting"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        minutes_status=minutes_status,
        **fields,
    )


class TestMeetingDecisions:
    def test_it_lists_the_decisions_with_votes_tallied_by_agency(
        self, login, member, meeting, agency, other_agency
    ):
        decision = DecisionFactory(meeting=meeting, motion="Adopt the labour referral protocol.")
        VoteFactory(decision=decision, agency=agency, choice=Vote.Choice.FOR)
        VoteFactory(decision=decision, agency=other_agency, choice=Vote.Choice.AGAINST)

        page = text(login(member).get(decisions_url(meeting)))

        assert "Adopt the labour referral protocol." in page
        assert "1 for · 1 against · 0 abstaining" in page
        assert "Harbor County Sheriff's Office" in page and "Safe Harbor Shelter" in page

    def test_the_organiser_is_offered_to_record_a_decision(self, login, coordinator, meeting):
        page = text(login(coordinator).get(decisions_url(meeting)))
        assert "Record a decision" in page
        assert "Record the first decision" in page

    def test_a_member_sees_the_empty_state_without_the_button(self, login, member, meeting):
        page = text(login(member).get(decisions_url(meeting)))
        assert "No decision is recorded for this meeting." in page
        assert "Record a decision" not in page

    def test_it_says_where_the_minutes_were_approved(self, login, member, coordinator, task_force, meeting):
        earlier = earlier_meeting(task_force, coordinator, Meeting.MinutesStatus.APPROVED)
        DecisionFactory(meeting=meeting, approves_minutes_of=earlier, motion="Approve February's minutes.")

        page = text(login(member).get(decisions_url(earlier)))

        assert "The minutes of this meeting were approved at" in page
        assert "March task force meeting" in page

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("observer", 200),
            ("member", 200),
            ("lead_other", 200),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_everyone_in_the_task_force_may_read_them(self, request, login, meeting, who, status):
        assert login(request.getfixturevalue(who)).get(decisions_url(meeting)).status_code == status

    def test_anonymous_people_are_sent_to_sign_in(self, client, meeting):
        response = client.get(decisions_url(meeting))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_a_confidential_meeting_is_hidden_from_observers(self, login, observer, meeting):
        meeting.confidential = True
        meeting.save(update_fields=["confidential"])
        assert login(observer).get(decisions_url(meeting)).status_code == 404


class TestRecordDecision:
    def test_the_organiser_records_a_carried_motion_with_votes(
        self, login, coordinator, member, lead_other, meeting, agency, other_agency, third_agency
    ):
        response = login(coordinator).post(
            create_url(meeting),
            {
                "motion": "Adopt the labour trafficking referral protocol.",
                "moved_by": member.code,
                "seconded_by": lead_other.code,
                "result": "",
                vote_key(agency): "for",
                vote_key(other_agency): "for",
                vote_key(third_agency): "abstain",
            },
            follow=True,
        )

        assert response.redirect_chain == [(decisions_url(meeting), 302)]
        assert "The decision is recorded: carried (2 for, 0 against, 1 abstaining)." in text(response)
        decision = meeting.decisions.get()
        assert decision.result == Decision.Result.CARRIED
        assert decision.moved_by == member and decision.seconded_by == lead_other
        assert decision.recorded_by == coordinator
        assert dict(decision.votes.values_list("agency__name", "choice")) == {
            "Harbor County Sheriff's Office": "for",
            "Safe Harbor Shelter": "for",
            "State Labor Department": "abstain",
        }

    def test_the_form_offers_one_vote_per_invited_agency_and_the_invitees(
        self, login, coordinator, meeting, third_agency
    ):
        page = text(login(coordinator).get(create_url(meeting)))
        assert "Votes: one agency, one vote" in page
        assert page.count("Did not vote") == 3
        assert "Mo Member" in page and "Olga Otherlead" in page

    def test_a_tie_is_derived_as_failed(self, login, coordinator, meeting, agency, other_agency):
        login(coordinator).post(
            create_url(meeting),
            {"motion": "Meet weekly.", vote_key(agency): "for", vote_key(other_agency): "against"},
        )
        assert meeting.decisions.get().result == Decision.Result.FAILED

    def test_a_result_that_contradicts_the_votes_is_refused(
        self, login, coordinator, meeting, agency, other_agency
    ):
        response = login(coordinator).post(
            create_url(meeting),
            {
                "motion": "Meet weekly.",
                "result": "carried",
                vote_key(agency): "against",
                vote_key(other_agency): "against",
            },
        )
        assert response.status_code == 200
        assert "The votes say the motion failed (0 for, 2 against)" in text(response)
        assert not Decision.objects.exists()

    def test_without_votes_the_result_is_required(self, login, coordinator, meeting):
        response = login(coordinator).post(create_url(meeting), {"motion": "Meet weekly."})
        assert "Choose the result, or record how each agency voted." in text(response)
        assert not Decision.objects.exists()

    def test_a_consensus_needs_no_votes(self, login, coordinator, meeting):
        login(coordinator).post(create_url(meeting), {"motion": "Thank the hosts.", "result": "consensus"})
        assert meeting.decisions.get().result == Decision.Result.CONSENSUS

    def test_a_second_vote_for_the_same_agency_is_refused(
        self, login, coordinator, meeting, agency, other_agency
    ):
        response = login(coordinator).post(
            create_url(meeting),
            {
                "motion": "Meet weekly.",
                vote_key(agency): ["for", "against"],
                vote_key(other_agency): "for",
            },
        )
        assert response.status_code == 200
        assert "One agency, one vote: Harbor County Sheriff's Office voted more than once." in text(response)
        assert not Decision.objects.exists() and not Vote.objects.exists()

    def test_a_forged_vote_from_an_agency_of_another_task_force_is_refused(
        self, login, coordinator, meeting, agency, foreign_agency
    ):
        response = login(coordinator).post(
            create_url(meeting),
            {"motion": "Meet weekly.", vote_key(agency): "for", vote_key(foreign_agency): "for"},
        )
        assert response.status_code == 200
        assert "A vote came from an agency that is not a member agency invited to this meeting" in text(
            response
        )
        assert not Decision.objects.exists() and not Vote.objects.exists()

    def test_a_forged_vote_from_an_agency_not_invited_is_refused(
        self, login, coordinator, meeting, task_force
    ):
        uninvited = AgencyFactory(task_force=task_force, name="County Health Department")
        response = login(coordinator).post(
            create_url(meeting), {"motion": "Meet weekly.", vote_key(uninvited): "against"}
        )
        assert "not a member agency invited to this meeting" in text(response)
        assert not Decision.objects.exists()

    def test_a_bad_vote_choice_is_refused(self, login, coordinator, meeting, agency):
        response = login(coordinator).post(
            create_url(meeting), {"motion": "Meet weekly.", vote_key(agency): "twice"}
        )
        assert response.status_code == 200
        assert "Select a valid choice" in text(response)
        assert not Decision.objects.exists()

    def test_the_mover_cannot_second_their_own_motion(self, login, coordinator, member, meeting):
        response = login(coordinator).post(
            create_url(meeting),
            {
                "motion": "Meet weekly.",
                "result": "consensus",
                "moved_by": member.code,
                "seconded_by": member.code,
            },
        )
        assert "seconded by someone other than the person who moved it" in text(response)
        assert not Decision.objects.exists()

    def test_a_mover_who_was_not_invited_is_refused(self, login, coordinator, observer, meeting):
        response = login(coordinator).post(
            create_url(meeting), {"motion": "Meet weekly.", "result": "consensus", "moved_by": observer.code}
        )
        assert "Select a valid choice" in text(response)
        assert not Decision.objects.exists()

    def test_a_cancelled_meeting_takes_no_decisions(self, login, coordinator, meeting):
        meeting.status = Meeting.Status.CANCELLED
        meeting.save(update_fields=["status"])
        client = login(coordinator)

        response = client.post(
            create_url(meeting), {"motion": "Meet weekly.", "result": "consensus"}, follow=True
        )

        assert response.redirect_chain == [(decisions_url(meeting), 302)]
        assert "This meeting was cancelled, so it took no decisions." in text(response)
        assert not Decision.objects.exists()
        assert "Record a decision" not in text(client.get(decisions_url(meeting)))

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("co_chair", 200),
            ("admin", 200),
        ],
    )
    def test_only_the_organisers_may_record(self, request, login, meeting, who, status):
        client = login(request.getfixturevalue(who))
        assert client.get(create_url(meeting)).status_code == status
        post = client.post(create_url(meeting), {"motion": "Meet weekly.", "result": "consensus"})
        assert post.status_code == (302 if status == 200 else status)

    def test_a_committee_chair_records_the_decisions_of_their_committee(
        self, login, task_force, member, agency
    ):
        committee = CommitteeFactory(task_force=task_force, name="Labour trafficking", chair=member)
        starts_at = timezone.now() - timedelta(days=2)
        meeting = MeetingFactory(
            task_force=task_force,
            organiser=member,
            kind="committee",
            committee=committee,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
        )
        InviteeFactory(meeting=meeting, user=member, agency=agency)

        response = login(member).post(
            create_url(meeting), {"motion": "Map the farms.", vote_key(agency): "for"}
        )

        assert response.status_code == 302
        assert meeting.decisions.get().result == Decision.Result.CARRIED


class TestMinutesApproval:
    def test_a_decision_approves_the_circulated_minutes_of_an_earlier_meeting(
        self, login, coordinator, task_force, meeting, agency, other_agency
    ):
        earlier = earlier_meeting(task_force, coordinator, Meeting.MinutesStatus.CIRCULATED)

        response = login(coordinator).post(
            create_url(meeting),
            {
                "motion": "Approve the minutes of February.",
                "approves_minutes_of": earlier.code,
                vote_key(agency): "for",
                vote_key(other_agency): "for",
            },
            follow=True,
        )

        assert "the minutes of “February task force meeting” are approved" in text(response)
        earlier.refresh_from_db()
        assert earlier.minutes_status == Meeting.MinutesStatus.APPROVED
        assert earlier.minutes_approval.meeting == meeting

    def test_only_circulated_unapproved_earlier_minutes_are_offered(
        self, login, coordinator, task_force, meeting
    ):
        earlier_meeting(task_force, coordinator, Meeting.MinutesStatus.CIRCULATED, title="Circulated one")
        earlier_meeting(task_force, coordinator, Meeting.MinutesStatus.DRAFT, title="Draft one")
        earlier_meeting(task_force, coordinator, Meeting.MinutesStatus.APPROVED, title="Approved one")
        earlier_meeting(
            task_force, coordinator, Meeting.MinutesStatus.CIRCULATED, days_ago=-10, title="Later one"
        )

        page = text(login(coordinator).get(create_url(meeting)))

        assert "Circulated one" in page
        assert "Draft one" not in page and "Approved one" not in page and "Later one" not in page

    def test_minutes_approved_twice_are_refused(self, login, coordinator, task_force, meeting):
        earlier = earlier_meeting(task_force, coordinator, Meeting.MinutesStatus.CIRCULATED)
        client = login(coordinator)
        data = {
            "motion": "Approve the minutes of February.",
            "result": "consensus",
            "approves_minutes_of": earlier.code,
        }
        # Two tabs: both forms were opened while the minutes were still circulated.
        first = client.post(create_url(meeting), data)
        second = client.post(create_url(meeting), data)

        assert first.status_code == 302
        assert second.status_code == 200
        assert "The minutes of “February task force meeting” are already approved." in text(second)
        assert Decision.objects.count() == 1

    def test_an_approval_racing_past_the_check_is_stopped_by_the_database(
        self, login, coordinator, task_force, meeting
    ):
        # The other tab's decision is saved but the minutes' status was not updated yet.
        earlier = earlier_meeting(task_force, coordinator, Meeting.MinutesStatus.CIRCULATED)
        DecisionFactory(meeting=meeting, approves_minutes_of=earlier, result="consensus")

        response = login(coordinator).post(
            create_url(meeting),
            {"motion": "Approve them again.", "result": "consensus", "approves_minutes_of": earlier.code},
        )

        assert "These minutes were approved by another decision a moment ago." in text(response)
        assert Decision.objects.count() == 1
        earlier.refresh_from_db()
        assert earlier.minutes_status == Meeting.MinutesStatus.CIRCULATED

    def test_draft_minutes_cannot_be_approved(self, login, coordinator, task_force, meeting):
        earlier = earlier_meeting(task_force, coordinator, Meeting.MinutesStatus.DRAFT)

        response = login(coordinator).post(
            create_url(meeting),
            {"motion": "Approve the minutes.", "result": "consensus", "approves_minutes_of": earlier.code},
        )

        assert "are still a draft: circulate them before approving them" in text(response)
        assert not Decision.objects.exists()
        earlier.refresh_from_db()
        assert earlier.minutes_status == Meeting.MinutesStatus.DRAFT

    def test_a_meeting_cannot_approve_the_minutes_of_a_later_one(
        self, login, coordinator, task_force, meeting
    ):
        later = earlier_meeting(task_force, coordinator, Meeting.MinutesStatus.CIRCULATED, days_ago=-3)

        response = login(coordinator).post(
            create_url(meeting),
            {"motion": "Approve the minutes.", "result": "consensus", "approves_minutes_of": later.code},
        )

        assert "does not start before this meeting" in text(response)
        assert not Decision.objects.exists()

    def test_a_failed_motion_approves_nothing(self, login, coordinator, task_force, meeting, agency):
        earlier = earlier_meeting(task_force, coordinator, Meeting.MinutesStatus.CIRCULATED)

        response = login(coordinator).post(
            create_url(meeting),
            {
                "motion": "Approve the minutes.",
                "approves_minutes_of": earlier.code,
                vote_key(agency): "against",
            },
        )

        assert "Minutes are approved by a motion that carried or was agreed by consensus." in text(response)
        assert not Decision.objects.exists()

    def test_the_minutes_of_another_task_force_are_refused(
        self, login, coordinator, other_task_force, other_coordinator, meeting
    ):
        foreign = earlier_meeting(other_task_force, other_coordinator, Meeting.MinutesStatus.CIRCULATED)

        response = login(coordinator).post(
            create_url(meeting),
            {"motion": "Approve the minutes.", "result": "consensus", "approves_minutes_of": foreign.code},
        )

        assert response.status_code == 200
        assert "Select a valid choice" in text(response)
        assert not Decision.objects.exists()
