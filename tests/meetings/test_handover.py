"""When a membership ends, its open action items are handed over: nothing open stays with a person
who has left, and the item's history says why it moved."""

from html import unescape

import pytest
from django.urls import reverse

from meetings.models import ActionItem
from taskforce.forms import STALE_EDIT_MESSAGE
from tests.factories import MembershipFactory

from .factories import ActionItemFactory


def text(response):
    return unescape(response.content.decode())


def end_url(membership):
    return reverse("members:membership-end", args=[membership.task_force.slug, membership.code])


def end(client, membership, handover_to=None):
    data = {"ended_on": membership.task_force.today().isoformat(), "reason": "Moved to another unit."}
    if handover_to is not None:
        data["handover_to"] = handover_to.code
    return client.post(end_url(membership), data)


@pytest.fixture
def items(member, agency):
    """Two open items and a done one, all Mo Member's."""
    return {
        "open": ActionItemFactory(assignee=member, agency=agency, title="Update the hotel outreach list"),
        "in_progress": ActionItemFactory(
            assignee=member, agency=agency, title="Train the night shift", status="in_progress"
        ),
        "done": ActionItemFactory(assignee=member, agency=agency, title="Book the room", status="done"),
    }


def test_open_items_go_to_the_person_chosen_on_the_end_membership_form(
    login, coordinator, member, lead_other, other_agency, items
):
    response = end(login(coordinator), member.memberships.get(), handover_to=lead_other)

    assert response.status_code == 302
    for key in ("open", "in_progress"):
        items[key].refresh_from_db()
        assert items[key].assignee == lead_other
        # The chosen person does not serve the sheriff's office: the item moves to their agency.
        assert items[key].agency == other_agency
    items["done"].refresh_from_db()
    assert items["done"].assignee == member  # the record of who did it stays
    assert not ActionItem.objects.open().filter(assignee=member).exists()


def test_without_a_choice_the_agencys_lead_takes_them_over_for_the_same_agency(
    login, coordinator, member, lead, agency, items
):
    end(login(coordinator), member.memberships.get())

    for key in ("open", "in_progress"):
        items[key].refresh_from_db()
        assert items[key].assignee == lead and items[key].agency == agency
        assert items[key].status != "done"  # the work goes on where it was
    assert not ActionItem.objects.open().filter(assignee=member).exists()


def test_the_handover_is_in_the_items_history(login, coordinator, member, lead, items):
    end(login(coordinator), member.memberships.get())

    latest = items["open"].history.latest()
    assert (
        latest.history_change_reason
        == "Handed over from Mo Member when they left Harbor County Sheriff's Office"
    )
    assert latest.history_user == coordinator
    page = text(login(lead).get(reverse("meetings:action-item-detail", args=["harbor", items["open"].code])))
    assert "<del>Mo Member</del> → <ins>Lee Lead</ins>" in page
    assert "Handed over from Mo Member" in page


def test_a_person_who_stays_for_another_agency_keeps_that_agencys_items(
    login, coordinator, member, lead, lead_other, agency, other_agency, items
):
    MembershipFactory(user=member, agency=other_agency)
    shelter_item = ActionItemFactory(assignee=member, agency=other_agency, title="Shelter intake review")

    end(login(coordinator), member.memberships.get(agency=agency))

    shelter_item.refresh_from_db()
    assert shelter_item.assignee == member
    items["open"].refresh_from_db()
    assert items["open"].assignee == lead


def test_an_agency_lead_ending_a_member_hands_over_to_themselves_by_default(login, lead, member, items):
    response = end(login(lead), member.memberships.get())

    assert response.status_code == 302
    items["open"].refresh_from_db()
    assert items["open"].assignee == lead


def test_an_edit_opened_before_the_handover_cannot_give_the_item_back(
    login, coordinator, member, lead, items
):
    item = items["open"]
    version_seen = item.version
    client = login(coordinator)
    end(client, member.memberships.get())

    response = client.post(
        reverse("meetings:action-item-update", args=["harbor", item.code]),
        {
            "title": item.title,
            "assignee": lead.code,
            "due_on": item.due_on.isoformat(),
            "version": version_seen,
        },
    )

    assert STALE_EDIT_MESSAGE in text(response)


def test_the_successor_finds_the_items_among_their_own(login, coordinator, member, lead, items):
    end(login(coordinator), member.memberships.get())

    page = text(login(lead).get(reverse("meetings:action-item-mine", args=["harbor"])))

    assert "Update the hotel outreach list" in page and "Train the night shift" in page
    assert "Book the room" not in page
