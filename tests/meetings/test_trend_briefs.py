"""Trend briefs of a meeting: shared by members, never seen by observers, never carrying anything
that identifies a person."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.forms.trends import TrendBriefForm
from meetings.models import Meeting, TrendBrief
from tests.factories import AgencyFactory

from .factories import InviteeFactory, MeetingFactory, TrendBriefFactory


@pytest.fixture
def meeting(task_force, coordinator):
    return MeetingFactory(task_force=task_force, organiser=coordinator, title="March task force meeting")


@pytest.fixture
def confidential_meeting(task_force, coordinator):
    return MeetingFactory(
        task_force=task_force, organiser=coordinator, confidential=True, title="Case review"
    )


@pytest.fixture
def brief(meeting, member, agency):
    return TrendBriefFactory(
        meeting=meeting, agency=agency, submitted_by=member, summary="Crews moved at night."
    )


def data(reporting_agency, **changes):
    return {
        "trafficking_type": "labour",
        "indicators": ["unpaid_wages", "housing_at_work"],
        "industry": "agriculture",
        "area": "North county",
        "period_from": "2024-01",
        "period_to": "2024-03",
        "count_range": "6-10",
        "reporting_sector": "labour",
        "agency": str(reporting_agency.code),
        "summary": "Crews recruited through a labour contractor; wages withheld until the end of the season.",
        **changes,
    }


def list_url(task_force, meeting):
    return reverse("meetings:meeting-trend-briefs", args=[task_force.slug, meeting.code])


def create_url(task_force, meeting):
    return reverse("meetings:trend-brief-create", args=[task_force.slug, meeting.code])


def update_url(task_force, brief):
    return reverse("meetings:trend-brief-update", args=[task_force.slug, brief.code])


def delete_url(task_force, brief):
    return reverse("meetings:trend-brief-delete", args=[task_force.slug, brief.code])


class TestMeetingTrendBriefs:
    def test_a_member_reads_the_briefs_with_a_note_on_what_a_brief_is(
        self, login, member, task_force, meeting, brief
    ):
        response = login(member).get(list_url(task_force, meeting))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Crews moved at night." in page
        assert "Labour trafficking" in page and "North county" in page
        assert "Unpaid or withheld wages" in page
        assert "What it is not" in page and "case number" in page
        assert "Share a trend brief" in page

    @pytest.mark.parametrize("role", ["lead", "lead_other", "co_chair", "coordinator", "admin"])
    def test_members_leads_coordinators_and_admins_read_them(
        self, request, login, task_force, meeting, brief, role
    ):
        assert login(request.getfixturevalue(role)).get(list_url(task_force, meeting)).status_code == 200

    def test_an_observer_is_refused_even_for_an_open_meeting(
        self, login, observer, task_force, meeting, brief
    ):
        response = login(observer).get(list_url(task_force, meeting))
        assert response.status_code == 403
        assert "Crews moved" not in response.content.decode()

    def test_anonymous_people_are_sent_to_sign_in(self, client, task_force, meeting):
        response = client.get(list_url(task_force, meeting))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_another_task_force_gets_404(self, login, other_coordinator, task_force, meeting):
        assert login(other_coordinator).get(list_url(task_force, meeting)).status_code == 404

    def test_a_confidential_meeting_a_member_is_not_invited_to_is_404(
        self, login, member, task_force, confidential_meeting
    ):
        assert login(member).get(list_url(task_force, confidential_meeting)).status_code == 404

    def test_an_invitee_reads_the_briefs_of_a_confidential_meeting(
        self, login, member, agency, task_force, confidential_meeting
    ):
        InviteeFactory(meeting=confidential_meeting, user=member, agency=agency)
        assert login(member).get(list_url(task_force, confidential_meeting)).status_code == 200

    def test_only_the_author_and_coordinators_see_the_edit_link(
        self, login, member, lead, coordinator, task_force, meeting, brief
    ):
        edit = update_url(task_force, brief)
        assert edit in login(member).get(list_url(task_force, meeting)).content.decode()
        assert edit in login(coordinator).get(list_url(task_force, meeting)).content.decode()
        assert edit not in login(lead).get(list_url(task_force, meeting)).content.decode()

    def test_it_says_what_to_do_when_there_are_none(self, login, member, task_force, meeting):
        page = login(member).get(list_url(task_force, meeting)).content.decode()
        assert "No trend briefs were shared at this meeting yet" in page
        assert create_url(task_force, meeting) in page

    def test_a_cancelled_meeting_offers_no_share_button(self, login, member, task_force, meeting):
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
        page = login(member).get(list_url(task_force, meeting)).content.decode()
        assert "Share a trend brief" not in page
        assert "This meeting was cancelled" in page

    def test_it_paginates(self, login, member, agency, task_force, meeting):
        TrendBriefFactory.create_batch(27, meeting=meeting, agency=agency)
        response = login(member).get(list_url(task_force, meeting), {"page": 2})
        assert response.status_code == 200
        assert len(response.context["briefs"]) == 2

    def test_its_query_count_does_not_grow_with_briefs(
        self, login, member, agency, other_agency, task_force, meeting
    ):
        client = login(member)
        TrendBriefFactory(meeting=meeting, agency=agency, submitted_by=member)
        client.get(list_url(task_force, meeting))
        with CaptureQueriesContext(connection) as few:
            client.get(list_url(task_force, meeting))
        TrendBriefFactory.create_batch(10, meeting=meeting, agency=other_agency, submitted_by=member)
        TrendBriefFactory.create_batch(10, meeting=meeting, agency=agency)
        with CaptureQueriesContext(connection) as many:
            client.get(list_url(task_force, meeting))
        assert len(many) == len(few)


class TestTrendBriefCreate:
    def test_a_member_shares_a_brief(self, login, member, agency, task_force, meeting):
        response = login(member).post(create_url(task_force, meeting), data(agency), follow=True)
        brief = TrendBrief.objects.get()
        assert response.redirect_chain[-1][0] == list_url(task_force, meeting)
        assert "Your trend brief is shared" in response.content.decode()
        assert (brief.task_force, brief.meeting, brief.submitted_by, brief.agency) == (
            task_force,
            meeting,
            member,
            agency,
        )
        assert (brief.period_start, brief.period_end) == (date(2024, 1, 1), date(2024, 3, 31))
        assert brief.indicators == ["unpaid_wages", "housing_at_work"]
        assert brief.count_range == "6-10"

    def test_a_single_month_runs_to_its_last_day(self, login, member, agency, task_force, meeting):
        login(member).post(
            create_url(task_force, meeting), data(agency, period_from="2024-02", period_to="2024-02")
        )
        brief = TrendBrief.objects.get()
        assert (brief.period_start, brief.period_end) == (date(2024, 2, 1), date(2024, 2, 29))

    @pytest.mark.parametrize(
        ("typed", "first"),
        [("03/2024", date(2024, 3, 1)), ("March 2024", date(2024, 3, 1)), ("2024-3", date(2024, 3, 1))],
    )
    def test_months_can_be_typed_without_a_month_picker(
        self, login, member, agency, task_force, meeting, typed, first
    ):
        login(member).post(
            create_url(task_force, meeting), data(agency, period_from=typed, period_to="2024-04")
        )
        assert TrendBrief.objects.get().period_start == first

    def test_it_starts_with_the_authors_agency_and_its_sector(
        self, login, lead_other, other_agency, task_force, meeting
    ):
        response = login(lead_other).get(create_url(task_force, meeting))
        form = response.context["form"]
        assert response.status_code == 200
        assert form.initial["agency"] == other_agency.code
        assert form.initial["reporting_sector"] == "victim_services"
        assert list(form.fields["agency"].queryset) == [other_agency]

    def test_a_coordinator_starts_with_their_own_agency_but_may_pick_any(
        self, login, coordinator, agency, other_agency, task_force, meeting
    ):
        form = login(coordinator).get(create_url(task_force, meeting)).context["form"]
        assert form.initial["agency"] == agency.code
        assert form.initial["reporting_sector"] == "law_enforcement"
        assert set(form.fields["agency"].queryset) == {agency, other_agency}

    def test_it_has_no_field_that_could_identify_a_person(self):
        assert set(TrendBriefForm.base_fields) == {
            "trafficking_type",
            "indicators",
            "industry",
            "area",
            "period_from",
            "period_to",
            "count_range",
            "reporting_sector",
            "agency",
            "summary",
        }

    @pytest.mark.parametrize(
        ("summary", "named"),
        [
            ("Her number is (555) 010-1234.", "a phone number"),
            ("Write to maria@example.org", "an email address"),
            ("SSN 123-45-6789 on the pay slip", "a Social Security number"),
            ("DOB 03/14/2009", "a date of birth"),
            ("Found at 1200 Harbor Road", "a street address"),
        ],
    )
    def test_it_refuses_pii_in_the_summary(self, login, member, agency, task_force, meeting, summary, named):
        response = login(member).post(create_url(task_force, meeting), data(agency, summary=summary))
        page = response.content.decode()
        assert response.status_code == 200
        assert f"This looks like {named}" in page
        assert "Trend briefs carry patterns, never anything that identifies a person." in page
        assert not TrendBrief.objects.exists()

    def test_it_refuses_pii_in_the_area(self, login, member, agency, task_force, meeting):
        response = login(member).post(create_url(task_force, meeting), data(agency, area="555-010-1234"))
        assert "This looks like a phone number" in response.content.decode()
        assert not TrendBrief.objects.exists()

    def test_a_reported_period_in_the_summary_is_not_a_date_of_birth(
        self, login, member, agency, task_force, meeting
    ):
        summary = "From 01/2024 to March 2024, 2-5 workers per farm, up from 2023."
        login(member).post(create_url(task_force, meeting), data(agency, summary=summary))
        assert TrendBrief.objects.get().summary == summary

    def test_it_refuses_a_period_that_ends_before_it_starts(self, login, member, agency, task_force, meeting):
        response = login(member).post(
            create_url(task_force, meeting), data(agency, period_from="2024-05", period_to="2024-02")
        )
        assert "The period ends before it starts" in response.content.decode()
        assert not TrendBrief.objects.exists()

    def test_it_refuses_a_period_that_has_not_begun(self, login, member, agency, task_force, meeting):
        response = login(member).post(
            create_url(task_force, meeting), data(agency, period_from="2099-01", period_to="2099-02")
        )
        assert "has not begun" in response.content.decode()
        assert not TrendBrief.objects.exists()

    @pytest.mark.parametrize("typed", ["soon", "2024-13", "13/2024", "Smarch 2024", "1850-01"])
    def test_it_refuses_something_that_is_not_a_month(
        self, login, member, agency, task_force, meeting, typed
    ):
        response = login(member).post(create_url(task_force, meeting), data(agency, period_from=typed))
        assert "Give a month" in response.content.decode()
        assert not TrendBrief.objects.exists()

    def test_it_refuses_an_agency_that_is_not_the_authors(
        self, login, member, other_agency, task_force, meeting
    ):
        response = login(member).post(create_url(task_force, meeting), data(other_agency))
        assert response.status_code == 200
        assert "Report for one of your own agencies." in response.content.decode()
        assert not TrendBrief.objects.exists()

    def test_a_coordinator_reports_for_any_agency_of_the_task_force(
        self, login, coordinator, other_agency, task_force, meeting
    ):
        login(coordinator).post(create_url(task_force, meeting), data(other_agency))
        assert TrendBrief.objects.get().agency == other_agency

    def test_not_even_a_coordinator_reports_for_another_task_forces_agency(
        self, login, coordinator, foreign_agency, task_force, meeting
    ):
        login(coordinator).post(create_url(task_force, meeting), data(foreign_agency))
        assert not TrendBrief.objects.exists()

    def test_a_forged_choice_is_refused_without_an_error_page(
        self, login, member, agency, task_force, meeting
    ):
        forged = data(
            agency, agency="not-a-code", trafficking_type="organs", indicators=["x"], count_range="999"
        )
        response = login(member).post(create_url(task_force, meeting), forged)
        assert response.status_code == 200
        assert not TrendBrief.objects.exists()

    def test_an_observer_posting_directly_is_refused(self, login, observer, agency, task_force, meeting):
        assert login(observer).post(create_url(task_force, meeting), data(agency)).status_code == 403
        assert not TrendBrief.objects.exists()

    def test_another_task_force_gets_404(self, login, other_coordinator, foreign_agency, task_force, meeting):
        assert (
            login(other_coordinator).post(create_url(task_force, meeting), data(foreign_agency)).status_code
            == 404
        )
        assert not TrendBrief.objects.exists()

    def test_a_member_cannot_share_at_a_meeting_they_cannot_see(
        self, login, member, agency, task_force, confidential_meeting
    ):
        response = login(member).post(create_url(task_force, confidential_meeting), data(agency))
        assert response.status_code == 404
        assert not TrendBrief.objects.exists()

    def test_nothing_is_shared_at_a_cancelled_meeting(self, login, member, agency, task_force, meeting):
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
        response = login(member).post(create_url(task_force, meeting), data(agency))
        assert "This meeting was cancelled" in response.content.decode()
        assert not TrendBrief.objects.exists()


class TestTrendBriefUpdate:
    def test_the_author_edits_their_brief(self, login, member, agency, task_force, brief):
        response = login(member).post(
            update_url(task_force, brief), data(agency, trafficking_type="both", period_to="2024-06")
        )
        brief.refresh_from_db()
        assert response.status_code == 302
        assert (brief.trafficking_type, brief.period_end) == ("both", date(2024, 6, 30))

    def test_the_form_shows_the_briefs_months_and_agency(self, login, member, agency, task_force, brief):
        page = login(member).get(update_url(task_force, brief)).content.decode()
        assert f'value="{brief.period_start:%Y-%m}"' in page
        assert f'value="{agency.code}" selected' in page

    def test_a_coordinator_edits_anyones_brief(self, login, coordinator, agency, task_force, brief):
        login(coordinator).post(update_url(task_force, brief), data(agency, area="South county"))
        brief.refresh_from_db()
        assert brief.area == "South county"

    @pytest.mark.parametrize(("role", "status"), [("lead", 403), ("lead_other", 403), ("observer", 403)])
    def test_others_in_the_task_force_may_not_edit_it(
        self, request, login, agency, task_force, brief, role, status
    ):
        client = login(request.getfixturevalue(role))
        assert client.get(update_url(task_force, brief)).status_code == status
        assert (
            client.post(update_url(task_force, brief), data(agency, area="Elsewhere")).status_code == status
        )
        brief.refresh_from_db()
        assert brief.area == "North county"

    def test_another_task_force_gets_404(self, login, other_coordinator, task_force, brief):
        assert login(other_coordinator).get(update_url(task_force, brief)).status_code == 404

    def test_a_brief_of_a_meeting_the_author_no_longer_sees_is_404(
        self, login, member, agency, task_force, brief
    ):
        Meeting.objects.filter(pk=brief.meeting_id).update(confidential=True)
        assert login(member).get(update_url(task_force, brief)).status_code == 404

    def test_it_refuses_pii_on_edit_and_keeps_the_brief(self, login, member, agency, task_force, brief):
        response = login(member).post(
            update_url(task_force, brief), data(agency, summary="born on 2009-03-14")
        )
        brief.refresh_from_db()
        assert "This looks like a date of birth" in response.content.decode()
        assert brief.summary == "Crews moved at night."


class TestTrendBriefDelete:
    def test_the_author_deletes_their_brief(self, login, member, task_force, meeting, brief):
        response = login(member).post(delete_url(task_force, brief))
        assert response.status_code == 302 and response["Location"] == list_url(task_force, meeting)
        assert not TrendBrief.objects.exists()

    def test_a_coordinator_deletes_anyones_brief(self, login, coordinator, task_force, brief):
        assert login(coordinator).post(delete_url(task_force, brief)).status_code == 302
        assert not TrendBrief.objects.exists()

    @pytest.mark.parametrize("role", ["lead", "lead_other", "observer"])
    def test_others_may_not_delete_it(self, request, login, task_force, brief, role):
        assert login(request.getfixturevalue(role)).post(delete_url(task_force, brief)).status_code == 403
        assert TrendBrief.objects.exists()

    def test_another_task_force_gets_404(self, login, other_coordinator, task_force, brief):
        assert login(other_coordinator).post(delete_url(task_force, brief)).status_code == 404

    def test_it_takes_only_post(self, login, member, task_force, brief):
        assert login(member).get(delete_url(task_force, brief)).status_code == 405
        assert TrendBrief.objects.exists()

    def test_an_unknown_brief_is_404(self, login, member, task_force):
        url = reverse(
            "meetings:trend-brief-delete", args=[task_force.slug, "00000000-0000-0000-0000-000000000000"]
        )
        assert login(member).post(url).status_code == 404


def test_a_brief_from_another_task_force_is_404(login, coordinator, task_force, other_task_force):
    foreign_meeting = MeetingFactory(task_force=other_task_force)
    foreign = TrendBriefFactory(meeting=foreign_meeting, agency=AgencyFactory(task_force=other_task_force))
    assert login(coordinator).get(update_url(task_force, foreign)).status_code == 404
