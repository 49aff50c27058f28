"""The notices page: a person's own notices, the unread count in the navigation, mark as read."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from taskforce.reminders.models import Channel, Notice, Preference

from ..meetings.factories import MeetingFactory


def notice_for(user, task_force, status=Notice.Status.DELIVERED, **fields):
    meeting = MeetingFactory(task_force=task_force, organiser=user)
    return Notice.objects.create(
        rule="meetings.meeting-soon",
        kind="meetings",
        content_type=ContentType.objects.get_for_model(meeting),
        object_id=meeting.pk,
        recipient=user,
        threshold="7d",
        task_force=task_force,
        status=status,
        subject=fields.pop("subject", f"Coming up: {meeting.title}"),
        link=meeting.get_absolute_url(),
        delivered_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def mine(member, task_force):
    return notice_for(member, task_force, subject="Coming up: Monthly meeting")


class TestNoticeList:
    url = reverse("reminders:notice-list")

    def test_it_lists_my_notices_with_links_to_the_items(self, login, member, mine, lead, task_force):
        notice_for(lead, task_force, subject="Someone else's reminder")
        notice_for(member, task_force, status=Notice.Status.SKIPPED, subject="A skipped reminder")
        response = login(member).get(self.url)
        assert response.status_code == 200
        assert list(response.context["notices"]) == [mine]
        assert f'href="{mine.link}"' in response.text
        assert "Someone else" not in response.text and "skipped" not in response.text

    def test_it_has_an_empty_state(self, login, member):
        assert "No notices yet" in login(member).get(self.url).text

    def test_anonymous_people_are_sent_to_sign_in(self, login):
        response = login(None).get(self.url)
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_the_navigation_shows_the_unread_count(self, login, member, mine, task_force):
        notice_for(member, task_force, read_at=timezone.now())
        response = login(member).get(reverse("home"), follow=True)
        assert 'id="nav-unread-notices">1<' in response.text

    def test_no_count_without_unread_notices(self, login, member):
        response = login(member).get(self.url)
        assert "nav-unread-notices" not in response.text


class TestMarkRead:
    def test_htmx_marks_it_read_and_returns_the_row(self, login, member, mine):
        response = login(member).post(
            reverse("reminders:notice-read", args=[mine.code]), HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert f'id="notice-{mine.code}"' in response.text and "Mark as read" not in response.text
        mine.refresh_from_db()
        assert mine.read_at is not None

    def test_without_htmx_it_redirects_to_the_list(self, login, member, mine):
        response = login(member).post(reverse("reminders:notice-read", args=[mine.code]))
        assert response.status_code == 302 and response["Location"] == reverse("reminders:notice-list")

    def test_it_needs_a_post(self, login, member, mine):
        assert login(member).get(reverse("reminders:notice-read", args=[mine.code])).status_code == 405

    @pytest.mark.parametrize("who", ["lead", "coordinator", "admin"])
    def test_someone_elses_notice_is_not_found(self, login, mine, who, request):
        response = login(request.getfixturevalue(who)).post(
            reverse("reminders:notice-read", args=[mine.code])
        )
        assert response.status_code == 404
        mine.refresh_from_db()
        assert mine.read_at is None

    def test_mark_all_read_touches_only_mine(self, login, member, mine, lead, task_force):
        theirs = notice_for(lead, task_force)
        response = login(member).post(reverse("reminders:notice-read-all"))
        assert response.status_code == 302
        mine.refresh_from_db()
        theirs.refresh_from_db()
        assert mine.read_at is not None and theirs.read_at is None


class TestPreferences:
    url = reverse("reminders:preferences")

    def test_email_is_the_default(self, login, member):
        response = login(member).get(self.url)
        assert response.status_code == 200
        assert response.context["form"]["meetings"].value() == Channel.EMAIL

    def test_it_saves_a_choice_per_kind(self, login, member):
        data = {"meetings": "digest", "action_items": "in_app", "documents": "email", "signatures": "email"}
        response = login(member).post(self.url, data)
        assert response.status_code == 302
        assert dict(Preference.objects.filter(user=member).values_list("kind", "channel")) == data
        login(member).post(self.url, {**data, "meetings": "email"})
        assert Preference.objects.get(user=member, kind="meetings").channel == "email"

    def test_it_refuses_an_unknown_channel(self, login, member):
        data = {"meetings": "pigeon", "action_items": "in_app", "documents": "email", "signatures": "email"}
        response = login(member).post(self.url, data)
        assert response.status_code == 200 and response.context["form"].errors
        assert not Preference.objects.exists()


class TestAdmin:
    @pytest.mark.parametrize("model", ["notice", "digest", "preference"])
    def test_admins_can_list_them(self, login, admin, mine, model):
        assert login(admin).get(reverse(f"admin:reminders_{model}_changelist")).status_code == 200

    def test_admins_can_open_a_notice(self, login, admin, mine):
        assert login(admin).get(reverse("admin:reminders_notice_change", args=[mine.pk])).status_code == 200
