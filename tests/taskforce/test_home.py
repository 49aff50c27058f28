from django.urls import reverse

from tests.factories import MembershipFactory


class TestRootRedirect:
    def test_it_opens_the_persons_task_force(self, login, member, task_force):
        response = login(member).get("/")
        assert response.status_code == 302
        assert response["Location"] == task_force.get_absolute_url()

    def test_it_remembers_the_task_force_chosen_last(self, login, member, task_force, foreign_agency):
        MembershipFactory(user=member, agency=foreign_agency)
        client = login(member)
        client.get(foreign_agency.task_force.get_absolute_url())
        assert client.get("/")["Location"] == foreign_agency.task_force.get_absolute_url()

    def test_someone_without_a_task_force_is_told_what_to_do(self, login, admin, db):
        page = login(admin).get("/").content.decode()
        assert "You are not a member of any task force" in page


class TestTaskForceHome:
    def test_it_shows_mission_leadership_and_counts(
        self, login, observer, coordinator, co_chair, member, task_force
    ):
        response = login(observer).get(task_force.get_absolute_url())
        page = response.content.decode()
        assert task_force.mission in page
        assert "Cora Coordinator" in page and "Chris Cochair" in page
        assert response.context["counts"]["people"] == 4
        assert response.context["agency_count"] == 1

    def test_the_switcher_lists_every_task_force_of_the_person(
        self, login, member, task_force, foreign_agency
    ):
        MembershipFactory(user=member, agency=foreign_agency)
        page = login(member).get(task_force.get_absolute_url()).content.decode()
        assert "Switch task force" in page and foreign_agency.task_force.name in page

    def test_it_names_the_sectors_still_missing(self, login, coordinator, task_force):
        page = login(coordinator).get(task_force.get_absolute_url()).content.decode()
        assert "No agency yet from:" in page and "Labour and workforce" in page


class TestTaskForceUpdate:
    def test_the_coordinator_edits_the_mission(self, login, coordinator, task_force):
        data = {
            "name": task_force.name,
            "jurisdiction": "Harbor County",
            "mission": "A new mission",
            "purpose": "",
            "mandate": "state",
            "legal_citation": "State Code 12-34",
            "founded_on": "2019-05-01",
            "time_zone": "America/Chicago",
            "quorum_rule": "fixed_agencies",
            "quorum_agencies": "5",
            "version": task_force.version,
        }
        response = login(coordinator).post(reverse("taskforce:update", args=[task_force.slug]), data)
        task_force.refresh_from_db()
        assert response.status_code == 302
        assert (task_force.mission, task_force.time_zone) == ("A new mission", "America/Chicago")
        assert (task_force.quorum_rule, task_force.quorum_agencies) == ("fixed_agencies", 5)

    def test_the_fixed_quorum_rule_needs_a_number(self, login, coordinator, task_force):
        data = {
            "name": task_force.name,
            "jurisdiction": "Harbor County",
            "mission": "m",
            "mandate": "local",
            "time_zone": "America/Chicago",
            "quorum_rule": "fixed_agencies",
            "version": task_force.version,
        }
        response = login(coordinator).post(reverse("taskforce:update", args=[task_force.slug]), data)
        assert response.status_code == 200
        assert "Say how many agencies make a quorum" in response.content.decode()

    def test_it_refuses_an_unknown_time_zone(self, login, coordinator, task_force):
        data = {
            "name": task_force.name,
            "jurisdiction": "x",
            "mission": "m",
            "mandate": "local",
            "time_zone": "Mars/Olympus",
            "version": task_force.version,
        }
        response = login(coordinator).post(reverse("taskforce:update", args=[task_force.slug]), data)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
