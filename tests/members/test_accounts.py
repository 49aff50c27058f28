"""Accounts: signing in and out, lockout, idle sessions, passwords, the profile, ended access."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from members import services
from members.models import Membership
from taskforce.forms import STALE_EDIT_MESSAGE
from taskforce.models import SignInEvent
from tests.factories import PASSWORD

NEW_PASSWORD = "lighthouse-harbor-ferry-42"
LOGIN = reverse("login")


def text(response):
    return unescape(response.content.decode())


def visible_text(response):
    """The page as a person reads it: no tags, single spaces."""
    return " ".join(strip_tags(text(response)).split())


def sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def home_of(task_force):
    return reverse("taskforce:home", args=[task_force.slug])


def is_sent_to_sign_in(response, path=None):
    if response.status_code != 302 or not response.url.startswith(LOGIN):
        return False
    return path is None or response.url == f"{LOGIN}?next={path}"


class TestSignIn:
    def test_it_signs_in_with_email_in_any_case(self, client, coordinator, task_force):
        response = sign_in(client, "Coordinator@Example.org")
        assert response.status_code == 302
        assert response.url == reverse("home")
        assert client.get(home_of(task_force)).status_code == 200

    def test_it_records_the_sign_in(self, client, coordinator):
        sign_in(client, "Coordinator@Example.org", PASSWORD)
        event = SignInEvent.objects.filter(kind=SignInEvent.Kind.SIGNED_IN).get()
        assert event.user == coordinator
        assert event.email == "coordinator@example.org"

    def test_a_wrong_password_is_refused_and_recorded(self, client, coordinator, task_force):
        response = sign_in(client, "coordinator@example.org", "not-the-password")
        assert response.status_code == 200
        assert "Please enter a correct email address and password" in text(response)
        assert is_sent_to_sign_in(client.get(home_of(task_force)))
        event = SignInEvent.objects.get(kind=SignInEvent.Kind.FAILED)
        assert event.email == "coordinator@example.org"
        assert not SignInEvent.objects.filter(kind=SignInEvent.Kind.SIGNED_IN).exists()

    def test_five_failures_lock_the_account_for_ten_minutes(self, client, coordinator, task_force):
        start = timezone.now()
        with time_machine.travel(start, tick=False) as traveller:
            for _ in range(settings.AXES_FAILURE_LIMIT):
                sign_in(client, "coordinator@example.org", "not-the-password")

            response = sign_in(client, "coordinator@example.org", PASSWORD)
            assert "Sign-in is locked for 10 minutes" in text(response)
            assert is_sent_to_sign_in(client.get(home_of(task_force)))

            traveller.shift(timedelta(minutes=11))
            response = sign_in(client, "coordinator@example.org", PASSWORD)
            assert response.status_code == 302
            assert client.get(home_of(task_force)).status_code == 200

    def test_changing_the_case_of_the_email_does_not_dodge_the_lockout(self, client, coordinator, task_force):
        for spelling in [
            "coordinator@example.org",
            "Coordinator@example.org",
            "COORDINATOR@example.org",
            "coordinator@EXAMPLE.org",
            "Coordinator@Example.org",
        ]:
            sign_in(client, spelling, "not-the-password")
        response = sign_in(client, "coordinator@example.org", PASSWORD)
        assert "Sign-in is locked for 10 minutes" in text(response)

    def test_the_lockout_is_per_account(self, client, coordinator, member, task_force):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "coordinator@example.org", "not-the-password")
        response = sign_in(client, "member@example.org", PASSWORD)
        assert response.status_code == 302


class TestSignOut:
    def test_it_signs_out_on_post_and_records_it(self, client, coordinator, task_force):
        sign_in(client, "coordinator@example.org")
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert response.url == LOGIN
        assert is_sent_to_sign_in(client.get(home_of(task_force)))
        event = SignInEvent.objects.get(kind=SignInEvent.Kind.SIGNED_OUT)
        assert event.user == coordinator

    def test_a_get_does_not_sign_out(self, client, coordinator, task_force):
        sign_in(client, "coordinator@example.org")
        assert client.get(reverse("logout")).status_code == 405
        assert client.get(home_of(task_force)).status_code == 200
        assert not SignInEvent.objects.filter(kind=SignInEvent.Kind.SIGNED_OUT).exists()


class TestAnonymousVisitors:
    def test_a_task_force_page_sends_them_to_sign_in_with_next(self, client, task_force):
        path = home_of(task_force)
        assert is_sent_to_sign_in(client.get(path), path)

    def test_the_people_page_sends_them_to_sign_in_with_next(self, client, task_force):
        path = reverse("members:person-list", args=[task_force.slug])
        assert is_sent_to_sign_in(client.get(path), path)

    def test_the_sign_in_page_is_open(self, client):
        assert client.get(LOGIN).status_code == 200


class TestIdleSessions:
    def test_the_session_lasts_thirty_minutes_and_each_request_renews_it(self, login, member, task_force):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        client = login(member)
        response = client.get(home_of(task_force))
        assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
        assert client.session.get_expiry_age() == 30 * 60

    def test_activity_keeps_the_session_alive(self, login, member, task_force):
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            client = login(member)
            for _ in range(4):  # an hour and a quarter of use, never 30 minutes idle
                traveller.shift(timedelta(minutes=19))
                assert client.get(home_of(task_force)).status_code == 200

    def test_the_session_is_written_once_a_minute_not_on_every_page(self, login, member, task_force):
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            client = login(member)
            client.get(home_of(task_force))  # the first page of a task force remembers it: a write
            writes = []
            for seconds in (20, 30, 15):
                traveller.shift(timedelta(seconds=seconds))
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(home_of(task_force)).status_code == 200
                writes.append(sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries))
            assert writes == [0, 0, 1]  # a minute after signing in, once

    def test_thirty_one_idle_minutes_end_the_session(self, login, member, task_force):
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            client = login(member)
            assert client.get(home_of(task_force)).status_code == 200
            traveller.shift(timedelta(minutes=31))
            assert is_sent_to_sign_in(client.get(home_of(task_force)), home_of(task_force))


class TestPasswordChange:
    def test_it_changes_the_password(self, client, member, task_force):
        sign_in(client, "member@example.org")
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        assert response.url == reverse("password_change_done")
        assert client.get(home_of(task_force)).status_code == 200  # still signed in here

        client.post(reverse("logout"))
        assert is_sent_to_sign_in(client.get(home_of(task_force)))
        assert sign_in(client, "member@example.org", PASSWORD).status_code == 200
        assert sign_in(client, "member@example.org", NEW_PASSWORD).status_code == 302

    def test_it_requires_the_old_password(self, client, member):
        sign_in(client, "member@example.org")
        response = client.post(
            reverse("password_change"),
            {
                "old_password": "not-the-password",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response.status_code == 200
        assert "Your old password was entered incorrectly" in text(response)
        member.refresh_from_db()
        assert member.check_password(PASSWORD)

    def test_it_needs_a_signed_in_person(self, client):
        assert is_sent_to_sign_in(client.get(reverse("password_change")))


class TestPasswordReset:
    def test_the_emailed_link_sets_a_new_password(self, client, member, task_force):
        response = client.post(reverse("password_reset"), {"email": "Member@Example.org"})
        assert response.status_code == 302
        assert response.url == reverse("password_reset_done")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["member@example.org"]
        link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/\S+/)", message.body).group(1)

        form_page = client.get(link, follow=True)
        assert "Choose a new password" in text(form_page)
        response = client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        assert response.url == reverse("password_reset_complete")

        assert sign_in(client, "member@example.org", PASSWORD).status_code == 200
        assert sign_in(client, "member@example.org", NEW_PASSWORD).status_code == 302
        assert client.get(home_of(task_force)).status_code == 200

    def test_the_link_works_once(self, client, member):
        client.post(reverse("password_reset"), {"email": "member@example.org"})
        link = re.search(r"(/accounts/password/reset/\S+/\S+/)", mail.outbox[0].body).group(1)
        form_page = client.get(link, follow=True)
        client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert "This link no longer works" in text(client.get(link, follow=True))

    def test_an_unknown_email_gets_the_same_page_and_no_email(self, client, member):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
        assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
        assert "Check your email" in text(response)
        assert mail.outbox == []


class TestProfile:
    def test_it_shows_the_persons_memberships(self, login, member, task_force):
        page = text(login(member).get(reverse("profile")))
        assert "member@example.org" in page
        assert task_force.name in page
        assert "Member for Harbor County Sheriff's Office" in page

    def test_it_leaves_out_ended_memberships(self, login, member, agency, other_agency, task_force):
        Membership.objects.create(
            user=member,
            task_force=task_force,
            agency=other_agency,
            started_on=date(2024, 1, 1),
            ended_on=date(2024, 6, 1),
        )
        page = text(login(member).get(reverse("profile")))
        assert "Safe Harbor Shelter" not in page

    def test_editing_saves_and_is_recorded_in_the_history(self, login, member, task_force):
        client = login(member)
        response = client.post(
            reverse("profile"),
            {"full_name": "Morgan Member", "job_title": "Labour Inspector", "version": 1},
            follow=True,
        )
        assert response.redirect_chain == [(reverse("profile"), 302)]
        assert "Your profile is saved." in text(response)
        member.refresh_from_db()
        assert (member.full_name, member.job_title) == ("Morgan Member", "Labour Inspector")

        history = visible_text(
            client.get(reverse("members:person-history", args=[task_force.slug, member.code]))
        )
        assert "user changed by Morgan Member" in history
        assert "full name: Mo Member → Morgan Member" in history
        assert "job title: Investigator → Labour Inspector" in history

    def test_a_stale_edit_is_refused_and_overwrites_nothing(self, login, member, coordinator, task_force):
        client = login(member)
        version = client.get(reverse("profile")).context["form"]["version"].value()
        # The coordinator saves a change first, through the person's edit page.
        saved = login(coordinator).post(
            reverse("members:person-update", args=[task_force.slug, member.code]),
            {"full_name": "Mo Member", "job_title": "Detective", "version": version},
        )
        assert saved.status_code == 302

        response = client.post(
            reverse("profile"),
            {"full_name": "Mo Member", "job_title": "Labour Inspector", "version": version},
        )
        assert response.status_code == 200
        assert STALE_EDIT_MESSAGE in text(response)
        assert "Someone else saved a change" in text(response)
        member.refresh_from_db()
        assert member.job_title == "Detective"

    def test_it_needs_a_signed_in_person(self, client):
        assert is_sent_to_sign_in(client.get(reverse("profile")))


class TestEndedAccess:
    def test_deactivating_a_user_ends_their_sessions(self, login, member, task_force):
        client = login(member)
        assert client.get(home_of(task_force)).status_code == 200

        member.is_active = False
        member.save()
        assert is_sent_to_sign_in(client.get(home_of(task_force)))

        # Reactivating does not bring the old session back.
        member.is_active = True
        member.save()
        assert is_sent_to_sign_in(client.get(reverse("profile")))

    def test_a_deactivated_user_cannot_sign_in(self, client, member):
        member.is_active = False
        member.save()
        assert sign_in(client, "member@example.org").status_code == 200
        assert is_sent_to_sign_in(client.get(reverse("profile")))

    def test_ending_a_membership_ends_the_persons_sessions(
        self, login, member, coordinator, agency, task_force
    ):
        client = login(member)
        elsewhere = login(member)  # a second browser
        assert client.get(reverse("profile")).status_code == 200

        services.end_membership(
            by=coordinator,
            membership=member.memberships.get(),
            ended_on=timezone.localdate() - timedelta(days=1),
            reason="Left the agency",
        )
        # The profile needs no membership: being sent to sign in means the session ended.
        assert is_sent_to_sign_in(client.get(reverse("profile")))
        assert is_sent_to_sign_in(elsewhere.get(reverse("profile")))

    def test_ending_a_membership_leaves_other_peoples_sessions(
        self, login, member, observer, coordinator, task_force
    ):
        client = login(observer)
        services.end_membership(
            by=coordinator,
            membership=member.memberships.get(),
            ended_on=timezone.localdate() - timedelta(days=1),
            reason="Left the agency",
        )
        assert client.get(home_of(task_force)).status_code == 200


@pytest.mark.parametrize("path_name", ["password_reset", "login"])
def test_sign_in_and_reset_pages_are_open_to_anonymous_visitors(client, db, path_name):
    assert client.get(reverse(path_name)).status_code == 200
