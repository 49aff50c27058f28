"""The reminders part of the demo: Notices shows what the demo makes due, in each channel, read
and unread; no email goes anywhere; loading it twice adds nothing."""

from io import StringIO

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse

from members.models import User
from taskforce.reminders.models import Channel, Notice, Preference

from ..conftest import client_for


def load_demo():
    output = StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: an email the demo tried to send would stay pending."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server in the demo")


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    return load_demo()


def person(email):
    return User.objects.get(email=email)


def test_the_coordinator_has_notices_some_read_some_only_in_taskforce(demo):
    coordinator = person("coordinator@example.org")
    theirs = Notice.objects.for_reader(coordinator)
    assert theirs.count() >= 3
    assert theirs.filter(read_at__isnull=True).exists() and theirs.filter(read_at__isnull=False).exists()
    assert theirs.filter(channel=Channel.IN_APP, kind="documents").exists()
    page = client_for(coordinator).get(reverse("reminders:notice-list"))
    unread = theirs.filter(read_at__isnull=True).count()
    assert f"newest first; {unread} unread." in page.text
    assert page.text.count(">New</span>") == unread


def test_the_member_has_action_items_waiting_for_the_weekly_digest(demo):
    member = person("member@example.org")
    assert Preference.objects.get(user=member, kind="action_items").channel == Channel.DIGEST
    assert Notice.objects.filter(recipient=member, status=Notice.Status.DIGEST).exists()


def test_nobody_is_emailed_and_a_second_load_adds_nothing(demo):
    # Had it used the configured backend, the refused emails would be waiting to be sent again.
    assert not Notice.objects.exclude(status__in=[Notice.Status.DELIVERED, Notice.Status.DIGEST]).exists()
    assert f"Reminders: {Notice.objects.count()} due, {Notice.objects.count()} delivered" in demo
    before = Notice.objects.count()
    again = load_demo()
    assert Notice.objects.count() == before
    assert "0 delivered by this run" in again
