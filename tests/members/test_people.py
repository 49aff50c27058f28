from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Role
from tests.factories import AgencyFactory, MembershipFactory, member_of


def directory(task_force):
    return reverse("members:person-list", args=[task_force.slug])


class TestPeopleDirectory:
    def test_it_lists_active_members_with_agency_and_role(self, login, member, lead, task_force):
        page = login(member).get(directory(task_force)).content.decode()
        assert "Mo Member" in page and "Lee Lead" in page and "Agency lead" in page

    def test_it_searches_by_name_email_and_title(self, login, member, lead, task_force):
        client = login(member)
        assert "Lee Lead" in client.get(directory(task_force), {"q": "lead@"}).content.decode()
        page = client.get(directory(task_force), {"q": "mo mem"}).content.decode()
        assert "Mo Member" in page and "Lee Lead" not in page

    def test_it_filters_by_agency_and_role(self, login, member, lead, lead_other, task_force, other_agency):
        client = login(member)
        page = client.get(directory(task_force), {"agency": other_agency.code}).content.decode()
        assert "Olga Otherlead" in page and "Mo Member" not in page
        page = client.get(directory(task_force), {"role": Role.AGENCY_LEAD}).content.decode()
        assert "Olga Otherlead" in page and "Lee Lead" in page and "Mo Member" not in page

    def test_it_leaves_out_ended_memberships_and_other_task_forces(
        self, login, member, task_force, agency, other_coordinator
    ):
        gone = MembershipFactory(agency=agency, ended_on="2026-01-31", started_on="2025-01-01")
        page = login(member).get(directory(task_force)).content.decode()
        assert gone.user.full_name not in page
        assert "Rita Ridge" not in page

    def test_observers_do_not_see_email_addresses(self, login, observer, member, task_force):
        page = login(observer).get(directory(task_force)).content.decode()
        assert "Mo Member" in page
        assert "member@example.org" not in page

    def test_members_see_email_addresses(self, login, member, observer, task_force):
        assert "observer@example.org" in login(member).get(directory(task_force)).content.decode()

    def test_it_says_what_to_do_when_nobody_matches(self, login, coordinator, task_force):
        page = login(coordinator).get(directory(task_force), {"q": "nobody-at-all"}).content.decode()
        assert "Nobody matches these filters" in page

    def test_it_runs_the_same_number_of_queries_for_10_and_for_200_people(self, login, member, task_force):
        agencies = AgencyFactory.create_batch(5, task_force=task_force)
        client = login(member)

        def queries_for_directory():
            client.get(directory(task_force))  # warm caches (content types, session)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(directory(task_force), {"page": 1})
            assert response.status_code == 200
            return len(captured)

        for index in range(9):
            member_of(agencies[index % 5])
        ten = queries_for_directory()
        for index in range(190):
            member_of(agencies[index % 5])
        two_hundred = queries_for_directory()
        assert ten == two_hundred


class TestPersonDetail:
    def test_it_shows_memberships_including_ended_ones(
        self, login, coordinator, task_force, agency, other_agency
    ):
        person = member_of(agency, full_name="Pat Person")
        MembershipFactory(
            user=person,
            agency=other_agency,
            ended_on="2026-02-01",
            end_reason="Changed unit",
            started_on="2025-02-01",
        )
        page = login(coordinator).get(reverse("members:person-detail", args=[task_force.slug, person.code]))
        text = page.content.decode()
        assert "Pat Person" in text and "Changed unit" in text and "Ended" in text
        assert "End membership" in text  # the coordinator may end the active one

    def test_it_shows_the_expertise_tags_beside_the_notes(self, login, coordinator, task_force, agency):
        person = member_of(
            agency,
            expertise="Farmworker outreach. Spanish.",
            expertise_trafficking_type="labour",
            expertise_populations=["adults", "foreign_nationals"],
        )
        page = login(coordinator).get(reverse("members:person-detail", args=[task_force.slug, person.code]))
        text = page.content.decode()
        assert '<dt class="col-sm-4">Trafficking</dt><dd class="col-sm-8">Labour trafficking</dd>' in text
        assert "Adults, Foreign nationals" in text and "Farmworker outreach. Spanish." in text

    def test_a_member_sees_no_management_buttons(self, login, member, lead, task_force):
        page = login(member).get(reverse("members:person-detail", args=[task_force.slug, lead.code]))
        assert "End membership" not in page.content.decode()

    def test_a_person_from_another_task_force_is_a_404(
        self, login, coordinator, task_force, other_coordinator
    ):
        url = reverse("members:person-detail", args=[task_force.slug, other_coordinator.code])
        assert login(coordinator).get(url).status_code == 404


class TestPersonUpdate:
    def edit(self, client, task_force, person, **changes):
        data = {
            "full_name": person.full_name,
            "job_title": "Detective",
            "work_phone": "555-0111",
            "expertise": "Labour trafficking in agriculture",
            "version": person.version,
            **changes,
        }
        return client.post(reverse("members:person-update", args=[task_force.slug, person.code]), data)

    def test_the_agency_lead_edits_a_person_of_their_agency(self, login, lead, member, task_force):
        response = self.edit(login(lead), task_force, member)
        member.refresh_from_db()
        assert response.status_code == 302
        assert member.job_title == "Detective"

    def test_the_expertise_tags_are_saved_with_the_notes(self, login, member, task_force):
        tags = {"expertise_trafficking_type": ["sex", "labour"], "expertise_populations": ["minors"]}
        assert self.edit(login(member), task_force, member, **tags).status_code == 302
        member.refresh_from_db()
        assert (member.expertise_trafficking_type, member.expertise_populations, member.expertise) == (
            "both",
            ["minors"],
            "Labour trafficking in agriculture",
        )

    def test_the_lead_of_another_agency_may_not(self, login, lead_other, member, task_force):
        assert self.edit(login(lead_other), task_force, member).status_code == 403
        member.refresh_from_db()
        assert member.job_title == "Investigator"

    def test_a_member_edits_themselves_but_nobody_else(self, login, member, lead, task_force):
        assert self.edit(login(member), task_force, member).status_code == 302
        assert self.edit(login(member), task_force, lead).status_code == 403

    def test_an_empty_name_is_refused(self, login, coordinator, member, task_force):
        response = self.edit(login(coordinator), task_force, member, full_name="")
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()
        member.refresh_from_db()
        assert member.full_name == "Mo Member"

    def test_the_history_tab_shows_the_change_and_who_made_it(self, login, lead, member, task_force):
        self.edit(login(lead), task_force, member, job_title="Sergeant")
        page = login(member).get(reverse("members:person-history", args=[task_force.slug, member.code]))
        text = page.content.decode()
        assert "Sergeant" in text and "by Lee Lead" in text


class TestPersonHistory:
    def test_coordinators_see_recent_sign_ins_and_members_do_not(
        self, client, login, coordinator, member, task_force
    ):
        client.post(reverse("login"), {"username": "member@example.org", "password": "wrong"})
        from tests.factories import PASSWORD

        client.post(reverse("login"), {"username": "member@example.org", "password": PASSWORD})
        url = reverse("members:person-history", args=[task_force.slug, member.code])
        page = login(coordinator).get(url).content.decode()
        assert "Recent sign-ins" in page and "Signed in" in page
        assert "Recent sign-ins" not in login(member).get(url).content.decode()

    def test_its_query_count_does_not_grow_with_changes(
        self, login, coordinator, member, task_force, other_agency
    ):
        url = reverse("members:person-history", args=[task_force.slug, member.code])
        client = login(coordinator)
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for number in range(10):
            member.job_title = f"Title {number}"
            member.save()
        MembershipFactory(user=member, agency=other_agency)
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many) == len(few)
