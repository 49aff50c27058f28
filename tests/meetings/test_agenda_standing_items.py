"""Standing items: set once by the coordinators, put on every new agenda."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import StandingItem
from meetings.services.agenda import add_standing_items

from .factories import MeetingFactory, StandingItemFactory


def list_url(task_force):
    return reverse("meetings:standing-item-list", args=[task_force.slug])


class TestStandingItemList:
    def test_it_lists_them_in_order_and_explains_what_they_do(self, login, task_force, coordinator):
        StandingItemFactory(task_force=task_force, title="Rotating training slot", position=2)
        StandingItemFactory(task_force=task_force, title="Round of introductions", position=1)
        response = login(coordinator).get(list_url(task_force))
        page = response.content.decode()
        assert page.index("Round of introductions") < page.index("Rotating training slot")
        assert "appear, in this order, at the top of every new meeting" in page

    def test_it_says_what_to_do_when_there_are_none(self, login, task_force, coordinator):
        assert "Add the first one" in login(coordinator).get(list_url(task_force)).content.decode()

    def test_it_never_shows_another_task_forces_items(self, login, task_force, other_task_force, coordinator):
        StandingItemFactory(task_force=other_task_force, title="Ridge-only item")
        assert "Ridge-only item" not in login(coordinator).get(list_url(task_force)).content.decode()

    def test_its_query_count_does_not_grow_with_items(self, login, task_force, coordinator):
        client = login(coordinator)
        StandingItemFactory.create_batch(3, task_force=task_force)
        client.get(list_url(task_force))
        with CaptureQueriesContext(connection) as few:
            client.get(list_url(task_force))
        StandingItemFactory.create_batch(9, task_force=task_force)
        with CaptureQueriesContext(connection) as many:
            client.get(list_url(task_force))
        assert len(many) == len(few)

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 403),
            ("member", 403),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("co_chair", 200),
            ("admin", 200),
        ],
    )
    def test_only_coordinators_and_co_chairs_manage_them(self, request, login, task_force, who, status):
        item = StandingItemFactory(task_force=task_force)
        client = login(None if who == "anonymous" else request.getfixturevalue(who))
        for url in (
            list_url(task_force),
            reverse("meetings:standing-item-create", args=[task_force.slug]),
            reverse("meetings:standing-item-update", args=[task_force.slug, item.code]),
        ):
            assert client.get(url).status_code == status
        response = client.post(reverse("meetings:standing-item-delete", args=[task_force.slug, item.code]))
        assert response.status_code == (302 if status == 200 else status)
        assert StandingItem.objects.filter(pk=item.pk).exists() == (status != 200)

    def test_the_agenda_page_links_to_them_for_managers_only(self, login, task_force, coordinator, member):
        meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
        agenda = reverse("meetings:agenda", args=[task_force.slug, meeting.code])
        assert list_url(task_force) in login(coordinator).get(agenda).content.decode()
        assert list_url(task_force) not in login(member).get(agenda).content.decode()


class TestChangingStandingItems:
    def test_a_coordinator_adds_one_at_the_end(self, login, task_force, coordinator):
        StandingItemFactory(task_force=task_force, position=4)
        client = login(coordinator)
        url = reverse("meetings:standing-item-create", args=[task_force.slug])
        assert client.get(url).context["form"]["position"].value() == 5
        response = client.post(
            url,
            {"title": "MOU status", "minutes_allotted": 10, "sensitivity": "core", "position": 5},
        )
        assert response.status_code == 302
        item = StandingItem.objects.get(title="MOU status")
        assert (item.task_force, item.sensitivity, item.position) == (task_force, "core", 5)

    def test_named_agencies_only_is_not_offered_for_a_standing_item(self, login, task_force, coordinator):
        url = reverse("meetings:standing-item-create", args=[task_force.slug])
        response = login(coordinator).post(
            url, {"title": "Shelter beds", "minutes_allotted": 10, "sensitivity": "agencies", "position": 0}
        )
        assert response.status_code == 200 and not StandingItem.objects.exists()

    def test_a_coordinator_edits_one_and_existing_agendas_keep_theirs(self, login, task_force, coordinator):
        item = StandingItemFactory(task_force=task_force, title="Trends")
        meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
        add_standing_items(meeting)
        url = reverse("meetings:standing-item-update", args=[task_force.slug, item.code])
        response = login(coordinator).post(
            url,
            {
                "title": "Trends and potential victims",
                "minutes_allotted": 25,
                "sensitivity": "all",
                "position": 0,
            },
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.title, item.minutes_allotted) == ("Trends and potential victims", 25)
        assert meeting.agenda_items.get().title == "Trends"

    def test_removing_one_leaves_agendas_that_carry_it(self, login, task_force, coordinator):
        item = StandingItemFactory(task_force=task_force, title="Introductions")
        meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
        add_standing_items(meeting)
        login(coordinator).post(reverse("meetings:standing-item-delete", args=[task_force.slug, item.code]))
        assert not StandingItem.objects.exists()
        assert meeting.agenda_items.get().title == "Introductions"

    def test_another_task_forces_item_is_not_found(self, login, task_force, other_task_force, coordinator):
        foreign = StandingItemFactory(task_force=other_task_force)
        url = reverse("meetings:standing-item-update", args=[task_force.slug, foreign.code])
        assert login(coordinator).get(url).status_code == 404
        url = reverse("meetings:standing-item-delete", args=[task_force.slug, foreign.code])
        assert login(coordinator).post(url).status_code == 404
        assert StandingItem.objects.filter(pk=foreign.pk).exists()


class TestAddStandingItems:
    def test_a_new_agenda_starts_with_the_standing_items_in_order(self, task_force, coordinator):
        StandingItemFactory(task_force=task_force, title="Trends", position=2, sensitivity="law_enforcement")
        StandingItemFactory(task_force=task_force, title="Introductions", position=1, minutes_allotted=5)
        meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
        add_standing_items(meeting)
        items = list(meeting.agenda_items.order_by("position"))
        assert [(i.title, i.position, i.sensitivity) for i in items] == [
            ("Introductions", 0, "all"),
            ("Trends", 1, "law_enforcement"),
        ]
        assert items[0].minutes_allotted == 5 and items[0].standing_item.title == "Introductions"

    def test_items_added_later_go_after_them(self, login, task_force, coordinator):
        StandingItemFactory(task_force=task_force, title="Introductions")
        meeting = MeetingFactory(task_force=task_force, organiser=coordinator)
        add_standing_items(meeting)
        login(coordinator).post(
            reverse("meetings:agenda-item-create", args=[task_force.slug, meeting.code]),
            {"title": "Any other business", "minutes_allotted": 5, "sensitivity": "all", "version": 1},
        )
        assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
            "Introductions",
            "Any other business",
        ]
