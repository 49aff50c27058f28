"""The decisions log across meetings (search, filters, visibility, query count) and one decision's page."""

from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Decision, Vote

from .factories import DecisionFactory, InviteeFactory, MeetingFactory, VoteFactory

NEW_YORK = ZoneInfo("America/New_York")


def text(response):
    return unescape(response.content.decode())


def log_url(task_force, **params):
    url = reverse("meetings:decision-log", args=[task_force.slug])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def detail_url(decision):
    return reverse("meetings:decision-detail", args=[decision.meeting.task_force.slug, decision.code])


def meeting_on(task_force, organiser, when, **fields):
    return MeetingFactory(
        task_force=task_force,
        organiser=organiser,
        starts_at=when,
        ends_at=when + timedelta(hours=2),
        **fields,
    )


@pytest.fixture
def decisions(task_force, coordinator, agency, other_agency):
    """Two meetings, in 2024 and 2025, with one decision each."""
    old = meeting_on(
        task_force, coordinator, datetime(2024, 5, 14, 10, tzinfo=NEW_YORK), title="May 2024 meeting"
    )
    new = meeting_on(
        task_force, coordinator, datetime(2025, 3, 11, 10, tzinfo=NEW_YORK), title="March 2025 meeting"
    )
    first = DecisionFactory(meeting=old, motion="Adopt the shelter referral protocol.", result="consensus")
    second = DecisionFactory(meeting=new, motion="Add labour inspections to the workplan.", result="carried")
    VoteFactory(decision=second, agency=agency, choice=Vote.Choice.FOR)
    VoteFactory(decision=second, agency=other_agency, choice=Vote.Choice.ABSTAIN)
    return first, second


class TestDecisionLog:
    def test_it_lists_every_decision_newest_first_with_meeting_and_tallies(
        self, login, member, task_force, decisions
    ):
        page = text(login(member).get(log_url(task_force)))

        assert page.index("Add labour inspections") < page.index("Adopt the shelter referral protocol.")
        assert "March 2025 meeting" in page and "11 Mar 2025" in page
        assert "1 for, 0 against, 1 abstaining" in page
        assert "2 decisions" in page

    def test_it_searches_the_motion_text(self, login, member, task_force, decisions):
        page = text(login(member).get(log_url(task_force, q="SHELTER")))
        assert "Adopt the shelter referral protocol." in page
        assert "Add labour inspections" not in page

    def test_it_filters_by_result(self, login, member, task_force, decisions):
        page = text(login(member).get(log_url(task_force, result="carried")))
        assert "Add labour inspections" in page
        assert "Adopt the shelter referral protocol." not in page

    def test_it_filters_by_year_in_the_task_forces_time_zone(self, login, member, task_force, coordinator):
        # 31 Dec 2024 at 22:00 in New York is already 2025 in UTC.
        late = meeting_on(task_force, coordinator, datetime(2024, 12, 31, 22, tzinfo=NEW_YORK))
        DecisionFactory(meeting=late, motion="Close the year's books.")
        client = login(member)

        assert "Close the year" in text(client.get(log_url(task_force, year=2024)))
        page = text(client.get(log_url(task_force)))
        assert '<option value="2024">2024</option>' in page

    def test_a_year_with_no_decisions_is_not_offered(self, login, member, task_force, decisions):
        response = login(member).get(log_url(task_force, year=2019))
        assert response.status_code == 200
        assert "Select a valid choice" not in text(response)
        assert "Adopt the shelter" in text(response)  # an unknown filter value is ignored, not a 500

    def test_a_search_with_no_match_says_so(self, login, member, task_force, decisions):
        page = text(login(member).get(log_url(task_force, q="zzz")))
        assert "No decision matches this search." in page

    def test_an_empty_log_says_where_decisions_come_from(self, login, member, task_force):
        page = text(login(member).get(log_url(task_force)))
        assert "No decision is recorded yet." in page

    def test_decisions_of_a_confidential_meeting_are_shown_only_to_those_who_may_see_it(
        self, login, task_force, coordinator, member, observer, lead_other, agency
    ):
        secret = meeting_on(task_force, coordinator, timezone.now() - timedelta(days=3), confidential=True)
        DecisionFactory(meeting=secret, motion="Share the case list with the shelter.")
        InviteeFactory(meeting=secret, user=member, agency=agency)

        assert "Share the case list" in text(login(member).get(log_url(task_force)))
        assert "Share the case list" in text(login(coordinator).get(log_url(task_force)))
        assert "Share the case list" not in text(login(lead_other).get(log_url(task_force)))
        assert "Share the case list" not in text(login(observer).get(log_url(task_force)))

    def test_it_paginates_by_25(self, login, member, task_force, coordinator):
        meeting = meeting_on(task_force, coordinator, timezone.now() - timedelta(days=3))
        DecisionFactory.create_batch(26, meeting=meeting)
        page = text(login(member).get(log_url(task_force)))
        assert "Page 1 of 2" in page

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
    def test_everyone_in_the_task_force_may_read_it(self, request, login, task_force, who, status):
        assert login(request.getfixturevalue(who)).get(log_url(task_force)).status_code == status

    def test_anonymous_people_are_sent_to_sign_in(self, client, task_force):
        response = client.get(log_url(task_force))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_its_query_count_does_not_grow_with_the_decisions(
        self, login, member, task_force, coordinator, agency, other_agency
    ):
        client = login(member)

        def add(count):
            for _ in range(count):
                meeting = meeting_on(task_force, coordinator, timezone.now() - timedelta(days=3))
                decision = DecisionFactory(meeting=meeting, approves_minutes_of=None)
                VoteFactory(decision=decision, agency=agency)
                VoteFactory(decision=decision, agency=other_agency, choice=Vote.Choice.AGAINST)

        def queries():
            with CaptureQueriesContext(connection) as captured:
                assert client.get(log_url(task_force)).status_code == 200
            return len(captured)

        add(2)
        queries()  # the first task force page remembers it in the session: not counted
        few = queries()
        add(10)
        assert queries() == few


class TestDecisionDetail:
    def test_it_shows_the_motion_and_how_each_agency_voted(self, login, member, decisions):
        _, second = decisions
        page = text(login(member).get(detail_url(second)))
        assert "Add labour inspections to the workplan." in page
        assert "1 for · 0 against · 1 abstaining" in page
        assert "<td>Safe Harbor Shelter</td><td>Abstain</td>" in page
        assert "March 2025 meeting" in page

    def test_a_decision_of_another_task_force_is_not_found(
        self, login, member, other_task_force, other_coordinator
    ):
        foreign = meeting_on(other_task_force, other_coordinator, timezone.now() - timedelta(days=2))
        decision = DecisionFactory(meeting=foreign)
        url = reverse("meetings:decision-detail", args=["harbor", decision.code])
        assert login(member).get(url).status_code == 404

    def test_a_decision_of_a_meeting_the_reader_may_not_see_is_not_found(
        self, login, observer, lead_other, member, task_force, coordinator, agency
    ):
        secret = meeting_on(task_force, coordinator, timezone.now() - timedelta(days=3), confidential=True)
        InviteeFactory(meeting=secret, user=member, agency=agency)
        decision = DecisionFactory(meeting=secret)

        assert login(observer).get(detail_url(decision)).status_code == 404
        assert login(lead_other).get(detail_url(decision)).status_code == 404
        assert login(member).get(detail_url(decision)).status_code == 200

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
    def test_everyone_who_may_see_the_meeting_may_read_it(self, request, login, decisions, who, status):
        _, second = decisions
        assert login(request.getfixturevalue(who)).get(detail_url(second)).status_code == status

    def test_anonymous_people_are_sent_to_sign_in(self, client, decisions):
        response = client.get(detail_url(decisions[0]))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_a_decision_without_votes_says_so(self, login, member, decisions):
        first, _ = decisions
        assert first.result == Decision.Result.CONSENSUS
        assert "No vote by agency was recorded" in text(login(member).get(detail_url(first)))
