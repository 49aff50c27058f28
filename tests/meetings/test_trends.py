"""The trends page: briefs summed by quarter and type, labour beside sex trafficking."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AgencyFactory

from .factories import MeetingFactory, TrendBriefFactory


@pytest.fixture
def meeting(task_force, coordinator):
    return MeetingFactory(task_force=task_force, organiser=coordinator)


@pytest.fixture
def url(task_force):
    return reverse("meetings:trends", args=[task_force.slug])


def brief(meeting, agency, trafficking_type, start, count_range="2-5", **fields):
    return TrendBriefFactory(
        meeting=meeting,
        agency=agency,
        trafficking_type=trafficking_type,
        period_start=start,
        period_end=start.replace(day=28),
        count_range=count_range,
        **fields,
    )


def cells(trends):
    return {
        quarter.short_label: (
            (quarter.sex.briefs, quarter.sex.at_least),
            (quarter.labour.briefs, quarter.labour.at_least),
            (quarter.both.briefs, quarter.both.at_least),
        )
        for quarter in trends.quarters
    }


class TestTrends:
    def test_it_sums_briefs_by_quarter_and_type_counting_both_in_each(
        self, login, member, agency, meeting, url
    ):
        brief(meeting, agency, "sex", date(2024, 1, 1), "2-5")
        brief(meeting, agency, "sex", date(2024, 2, 1), "1")
        brief(meeting, agency, "labour", date(2024, 3, 1), "11-25")
        brief(meeting, agency, "both", date(2024, 3, 1), "6-10")
        brief(meeting, agency, "labour", date(2024, 4, 1), "26+")
        trends = login(member).get(url).context["trends"]
        assert cells(trends) == {
            "Q1 2024": ((3, 2 + 1 + 6), (2, 11 + 6), (1, 6)),
            "Q2 2024": ((0, 0), (1, 26), (0, 0)),
        }
        assert [quarter.short_label for quarter in trends.quarters] == ["Q2 2024", "Q1 2024"]
        totals = trends.totals
        assert (totals.sex.briefs, totals.labour.briefs, totals.both.briefs) == (3, 3, 1)
        assert (totals.sex.at_least, totals.labour.at_least) == (9, 43)

    def test_it_shows_labour_and_sex_trafficking_side_by_side_as_at_least(
        self, login, member, agency, meeting, url
    ):
        brief(meeting, agency, "labour", date(2024, 3, 1), "11-25")
        page = login(member).get(url).content.decode()
        assert "Sex trafficking" in page and "Labour trafficking" in page and "Reported as both" in page
        assert "at least <strong>11</strong>" in page
        assert "<caption" in page and 'scope="colgroup"' in page and 'scope="row"' in page
        assert "Jan–Mar 2024" in page

    def test_it_lists_top_industries_and_indicators_per_type(self, login, member, agency, meeting, url):
        brief(meeting, agency, "labour", date(2024, 1, 1), industry="agriculture", indicators=["debt"])
        brief(
            meeting,
            agency,
            "labour",
            date(2024, 1, 1),
            industry="agriculture",
            indicators=["debt", "threats"],
        )
        brief(
            meeting, agency, "both", date(2024, 1, 1), industry="restaurants", indicators=["documents_held"]
        )
        brief(meeting, agency, "sex", date(2024, 1, 1), industry="massage", indicators=["online_adverts"])
        sex, labour = login(member).get(url).context["trends"].types
        assert labour.label == "Labour trafficking"
        assert labour.industries == [("Agriculture and farm work", 2), ("Restaurants and food service", 1)]
        assert labour.indicators[:2] == [
            ("Debt that cannot be paid off", 2),
            ("Identity documents held by someone else", 1),
        ]
        assert ("Threats or violence", 1) in labour.indicators
        assert sex.industries == [
            ("Illicit massage and spa businesses", 1),
            ("Restaurants and food service", 1),
        ]
        assert sex.indicators == [("Identity documents held by someone else", 1), ("Online adverts", 1)]

    def test_it_filters_by_year_area_and_industry(self, login, member, agency, meeting, url):
        brief(meeting, agency, "labour", date(2023, 5, 1), area="North county", industry="agriculture")
        brief(meeting, agency, "labour", date(2024, 5, 1), area="North county", industry="construction")
        brief(meeting, agency, "sex", date(2024, 5, 1), area="Harbor City", industry="massage")
        client = login(member)
        assert cells(client.get(url, {"year": 2023}).context["trends"]) == {
            "Q2 2023": ((0, 0), (1, 2), (0, 0))
        }
        assert cells(client.get(url, {"area": "north"}).context["trends"]).keys() == {"Q2 2023", "Q2 2024"}
        assert cells(client.get(url, {"industry": "massage"}).context["trends"]) == {
            "Q2 2024": ((1, 2), (0, 0), (0, 0))
        }

    def test_a_bad_filter_is_ignored_rather_than_an_error(self, login, member, agency, meeting, url):
        brief(meeting, agency, "labour", date(2024, 5, 1))
        response = login(member).get(url, {"year": "soon", "industry": "spaceships"})
        assert response.status_code == 200
        assert len(response.context["trends"].quarters) == 1

    def test_it_says_to_share_briefs_at_meetings_when_there_are_none(self, login, member, url):
        page = login(member).get(url).content.decode()
        assert "No trend briefs yet. Share them at meetings" in page

    def test_it_says_when_nothing_matches_the_filters(self, login, member, agency, meeting, url):
        brief(meeting, agency, "labour", date(2024, 5, 1))
        page = login(member).get(url, {"industry": "fishing"}).content.decode()
        assert "No briefs match these filters" in page

    def test_it_counts_only_briefs_of_meetings_the_reader_may_see(
        self, login, member, coordinator, agency, task_force, meeting, url
    ):
        hidden = MeetingFactory(task_force=task_force, organiser=coordinator, confidential=True)
        brief(meeting, agency, "labour", date(2024, 1, 1))
        brief(hidden, agency, "sex", date(2024, 1, 1))
        assert cells(login(member).get(url).context["trends"]) == {"Q1 2024": ((0, 0), (1, 2), (0, 0))}
        assert cells(login(coordinator).get(url).context["trends"]) == {"Q1 2024": ((1, 2), (1, 2), (0, 0))}

    def test_it_never_counts_another_task_forces_briefs(self, login, member, other_task_force, url):
        foreign = MeetingFactory(task_force=other_task_force)
        brief(foreign, AgencyFactory(task_force=other_task_force), "labour", date(2024, 1, 1))
        assert login(member).get(url).context["trends"].is_empty

    @pytest.mark.parametrize("role", ["lead_other", "coordinator", "admin"])
    def test_members_leads_coordinators_and_admins_read_it(self, request, login, url, role):
        assert login(request.getfixturevalue(role)).get(url).status_code == 200

    def test_an_observer_is_refused(self, login, observer, url):
        assert login(observer).get(url).status_code == 403

    def test_another_task_force_gets_404(self, login, other_coordinator, url):
        assert login(other_coordinator).get(url).status_code == 404

    def test_anonymous_people_are_sent_to_sign_in(self, client, url):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_its_query_count_does_not_grow_with_briefs(self, login, member, agency, task_force, meeting, url):
        client = login(member)
        brief(meeting, agency, "labour", date(2024, 1, 1))
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for month in range(1, 13):
            for trafficking_type in ("sex", "labour", "both"):
                other = MeetingFactory(task_force=task_force)
                brief(other, agency, trafficking_type, date(2023, month, 1), area=f"Area {month}")
        with CaptureQueriesContext(connection) as many:
            client.get(url, {"year": 2023})
        assert len(many) == len(few)
