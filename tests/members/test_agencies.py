from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Agency, Sector
from tests.factories import AgencyFactory

VALID = {
    "name": "Harbor Labor Standards Office",
    "sector": Sector.LABOUR,
    "jurisdiction_level": Agency.Level.STATE,
    "address": "1 Dock Street, Harbor City",
    "phone": "555-0100",
    "website": "https://labor.example.org",
}


def form_data(agency=None, **changes):
    data = {**VALID, **changes}
    if agency is not None:
        data["version"] = agency.version
    else:
        data["version"] = 1
    return data


class TestAgencyList:
    def test_it_lists_searches_and_filters_by_sector(self, login, member, task_force, agency, other_agency):
        url = reverse("members:agency-list", args=[task_force.slug])
        page = login(member).get(url).content.decode()
        assert agency.name.replace("'", "&#x27;") in page and other_agency.name in page

        page = login(member).get(url, {"q": "shelter"}).content.decode()
        assert other_agency.name in page and "Sheriff" not in page

        page = login(member).get(url, {"sector": "law_enforcement"}).content.decode()
        assert "Sheriff" in page and other_agency.name not in page

    def test_it_says_what_to_do_when_nothing_matches(self, login, member, task_force, agency):
        url = reverse("members:agency-list", args=[task_force.slug])
        page = login(member).get(url, {"q": "zzz"}).content.decode()
        assert "No agency matches these filters" in page

    def test_it_never_shows_another_task_forces_agencies(self, login, member, task_force, foreign_agency):
        page = login(member).get(reverse("members:agency-list", args=[task_force.slug])).content.decode()
        assert foreign_agency.name not in page

    def test_it_paginates(self, login, member, task_force, agency):
        AgencyFactory.create_batch(30, task_force=task_force)
        url = reverse("members:agency-list", args=[task_force.slug])
        response = login(member).get(url, {"page": 2})
        assert response.status_code == 200
        assert response.context["page_obj"].number == 2
        assert len(response.context["agencies"]) == 31 - 25

    def test_its_query_count_does_not_grow_with_agencies(self, login, member, task_force, agency):
        client = login(member)
        url = reverse("members:agency-list", args=[task_force.slug])
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        AgencyFactory.create_batch(24, task_force=task_force)
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many) == len(few)


class TestAgencyCreate:
    def test_the_coordinator_adds_an_agency(self, login, coordinator, task_force):
        response = login(coordinator).post(
            reverse("members:agency-create", args=[task_force.slug]), form_data()
        )
        agency = Agency.objects.get(name=VALID["name"])
        assert response.status_code == 302
        assert response["Location"] == agency.get_absolute_url()
        assert agency.task_force == task_force

    def test_it_refuses_a_duplicate_name_in_the_same_task_force(self, login, coordinator, task_force, agency):
        response = login(coordinator).post(
            reverse("members:agency-create", args=[task_force.slug]),
            form_data(name=agency.name.upper()),
        )
        assert response.status_code == 200
        assert "already has an agency with this name" in response.content.decode()
        assert Agency.objects.filter(task_force=task_force).count() == 1

    def test_the_same_name_is_fine_in_another_task_force(
        self, login, other_coordinator, other_task_force, agency
    ):
        login(other_coordinator).post(
            reverse("members:agency-create", args=[other_task_force.slug]),
            form_data(name=agency.name),
        )
        assert Agency.objects.filter(name=agency.name).count() == 2

    def test_it_shows_errors_for_missing_fields(self, login, coordinator, task_force):
        response = login(coordinator).post(
            reverse("members:agency-create", args=[task_force.slug]),
            form_data(name="", sector="spaceships", website="not a url"),
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "This field is required" in page
        assert "Select a valid choice" in page
        assert Agency.objects.count() == 1  # only the coordinator's own


class TestAgencyUpdate:
    def test_the_agency_lead_edits_their_own_agency(self, login, lead, task_force, agency):
        response = login(lead).post(
            reverse("members:agency-update", args=[task_force.slug, agency.code]),
            form_data(agency, name="Harbor County Sheriff", phone="555-0199"),
        )
        agency.refresh_from_db()
        assert response.status_code == 302
        assert (agency.name, agency.phone, agency.version) == (
            "Harbor County Sheriff",
            "555-0199",
            2,
        )

    def test_the_lead_of_another_agency_may_not(self, login, lead_other, task_force, agency):
        response = login(lead_other).post(
            reverse("members:agency-update", args=[task_force.slug, agency.code]), form_data(agency)
        )
        assert response.status_code == 403
        agency.refresh_from_db()
        assert agency.name == "Harbor County Sheriff's Office"

    def test_a_concurrent_edit_is_detected_not_overwritten(
        self, login, coordinator, lead, task_force, agency
    ):
        url = reverse("members:agency-update", args=[task_force.slug, agency.code])
        stale = form_data(agency, name="Stale Name")
        login(lead).post(url, form_data(agency, name="Fresh Name"))
        response = login(coordinator).post(url, stale)
        assert response.status_code == 200
        assert "Someone else saved a change" in response.content.decode()
        agency.refresh_from_db()
        assert agency.name == "Fresh Name"

    def test_a_foreign_agency_code_in_this_task_force_url_is_a_404(
        self, login, coordinator, task_force, foreign_agency
    ):
        url = reverse("members:agency-update", args=[task_force.slug, foreign_agency.code])
        assert login(coordinator).get(url).status_code == 404


class TestAgencyDetailAndHistory:
    def test_it_lists_the_agencys_people_and_roles(self, login, member, lead, task_force, agency):
        page = login(member).get(agency.get_absolute_url()).content.decode()
        assert "Lee Lead" in page and "Agency lead" in page and "Mo Member" in page

    def test_observers_do_not_see_the_phone_and_address(self, login, observer, task_force, agency):
        agency.phone = "555-0123"
        agency.save()
        page = login(observer).get(agency.get_absolute_url()).content.decode()
        assert "555-0123" not in page

    def test_history_shows_who_changed_what(self, login, lead, member, task_force, agency):
        login(lead).post(
            reverse("members:agency-update", args=[task_force.slug, agency.code]),
            form_data(agency, name="Harbor Sheriff", phone="555-0142"),
        )
        page = (
            login(member)
            .get(reverse("members:agency-history", args=[task_force.slug, agency.code]))
            .content.decode()
        )
        assert "by Lee Lead" in page
        assert "555-0142" in page
