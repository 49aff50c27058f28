"""Inviting people: the invite form, the list, withdrawing, and the invitee's one-time link."""

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import Invitation, Membership, Role, User
from tests.factories import PASSWORD

NEW_PASSWORD = "lighthouse-harbor-ferry-42"


def text(response):
    return unescape(response.content.decode())


def invite_url(task_force):
    return reverse("members:invitation-create", args=[task_force.slug])


def list_url(task_force):
    return reverse("members:invitation-list", args=[task_force.slug])


def revoke_url(invitation):
    return reverse("members:invitation-revoke", args=[invitation.task_force.slug, invitation.code])


def link_in(message):
    """The path of the accept link in an invitation email."""
    return re.search(r"/accounts/invitation/[^/\s]+/", message.body).group(0)


@pytest.fixture
def send_invitation(login, django_capture_on_commit_callbacks):
    """send_invitation(by, agency, email, role) -> the response; the email goes out on commit."""

    def send(by, agency, email="new.person@example.org", role=Role.MEMBER, full_name="Nia New", **kw):
        data = {"email": email, "full_name": full_name, "agency": agency.pk, "role": role}
        with django_capture_on_commit_callbacks(execute=True):
            return login(by).post(invite_url(agency.task_force), data, **kw)

    return send


@pytest.fixture
def link(coordinator, agency, send_invitation):
    """The accept link of a fresh invitation to new.person@example.org as member of `agency`."""
    send_invitation(coordinator, agency)
    return link_in(mail.outbox[-1])


def accept(client, link, password=NEW_PASSWORD, password2=None, full_name="Nia New"):
    data = {"full_name": full_name, "password1": password, "password2": password2 or password}
    return client.post(link, data)


class TestInvitationCreate:
    def test_it_creates_an_invitation_and_emails_the_link(
        self, send_invitation, coordinator, agency, task_force
    ):
        response = send_invitation(coordinator, agency, email="New.Person@Example.org")

        invitation = Invitation.objects.get()
        assert invitation.email == "new.person@example.org"
        assert (invitation.agency, invitation.role, invitation.invited_by) == (
            agency,
            Role.MEMBER,
            coordinator,
        )
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["new.person@example.org"]
        assert task_force.name in message.subject
        assert "/accounts/invitation/" in message.body
        assert response.status_code == 302
        assert response.url == list_url(task_force)

    def test_the_subject_is_plain_text_not_html(self, send_invitation, coordinator, agency, task_force):
        task_force.name = "Harbor & Bay Task Force"
        task_force.save(update_fields=["name"])
        send_invitation(coordinator, agency)
        assert mail.outbox[0].subject == "You are invited to join Harbor & Bay Task Force on Taskforce"

    def test_it_says_the_invitation_is_on_its_way_on_the_list(
        self, send_invitation, coordinator, agency, task_force
    ):
        response = send_invitation(coordinator, agency, follow=True)
        assert response.redirect_chain == [(list_url(task_force), 302)]
        page = text(response)
        assert "An invitation is on its way to new.person@example.org" in page
        assert "Pending until" in page

    def test_it_shows_an_error_for_an_invalid_email(self, send_invitation, coordinator, agency):
        response = send_invitation(coordinator, agency, email="not-an-email")
        assert response.status_code == 200
        assert "Enter a valid email address." in text(response)
        assert Invitation.objects.count() == 0
        assert mail.outbox == []

    def test_it_refuses_someone_who_is_already_an_active_member_for_that_agency(
        self, send_invitation, coordinator, member, agency
    ):
        response = send_invitation(coordinator, agency, email="Member@example.org")
        assert response.status_code == 200
        assert "This person is already an active member for this agency." in text(response)
        assert Invitation.objects.count() == 0
        assert mail.outbox == []

    def test_inviting_the_same_email_again_replaces_the_pending_invitation(
        self, send_invitation, client, coordinator, agency
    ):
        send_invitation(coordinator, agency, role=Role.MEMBER)
        first_link = link_in(mail.outbox[0])
        send_invitation(coordinator, agency, role=Role.OBSERVER)

        first, second = Invitation.objects.order_by("created_at", "id")
        assert first.get_status() == "revoked"
        assert second.get_status() == "pending"
        assert second.role == Role.OBSERVER
        assert len(mail.outbox) == 2
        response = client.get(first_link)
        assert response.status_code == 410
        assert "withdrawn" in text(response)
        assert client.get(link_in(mail.outbox[1])).status_code == 200

    def test_a_lead_is_offered_only_their_agency_and_member_or_observer(
        self, login, lead, agency, other_agency, task_force
    ):
        form = login(lead).get(invite_url(task_force)).context["form"]
        assert list(form.fields["agency"].queryset) == [agency]
        assert [value for value, _ in form.fields["role"].choices] == [Role.MEMBER, Role.OBSERVER]

    def test_a_lead_may_invite_a_member_to_their_own_agency(self, send_invitation, lead, agency):
        response = send_invitation(lead, agency, role=Role.OBSERVER)
        assert response.status_code == 302
        assert Invitation.objects.get().role == Role.OBSERVER
        assert len(mail.outbox) == 1

    def test_a_lead_may_not_invite_a_coordinator(self, send_invitation, lead, agency):
        response = send_invitation(lead, agency, role=Role.COORDINATOR)
        assert response.status_code == 200
        assert "Select a valid choice" in text(response)
        assert Invitation.objects.count() == 0
        assert mail.outbox == []

    def test_a_lead_may_not_invite_to_another_agency(self, send_invitation, lead, other_agency):
        response = send_invitation(lead, other_agency)
        assert response.status_code == 200
        assert "Select a valid choice" in text(response)
        assert Invitation.objects.count() == 0
        assert mail.outbox == []

    @pytest.mark.parametrize("role", ["member", "observer"])
    def test_members_and_observers_may_not_invite(self, request, login, task_force, role):
        person = request.getfixturevalue(role)
        assert login(person).get(invite_url(task_force)).status_code == 403

    def test_an_outsider_gets_404(self, login, other_coordinator, coordinator, task_force):
        assert login(other_coordinator).get(invite_url(task_force)).status_code == 404


class TestInvitationList:
    def test_it_lists_invitations_with_their_status(
        self, send_invitation, login, coordinator, agency, task_force
    ):
        send_invitation(coordinator, agency, email="first@example.org")
        page = text(login(coordinator).get(list_url(task_force)))
        assert "first@example.org" in page
        assert "Harbor County Sheriff's Office · Member" in page

    def test_a_lead_sees_only_invitations_to_their_agency(
        self, send_invitation, login, coordinator, lead, agency, other_agency, task_force
    ):
        send_invitation(coordinator, agency, email="ours@example.org")
        send_invitation(coordinator, other_agency, email="theirs@example.org")
        page = text(login(lead).get(list_url(task_force)))
        assert "ours@example.org" in page
        assert "theirs@example.org" not in page

    def test_a_member_may_not_see_invitations(self, login, member, task_force):
        assert login(member).get(list_url(task_force)).status_code == 403

    def test_an_outsider_gets_404(self, login, other_coordinator, task_force):
        assert login(other_coordinator).get(list_url(task_force)).status_code == 404


class TestInvitationRevoke:
    def test_a_withdrawn_invitations_link_is_refused(self, link, login, client, coordinator, task_force):
        invitation = Invitation.objects.get()
        response = login(coordinator).post(revoke_url(invitation), follow=True)
        assert "The invitation to new.person@example.org is withdrawn" in text(response)
        assert response.redirect_chain[-1][0] == list_url(task_force)

        response = client.get(link)
        assert response.status_code == 410
        assert "This invitation was withdrawn" in text(response)
        assert accept(client, link).status_code == 410
        assert not User.objects.filter(email="new.person@example.org").exists()

    def test_withdrawing_twice_says_so(self, link, login, coordinator):
        invitation = Invitation.objects.get()
        client = login(coordinator)
        client.post(revoke_url(invitation))
        response = client.post(revoke_url(invitation), follow=True)
        assert "This invitation was already used or withdrawn." in text(response)

    def test_it_only_accepts_post(self, link, login, coordinator):
        invitation = Invitation.objects.get()
        assert login(coordinator).get(revoke_url(invitation)).status_code == 405
        assert Invitation.objects.get().get_status() == "pending"

    def test_a_member_may_not_withdraw(self, link, login, member):
        invitation = Invitation.objects.get()
        assert login(member).post(revoke_url(invitation)).status_code == 403
        assert Invitation.objects.get().get_status() == "pending"

    def test_an_outsider_gets_404(self, link, login, other_coordinator):
        invitation = Invitation.objects.get()
        assert login(other_coordinator).post(revoke_url(invitation)).status_code == 404
        assert Invitation.objects.get().get_status() == "pending"


class TestAcceptInvitation:
    def test_the_link_shows_the_accept_form(self, link, client, task_force):
        response = client.get(link)
        assert response.status_code == 200
        page = text(response)
        assert f"Join {task_force.name}" in page
        assert "new.person@example.org" in page
        assert "Choose a password" in page

    def test_accepting_creates_the_account_and_membership_and_signs_in(
        self, link, client, agency, task_force
    ):
        response = accept(client, link)
        assert response.status_code == 302
        assert response.url == reverse("taskforce:home", args=[task_force.slug])

        user = User.objects.get(email="new.person@example.org")
        assert user.full_name == "Nia New"
        assert user.check_password(NEW_PASSWORD)
        membership = Membership.objects.active().get(user=user)
        assert (membership.task_force, membership.agency, membership.role) == (
            task_force,
            agency,
            Role.MEMBER,
        )
        home = client.get(response.url)
        assert home.status_code == 200
        assert f"Welcome to {task_force.name}." in text(home)
        assert home.context["user"] == user

    def test_the_link_works_only_once(self, link, client):
        accept(client, link)
        again = accept(client, link)
        assert again.status_code == 410
        assert "This invitation has already been used" in text(again)
        assert client.get(link).status_code == 410
        assert Membership.objects.filter(user__email="new.person@example.org").count() == 1
        assert User.objects.filter(email="new.person@example.org").count() == 1

    def test_an_expired_link_is_refused(self, link, client):
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            response = client.get(link)
            assert response.status_code == 410
            assert "expired" in text(response)
            assert accept(client, link).status_code == 410
        assert not User.objects.filter(email="new.person@example.org").exists()
        assert Membership.objects.filter(user__email="new.person@example.org").count() == 0

    def test_a_tampered_link_is_refused(self, link, client):
        token = link.rstrip("/").rsplit("/", 1)[1]
        tampered = reverse("accept-invitation", args=[token[:-2] + ("AA" if token[-2:] != "AA" else "BB")])
        response = client.get(tampered)
        assert response.status_code == 410
        assert "This invitation link is not valid" in text(response)
        assert accept(client, tampered).status_code == 410
        assert not User.objects.filter(email="new.person@example.org").exists()

    def test_it_shows_an_error_when_the_passwords_differ(self, link, client):
        users = User.objects.count()
        response = accept(client, link, password=NEW_PASSWORD, password2=NEW_PASSWORD + "x")
        assert response.status_code == 200
        assert "The two passwords differ." in text(response)
        assert User.objects.count() == users
        assert Membership.objects.filter(user__email="new.person@example.org").count() == 0
        assert Invitation.objects.get().get_status() == "pending"

    @pytest.mark.parametrize(
        "password, error",
        [("harbor1", "This password is too short."), ("password123", "This password is too common.")],
    )
    def test_it_refuses_a_weak_password(self, link, client, password, error):
        users = User.objects.count()
        response = accept(client, link, password=password)
        assert response.status_code == 200
        assert error in text(response)
        assert User.objects.count() == users
        assert Invitation.objects.get().get_status() == "pending"


class TestAcceptInvitationWithAnExistingAccount:
    """other_coordinator (ridge@example.org) already has an account, in another task force."""

    @pytest.fixture
    def existing_link(self, send_invitation, coordinator, agency, other_coordinator):
        send_invitation(coordinator, agency, email="ridge@example.org", role=Role.OBSERVER)
        return link_in(mail.outbox[-1])

    def test_the_link_asks_them_to_sign_in(self, existing_link, client):
        response = client.get(existing_link)
        assert response.status_code == 200
        page = text(response)
        assert "ridge@example.org already has a Taskforce account" in page
        assert f"{reverse('login')}?next=" in page

    def test_signed_in_as_that_person_they_join(
        self, existing_link, login, other_coordinator, agency, task_force, other_task_force
    ):
        client = login(other_coordinator)
        assert "Join the task force" in text(client.get(existing_link))

        response = client.post(existing_link)
        assert response.status_code == 302
        assert response.url == reverse("taskforce:home", args=[task_force.slug])
        membership = Membership.objects.active().get(user=other_coordinator, task_force=task_force)
        assert (membership.agency, membership.role) == (agency, Role.OBSERVER)
        assert client.get(response.url).status_code == 200
        # Their other task force is untouched.
        assert (
            Membership.objects.active().filter(user=other_coordinator, task_force=other_task_force).exists()
        )
        assert client.post(existing_link).status_code == 410

    def test_signed_in_as_somebody_else_they_do_not_join(
        self, existing_link, login, member, other_coordinator, task_force
    ):
        client = login(member)
        response = client.post(existing_link)
        assert response.status_code == 200
        assert "You are signed in as member@example.org, not ridge@example.org" in text(response)
        assert not Membership.objects.filter(user=other_coordinator, task_force=task_force).exists()
        assert Invitation.objects.get().get_status() == "pending"

    def test_the_account_keeps_its_password(self, existing_link, client, other_coordinator):
        accept(client, existing_link, password=NEW_PASSWORD)
        other_coordinator.refresh_from_db()
        assert other_coordinator.check_password(PASSWORD)
