"""Changing a membership's role and ending a membership, and the one-active-membership rule."""

from datetime import timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, Role
from members.signals import membership_ended
from tests.factories import MembershipFactory


def text(response):
    return unescape(response.content.decode())


def role_url(membership):
    return reverse("members:membership-role", args=[membership.task_force.slug, membership.code])


def end_url(membership):
    return reverse("members:membership-end", args=[membership.task_force.slug, membership.code])


def people_url(task_force):
    return reverse("members:person-list", args=[task_force.slug])


def person_url(task_force, person):
    return reverse("members:person-detail", args=[task_force.slug, person.code])


def home_of(task_force):
    return reverse("taskforce:home", args=[task_force.slug])


def today_in(task_force):
    """The date the task force's pages count as today."""
    return timezone.localdate(timezone=ZoneInfo(task_force.time_zone))


def membership_of(person):
    return person.memberships.get()


@pytest.fixture
def ended_calls():
    """The memberships a membership_ended receiver was called with."""
    calls = []

    def receiver(sender, membership, ended_by, **kwargs):
        calls.append((membership.pk, ended_by.pk))

    membership_ended.connect(receiver)
    yield calls
    membership_ended.disconnect(receiver)


class TestChangeRole:
    def test_a_coordinator_makes_a_member_an_observer(self, login, coordinator, member, task_force):
        membership = membership_of(member)
        response = login(coordinator).post(role_url(membership), {"role": Role.OBSERVER}, follow=True)
        assert response.redirect_chain == [(person_url(task_force, member), 302)]
        assert "Mo Member is now Observer." in text(response)
        membership.refresh_from_db()
        assert membership.role == Role.OBSERVER

    def test_the_new_grants_apply_on_the_very_next_request(self, login, coordinator, member, task_force):
        member_client = login(member)
        assert "coordinator@example.org" in text(member_client.get(people_url(task_force)))

        login(coordinator).post(role_url(membership_of(member)), {"role": Role.OBSERVER})

        page = text(member_client.get(people_url(task_force)))
        assert "Cora Coordinator" in page
        assert "coordinator@example.org" not in page

    def test_the_form_starts_at_the_current_role_and_offers_every_role_to_a_coordinator(
        self, login, coordinator, member
    ):
        form = login(coordinator).get(role_url(membership_of(member))).context["form"]
        assert form["role"].value() == Role.MEMBER
        assert [value for value, _ in form.fields["role"].choices] == list(Role.values)

    def test_an_ended_membership_cannot_change_role(self, login, coordinator, member):
        membership = membership_of(member)
        membership.ended_on = membership.started_on
        membership.save(update_fields=["ended_on"])
        response = login(coordinator).post(role_url(membership), {"role": Role.OBSERVER})
        assert response.status_code == 200
        assert "This membership has ended; invite the person again instead." in text(response)
        membership.refresh_from_db()
        assert membership.role == Role.MEMBER

    def test_the_agency_lead_may_switch_between_member_and_observer(self, login, lead, member):
        membership = membership_of(member)
        client = login(lead)
        form = client.get(role_url(membership)).context["form"]
        assert [value for value, _ in form.fields["role"].choices] == [Role.MEMBER, Role.OBSERVER]

        assert client.post(role_url(membership), {"role": Role.OBSERVER}).status_code == 302
        membership.refresh_from_db()
        assert membership.role == Role.OBSERVER
        assert client.post(role_url(membership), {"role": Role.MEMBER}).status_code == 302
        membership.refresh_from_db()
        assert membership.role == Role.MEMBER

    def test_the_agency_lead_may_not_make_anyone_coordinator(self, login, lead, member):
        membership = membership_of(member)
        response = login(lead).post(role_url(membership), {"role": Role.COORDINATOR})
        assert response.status_code == 200
        assert "Select a valid choice" in text(response)
        membership.refresh_from_db()
        assert membership.role == Role.MEMBER

    @pytest.mark.parametrize(
        ("actor", "target", "status"),
        [
            ("lead", "coordinator", 403),  # a lead may not touch leadership memberships
            ("lead_other", "member", 403),  # nor those of another agency
            ("member", "observer", 403),
            ("other_coordinator", "member", 404),  # an outsider sees nothing
        ],
    )
    def test_it_refuses_who_may_not_change_that_membership(self, request, login, actor, target, status):
        membership = membership_of(request.getfixturevalue(target))
        role_before = membership.role
        client = login(request.getfixturevalue(actor))
        other_role = Role.OBSERVER if role_before != Role.OBSERVER else Role.MEMBER
        assert client.get(role_url(membership)).status_code == status
        assert client.post(role_url(membership), {"role": other_role}).status_code == status
        membership.refresh_from_db()
        assert membership.role == role_before

    def test_a_membership_of_another_task_force_is_not_found(
        self, login, coordinator, other_coordinator, task_force
    ):
        foreign = membership_of(other_coordinator)
        url = reverse("members:membership-role", args=[task_force.slug, foreign.code])
        client = login(coordinator)
        assert client.get(url).status_code == 404
        assert client.post(url, {"role": Role.OBSERVER}).status_code == 404
        foreign.refresh_from_db()
        assert foreign.role == Role.COORDINATOR


class TestEndMembership:
    def test_a_coordinator_ends_a_membership(self, login, coordinator, member, task_force, ended_calls):
        membership = membership_of(member)
        last_day = today_in(task_force) - timedelta(days=1)
        response = login(coordinator).post(
            end_url(membership), {"ended_on": last_day.isoformat(), "reason": "Left the agency"}, follow=True
        )
        assert response.redirect_chain == [(person_url(task_force, member), 302)]
        page = text(response)
        assert "Mo Member's membership for Harbor County Sheriff's Office has ended" in page
        assert ">Ended</span>" in page
        assert "(Left the agency)" in page
        membership.refresh_from_db()
        assert (membership.ended_on, membership.end_reason) == (last_day, "Left the agency")
        assert ended_calls == [(membership.pk, coordinator.pk)]

    def test_the_person_loses_access_at_once(self, login, coordinator, member, task_force):
        member_client = login(member)
        assert member_client.get(home_of(task_force)).status_code == 200

        login(coordinator).post(
            end_url(membership_of(member)),
            {"ended_on": today_in(task_force).isoformat(), "reason": "Left the agency"},
        )

        # Their sessions ended with the membership: the next request is sent to sign in …
        response = member_client.get(home_of(task_force))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        # … and signed in again, the task force is not there for them.
        assert login(member).get(home_of(task_force)).status_code == 404

    def test_ending_an_ended_membership_says_so(self, login, coordinator, member, task_force, ended_calls):
        membership = membership_of(member)
        client = login(coordinator)
        data = {"ended_on": today_in(task_force).isoformat(), "reason": "Left the agency"}
        client.post(end_url(membership), data)

        response = client.post(end_url(membership), {**data, "reason": "Again"})
        assert response.status_code == 200
        assert "This membership has already ended." in text(response)
        membership.refresh_from_db()
        assert membership.end_reason == "Left the agency"
        assert len(ended_calls) == 1

    def test_a_last_day_before_the_start_is_refused(self, login, coordinator, member, ended_calls):
        membership = membership_of(member)
        data = {"ended_on": (membership.started_on - timedelta(days=1)).isoformat(), "reason": "Typo"}
        response = login(coordinator).post(end_url(membership), data)
        assert response.status_code == 200
        assert "A membership cannot end before it started." in text(response)
        membership.refresh_from_db()
        assert membership.is_active
        assert ended_calls == []

    def test_a_last_day_in_the_future_is_refused(self, login, coordinator, member, task_force, ended_calls):
        membership = membership_of(member)
        data = {"ended_on": (today_in(task_force) + timedelta(days=2)).isoformat(), "reason": "Leaving"}
        response = login(coordinator).post(end_url(membership), data)
        assert response.status_code == 200
        assert "A membership ends today or on a past date, not in the future." in text(response)
        membership.refresh_from_db()
        assert membership.is_active
        assert ended_calls == []

    def test_a_reason_is_required(self, login, coordinator, member, task_force):
        membership = membership_of(member)
        response = login(coordinator).post(end_url(membership), {"ended_on": today_in(task_force)})
        assert response.status_code == 200
        assert "This field is required." in text(response)
        membership.refresh_from_db()
        assert membership.is_active

    def test_the_agency_lead_may_end_a_members_membership(self, login, lead, member, task_force):
        membership = membership_of(member)
        data = {"ended_on": today_in(task_force).isoformat(), "reason": "Left the agency"}
        assert login(lead).post(end_url(membership), data).status_code == 302
        membership.refresh_from_db()
        assert not membership.is_active

    def test_the_agency_lead_may_not_end_the_coordinators_membership(
        self, login, lead, coordinator, task_force
    ):
        membership = membership_of(coordinator)
        client = login(lead)
        assert client.get(end_url(membership)).status_code == 403
        data = {"ended_on": today_in(task_force).isoformat(), "reason": "Coup"}
        assert client.post(end_url(membership), data).status_code == 403
        membership.refresh_from_db()
        assert membership.is_active

    def test_the_lead_of_another_agency_gets_403(self, login, lead_other, member, task_force):
        membership = membership_of(member)
        client = login(lead_other)
        assert client.get(end_url(membership)).status_code == 403
        data = {"ended_on": today_in(task_force).isoformat(), "reason": "Left"}
        assert client.post(end_url(membership), data).status_code == 403
        membership.refresh_from_db()
        assert membership.is_active

    def test_a_member_gets_403(self, login, member, observer, task_force):
        membership = membership_of(observer)
        data = {"ended_on": today_in(task_force).isoformat(), "reason": "Left"}
        assert login(member).post(end_url(membership), data).status_code == 403
        membership.refresh_from_db()
        assert membership.is_active

    def test_an_outsider_gets_404(self, login, other_coordinator, member, task_force):
        membership = membership_of(member)
        data = {"ended_on": today_in(task_force).isoformat(), "reason": "Left"}
        assert login(other_coordinator).post(end_url(membership), data).status_code == 404
        membership.refresh_from_db()
        assert membership.is_active

    def test_a_membership_of_another_task_force_is_not_found(
        self, login, coordinator, other_coordinator, task_force
    ):
        foreign = membership_of(other_coordinator)
        url = reverse("members:membership-end", args=[task_force.slug, foreign.code])
        data = {"ended_on": today_in(task_force).isoformat(), "reason": "Left"}
        assert login(coordinator).post(url, data).status_code == 404
        foreign.refresh_from_db()
        assert foreign.is_active


class TestOneActiveMembership:
    def test_a_second_active_membership_for_the_same_agency_is_impossible(self, member, agency):
        with pytest.raises(IntegrityError), transaction.atomic():
            MembershipFactory(user=member, agency=agency)
        assert Membership.objects.filter(user=member).count() == 1

    def test_after_a_membership_ends_the_person_may_join_the_agency_again(self, member, agency):
        Membership.objects.filter(user=member).update(ended_on=timezone.localdate())
        MembershipFactory(user=member, agency=agency)
        assert Membership.objects.filter(user=member).count() == 2
        assert Membership.objects.active().filter(user=member).count() == 1

    def test_the_same_person_may_serve_two_agencies(self, member, other_agency):
        MembershipFactory(user=member, agency=other_agency)
        assert Membership.objects.active().filter(user=member).count() == 2
