"""Committees and working groups: any member reads them; coordinators set them up; the chair or a
coordinator changes one; chair and members come only from the task force's active members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import access
from members.models import Committee
from taskforce.forms import STALE_EDIT_MESSAGE
from tests.factories import MembershipFactory, UserFactory, member_of
from tests.meetings.factories import CommitteeFactory


@pytest.fixture
def committee(task_force, lead, member):
    committee = CommitteeFactory(
        task_force=task_force,
        name="Labour trafficking working group",
        purpose="Farms and factories.",
        chair=lead,
    )
    committee.members.set([lead, member])
    return committee


def list_url(task_force):
    return reverse("members:committee-list", args=[task_force.slug])


def create_url(task_force):
    return reverse("members:committee-create", args=[task_force.slug])


def detail_url(task_force, committee):
    return reverse("members:committee-detail", args=[task_force.slug, committee.code])


def update_url(task_force, committee):
    return reverse("members:committee-update", args=[task_force.slug, committee.code])


def form_data(committee=None, chair=None, members=(), **changes):
    return {
        "name": "Victim services committee",
        "purpose": "Shelter, advocacy and services for every survivor.",
        "chair": str(chair.code) if chair else "",
        "members": [str(person.code) for person in members],
        "version": committee.version if committee else 1,
        **changes,
    }


class TestCommitteeList:
    @pytest.mark.parametrize("role", ["observer", "member", "lead_other", "coordinator", "admin"])
    def test_everyone_in_the_task_force_reads_it(self, request, login, task_force, committee, role):
        response = login(request.getfixturevalue(role)).get(list_url(task_force))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Labour trafficking working group" in page and "Farms and factories." in page
        assert "Lee Lead" in page
        assert response.context["committees"][0].member_count == 2

    def test_only_coordinators_are_offered_to_add_one(self, login, member, coordinator, task_force):
        assert "Add a committee" not in login(member).get(list_url(task_force)).content.decode()
        assert "Add a committee" in login(coordinator).get(list_url(task_force)).content.decode()

    def test_it_says_what_to_do_when_there_are_none(self, login, coordinator, member, task_force):
        assert "Add the first one" in login(coordinator).get(list_url(task_force)).content.decode()
        assert "Your coordinator sets them up" in login(member).get(list_url(task_force)).content.decode()

    def test_another_task_force_gets_404_and_anonymous_people_sign_in(
        self, login, client, other_coordinator, task_force
    ):
        assert login(other_coordinator).get(list_url(task_force)).status_code == 404
        assert client.get(list_url(task_force))["Location"].startswith("/accounts/login/")

    def test_it_never_shows_another_task_forces_committees(self, login, member, task_force, other_task_force):
        CommitteeFactory(task_force=other_task_force, name="Ridge training committee")
        assert "Ridge training committee" not in login(member).get(list_url(task_force)).content.decode()

    def test_its_query_count_does_not_grow_with_committees(self, login, member, lead, agency, task_force):
        client = login(member)
        CommitteeFactory(task_force=task_force, chair=lead).members.add(member)
        client.get(list_url(task_force))
        with CaptureQueriesContext(connection) as few:
            client.get(list_url(task_force))
        for _ in range(20):
            chair = member_of(agency)
            CommitteeFactory(task_force=task_force, chair=chair).members.add(chair, member)
        with CaptureQueriesContext(connection) as many:
            client.get(list_url(task_force))
        assert len(many) == len(few)

    def test_the_people_page_links_to_it(self, login, observer, task_force):
        assert (
            list_url(task_force)
            in login(observer).get(reverse("members:person-list", args=[task_force.slug])).content.decode()
        )

    def test_the_task_force_home_links_to_it(self, login, observer, task_force):
        assert (
            list_url(task_force)
            in login(observer).get(reverse("taskforce:home", args=[task_force.slug])).content.decode()
        )


class TestCommitteeDetail:
    def test_it_shows_purpose_chair_and_members_with_their_agencies(
        self, login, observer, agency, task_force, committee
    ):
        response = login(observer).get(detail_url(task_force, committee))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Farms and factories." in page
        assert response.context["chair"] == committee.chair
        assert [person.full_name for person in response.context["members"]] == ["Lee Lead", "Mo Member"]
        assert page.count("Harbor County Sheriff&#x27;s Office") == 3  # two members and the chair

    def test_it_says_when_a_member_has_left_the_task_force(
        self, login, coordinator, task_force, committee, member
    ):
        member.memberships.update(ended_on="2024-01-01")
        page = login(coordinator).get(detail_url(task_force, committee)).content.decode()
        assert "No longer a member of the task force" in page

    def test_the_chair_and_coordinators_are_offered_to_edit(
        self, login, lead, member, coordinator, task_force, committee
    ):
        edit = update_url(task_force, committee)
        assert edit in login(lead).get(detail_url(task_force, committee)).content.decode()
        assert edit in login(coordinator).get(detail_url(task_force, committee)).content.decode()
        assert edit not in login(member).get(detail_url(task_force, committee)).content.decode()

    def test_another_task_forces_committee_is_404(self, login, coordinator, task_force, other_task_force):
        foreign = CommitteeFactory(task_force=other_task_force)
        assert login(coordinator).get(detail_url(task_force, foreign)).status_code == 404

    def test_another_task_force_gets_404(self, login, other_coordinator, task_force, committee):
        assert login(other_coordinator).get(detail_url(task_force, committee)).status_code == 404

    def test_its_query_count_does_not_grow_with_members(
        self, login, member, agency, other_agency, task_force, committee
    ):
        client = login(member)
        client.get(detail_url(task_force, committee))
        with CaptureQueriesContext(connection) as few:
            client.get(detail_url(task_force, committee))
        for index in range(15):
            person = member_of(agency if index % 2 else other_agency)
            committee.members.add(person)
        with CaptureQueriesContext(connection) as many:
            client.get(detail_url(task_force, committee))
        assert len(many) == len(few)


class TestCommitteeCreate:
    def test_a_coordinator_sets_up_a_committee(self, login, coordinator, lead_other, member, task_force):
        response = login(coordinator).post(
            create_url(task_force), form_data(chair=lead_other, members=[member])
        )
        committee = Committee.objects.get()
        assert response.status_code == 302 and response["Location"] == committee.get_absolute_url()
        assert committee.task_force == task_force
        assert committee.chair == lead_other
        assert set(committee.members.all()) == {member, lead_other}  # the chair sits on it too

    def test_a_co_chair_sets_one_up_too(self, login, co_chair, task_force):
        assert login(co_chair).post(create_url(task_force), form_data()).status_code == 302
        assert Committee.objects.get().chair is None

    def test_the_form_lists_active_members_with_their_agencies(
        self, login, coordinator, member, observer, lead_other, task_force, foreign_agency
    ):
        outsider = member_of(foreign_agency)
        response = login(coordinator).get(create_url(task_force))
        form = response.context["form"]
        assert "Mo Member (Harbor County Sheriff&#x27;s Office)" in response.content.decode()
        assert outsider not in form.fields["members"].queryset
        assert observer in form.fields["members"].queryset
        assert observer not in form.fields["chair"].queryset
        assert lead_other in form.fields["chair"].queryset

    def test_it_refuses_a_duplicate_name_in_the_same_task_force(
        self, login, coordinator, task_force, committee
    ):
        response = login(coordinator).post(create_url(task_force), form_data(name=committee.name.upper()))
        assert response.status_code == 200
        assert "already has a committee with this name" in response.content.decode()
        assert Committee.objects.count() == 1

    def test_the_same_name_is_fine_in_another_task_force(
        self, login, other_coordinator, other_task_force, committee
    ):
        login(other_coordinator).post(create_url(other_task_force), form_data(name=committee.name))
        assert Committee.objects.filter(name=committee.name).count() == 2

    def test_it_refuses_a_forged_member_from_outside_the_task_force(
        self, login, coordinator, task_force, foreign_agency
    ):
        outsider = member_of(foreign_agency)
        response = login(coordinator).post(create_url(task_force), form_data(members=[outsider]))
        assert response.status_code == 200
        assert "Choose members among the active members of this task force." in response.content.decode()
        assert not Committee.objects.exists()

    def test_it_refuses_a_chair_who_has_left_or_never_joined(self, login, coordinator, member, task_force):
        member.memberships.update(ended_on="2024-01-01")
        for chair in (member, UserFactory()):
            response = login(coordinator).post(create_url(task_force), form_data(chair=chair))
            assert "Choose the chair among the active members" in response.content.decode()
        assert not Committee.objects.exists()

    def test_an_observer_may_sit_on_a_committee_but_not_chair_it(
        self, login, coordinator, observer, task_force
    ):
        response = login(coordinator).post(create_url(task_force), form_data(chair=observer))
        assert "not observers" in response.content.decode()
        login(coordinator).post(create_url(task_force), form_data(members=[observer]))
        assert list(Committee.objects.get().members.all()) == [observer]

    def test_a_malformed_code_is_refused_without_an_error_page(self, login, coordinator, task_force):
        response = login(coordinator).post(
            create_url(task_force), {**form_data(), "chair": "x", "members": ["y"]}
        )
        assert response.status_code == 200
        assert not Committee.objects.exists()

    def test_it_requires_a_name(self, login, coordinator, task_force):
        response = login(coordinator).post(create_url(task_force), form_data(name=" "))
        assert "This field is required" in response.content.decode()

    @pytest.mark.parametrize("role", ["observer", "member", "lead", "lead_other"])
    def test_others_may_not_set_one_up(self, request, login, task_force, role):
        client = login(request.getfixturevalue(role))
        assert client.get(create_url(task_force)).status_code == 403
        assert client.post(create_url(task_force), form_data()).status_code == 403
        assert not Committee.objects.exists()

    def test_another_task_force_gets_404(self, login, other_coordinator, task_force):
        assert login(other_coordinator).post(create_url(task_force), form_data()).status_code == 404


class TestCommitteeUpdate:
    def test_the_chair_changes_the_committee(self, login, lead, member, lead_other, task_force, committee):
        response = login(lead).post(
            update_url(task_force, committee),
            form_data(committee, chair=lead, members=[lead_other], name="Labour working group"),
        )
        committee.refresh_from_db()
        assert response.status_code == 302
        assert committee.name == "Labour working group"
        assert set(committee.members.all()) == {lead, lead_other}
        assert committee.version == 2

    def test_a_coordinator_hands_the_chair_to_someone_else(
        self, login, coordinator, member, task_force, committee
    ):
        login(coordinator).post(
            update_url(task_force, committee), form_data(committee, chair=member, members=[member])
        )
        committee.refresh_from_db()
        assert committee.chair == member

    def test_the_form_shows_the_current_chair_and_members(
        self, login, coordinator, lead, member, task_force, committee
    ):
        page = login(coordinator).get(update_url(task_force, committee)).content.decode()
        assert f'<option value="{lead.code}" selected>' in page
        assert f'value="{member.code}"' in page and "checked" in page

    def test_a_stale_edit_is_refused(self, login, coordinator, lead, task_force, committee):
        stale = form_data(committee, chair=lead, name="First")
        login(lead).post(update_url(task_force, committee), form_data(committee, chair=lead, name="Second"))
        response = login(coordinator).post(update_url(task_force, committee), stale)
        committee.refresh_from_db()
        assert STALE_EDIT_MESSAGE.replace("'", "&#x27;") in response.content.decode()
        assert committee.name == "Second"

    def test_it_refuses_the_name_of_another_committee(self, login, coordinator, task_force, committee):
        other = CommitteeFactory(task_force=task_force, name="Training committee")
        response = login(coordinator).post(
            update_url(task_force, other), form_data(other, name=committee.name)
        )
        assert "already has a committee with this name" in response.content.decode()

    def test_keeping_its_own_name_is_fine(self, login, coordinator, task_force, committee):
        response = login(coordinator).post(
            update_url(task_force, committee), form_data(committee, name=committee.name)
        )
        assert response.status_code == 302

    @pytest.mark.parametrize("role", ["observer", "member", "lead_other"])
    def test_others_may_not_change_it(self, request, login, task_force, committee, role):
        client = login(request.getfixturevalue(role))
        assert client.get(update_url(task_force, committee)).status_code == 403
        assert client.post(update_url(task_force, committee), form_data(committee)).status_code == 403
        committee.refresh_from_db()
        assert committee.name == "Labour trafficking working group"

    def test_a_chair_who_has_left_may_no_longer_change_it(self, login, lead, task_force, committee):
        lead.memberships.update(ended_on="2024-01-01")
        access.sync_grants(lead, task_force)
        assert login(lead).get(update_url(task_force, committee)).status_code == 404

    def test_an_admin_changes_it(self, login, admin, task_force, committee):
        assert login(admin).get(update_url(task_force, committee)).status_code == 200

    def test_another_task_force_gets_404(self, login, other_coordinator, task_force, committee):
        assert login(other_coordinator).get(update_url(task_force, committee)).status_code == 404


class TestCommitteesWhenAMembershipEnds:
    def end(self, client, task_force, person, **extra):
        membership = person.memberships.get()
        url = reverse("members:membership-end", args=[task_force.slug, membership.code])
        data = {"ended_on": task_force.today().isoformat(), "reason": "Left the agency", **extra}
        return client.post(url, data)

    def test_a_member_who_leaves_the_task_force_leaves_its_committees(
        self, login, coordinator, task_force, committee, member
    ):
        assert self.end(login(coordinator), task_force, member).status_code == 302
        assert list(committee.members.all()) == [committee.chair]

    def test_a_chair_who_leaves_hands_the_chair_to_the_person_chosen(
        self, login, coordinator, task_force, committee, lead, lead_other
    ):
        self.end(login(coordinator), task_force, lead, handover_to=lead_other.code)
        committee.refresh_from_db()
        assert committee.chair == lead_other
        assert lead_other in committee.members.all() and lead not in committee.members.all()

    def test_without_a_choice_the_chair_passes_to_whoever_ends_the_membership(
        self, login, coordinator, task_force, committee, lead
    ):
        self.end(login(coordinator), task_force, lead)
        committee.refresh_from_db()
        assert committee.chair == coordinator

    def test_someone_still_serving_for_another_agency_stays_on_the_committee(
        self, login, coordinator, task_force, committee, member, other_agency
    ):
        MembershipFactory(user=member, agency=other_agency)
        membership = member.memberships.get(agency__name="Harbor County Sheriff's Office")
        url = reverse("members:membership-end", args=[task_force.slug, membership.code])
        login(coordinator).post(url, {"ended_on": task_force.today().isoformat(), "reason": "Moved"})
        assert member in committee.members.all()
