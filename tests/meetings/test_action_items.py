"""Action items: the lists (all, overdue, mine, a meeting's), adding, editing and reading one."""

from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem
from taskforce.forms import STALE_EDIT_MESSAGE
from tests.factories import MembershipFactory, member_of

from .factories import ActionItemFactory, CommitteeFactory, InviteeFactory, MeetingFactory


def text(response):
    return unescape(response.content.decode())


def url(name, task_force, *args):
    return reverse(f"meetings:{name}", args=[task_force.slug, *args])


def item_url(name, item):
    return reverse(f"meetings:{name}", args=[item.task_force.slug, item.code])


@pytest.fixture
def item(member, agency):
    return ActionItemFactory(
        assignee=member, agency=agency, title="Draft the labour referral flowchart", due_on=date(2031, 5, 1)
    )


@pytest.fixture
def meeting(task_force, coordinator):
    starts_at = timezone.now() - timedelta(days=2)
    return MeetingFactory(
        task_force=task_force,
        organiser=coordinator,
        title="April task force meeting",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )


def new_item_data(assignee, agency=None, **fields):
    data = {
        "title": "Map the farms with H-2A housing",
        "description": "With the labour department.",
        "assignee": assignee.code,
        "agency": agency.code if agency else "",
        "due_on": "2031-06-30",
        "meeting": "",
        "version": 1,
    }
    data.update(fields)
    return data


VIEWERS = [
    ("observer", 403),
    ("member", 200),
    ("lead_other", 200),
    ("other_coordinator", 404),
    ("coordinator", 200),
    ("admin", 200),
]
MANAGERS = [
    ("observer", 403),
    ("member", 403),
    ("lead_other", 403),
    ("other_coordinator", 404),
    ("coordinator", 200),
    ("co_chair", 200),
    ("admin", 200),
]


class TestActionItemList:
    def test_it_lists_the_task_forces_items_open_first(self, login, coordinator, member, agency, item):
        done = ActionItemFactory(
            assignee=member, agency=agency, title="Book the room", due_on=date(2030, 1, 1), status="done"
        )
        page = text(login(coordinator).get(url("action-item-list", item.task_force)))
        assert page.index(item.title) < page.index(done.title)
        assert "Mo Member" in page and "Harbor County Sheriff's Office" in page
        assert "1 May 2031" in page

    def test_it_filters_by_status_agency_assignee_and_text(
        self, login, coordinator, member, lead_other, agency, other_agency, item
    ):
        other = ActionItemFactory(assignee=lead_other, agency=other_agency, title="Train shelter staff")
        client = login(coordinator)
        tf = item.task_force

        assert "Train shelter staff" not in text(client.get(url("action-item-list", tf) + "?q=flowchart"))
        page = text(client.get(url("action-item-list", tf) + f"?agency={other_agency.code}"))
        assert "Train shelter staff" in page and item.title not in page
        page = text(client.get(url("action-item-list", tf) + f"?assignee={member.code}"))
        assert item.title in page and "Train shelter staff" not in page
        other.status = "done"
        other.save(update_fields=["status"])
        page = text(client.get(url("action-item-list", tf) + "?status=open_any"))
        assert item.title in page and "Train shelter staff" not in page
        page = text(client.get(url("action-item-list", tf) + "?status=done"))
        assert "Train shelter staff" in page and item.title not in page

    def test_a_filter_that_matches_nothing_says_so(self, login, member, item):
        page = text(login(member).get(url("action-item-list", item.task_force) + "?q=nothing-like-this"))
        assert "No action item matches these filters." in page

    def test_an_empty_list_invites_the_coordinator_to_add_one(self, login, coordinator, task_force):
        page = text(login(coordinator).get(url("action-item-list", task_force)))
        assert "The task force has no action items yet." in page
        assert "Add the first one" in page

    def test_it_links_to_the_overdue_view_and_my_items(self, login, member, task_force):
        page = text(login(member).get(url("action-item-list", task_force)))
        assert url("action-item-overdue", task_force) in page
        assert url("action-item-mine", task_force) in page
        assert "Add an action item" not in page

    def test_items_of_a_confidential_meeting_are_hidden_from_people_not_invited(
        self, login, task_force, coordinator, member, lead_other, agency
    ):
        starts_at = timezone.now() - timedelta(days=2)
        secret = MeetingFactory(
            task_force=task_force,
            organiser=coordinator,
            confidential=True,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
        )
        ActionItemFactory(assignee=coordinator, agency=agency, meeting=secret, title="Brief the prosecutor")

        assert "Brief the prosecutor" not in text(login(lead_other).get(url("action-item-list", task_force)))
        assert "Brief the prosecutor" in text(login(coordinator).get(url("action-item-list", task_force)))
        InviteeFactory(meeting=secret, user=member, agency=agency)
        assert "Brief the prosecutor" in text(login(member).get(url("action-item-list", task_force)))

    @pytest.mark.parametrize(("who", "status"), VIEWERS)
    def test_members_leads_and_coordinators_may_read_it_observers_may_not(
        self, request, login, task_force, who, status
    ):
        for name in ("action-item-list", "action-item-overdue", "action-item-mine"):
            assert login(request.getfixturevalue(who)).get(url(name, task_force)).status_code == status

    def test_anonymous_people_are_sent_to_sign_in(self, client, task_force):
        for name in ("action-item-list", "action-item-overdue", "action-item-mine"):
            response = client.get(url(name, task_force))
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")

    @pytest.mark.parametrize("who", ["coordinator", "member"])
    def test_its_query_count_does_not_grow_with_the_items(
        self, request, login, task_force, agency, other_agency, coordinator, lead_other, meeting, who
    ):
        client = login(request.getfixturevalue(who))
        people = [(member_of(agency), agency), (lead_other, other_agency), (coordinator, agency)]

        def add(count):
            for index in range(count):
                person, their_agency = people[index % len(people)]
                ActionItemFactory(
                    assignee=person, agency=their_agency, meeting=meeting if index % 2 else None
                )

        def queries(name):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url(name, task_force)).status_code == 200
            return len(captured)

        add(3)
        queries("action-item-list")  # the first task force page remembers it in the session: not counted
        few = {
            name: queries(name) for name in ("action-item-list", "action-item-overdue", "action-item-mine")
        }
        add(12)
        assert {name: queries(name) for name in few} == few


class TestOverdue:
    def test_it_lists_open_items_past_due_in_the_task_forces_date_oldest_first(self, login, member, agency):
        ActionItemFactory(assignee=member, agency=agency, title="Due yesterday", due_on=date(2030, 3, 9))
        ActionItemFactory(assignee=member, agency=agency, title="Due long ago", due_on=date(2030, 1, 2))
        ActionItemFactory(assignee=member, agency=agency, title="Due today", due_on=date(2030, 3, 10))
        ActionItemFactory(
            assignee=member, agency=agency, title="Done late", due_on=date(2030, 1, 1), status="done"
        )
        # 02:00 UTC on 10 March is still 9 March in New York: nothing due on the 9th is overdue yet.
        with time_machine.travel(datetime(2030, 3, 10, 2, 0, tzinfo=ZoneInfo("UTC")), tick=False):
            page = text(login(member).get(url("action-item-overdue", agency.task_force)))
        assert "Due long ago" in page
        assert "Due yesterday" not in page and "Due today" not in page and "Done late" not in page

        with time_machine.travel(datetime(2030, 3, 10, 15, 0, tzinfo=ZoneInfo("UTC")), tick=False):
            page = text(login(member).get(url("action-item-overdue", agency.task_force)))
        assert page.index("Due long ago") < page.index("Due yesterday")
        assert "Due today" not in page and "Done late" not in page
        assert "Overdue" in page

    def test_nothing_overdue_says_so(self, login, member, item):
        page = text(login(member).get(url("action-item-overdue", item.task_force)))
        assert "Nothing is overdue" in page


class TestMine:
    def test_it_shows_my_open_items_by_due_date_then_those_recently_closed(
        self, login, member, lead_other, agency, other_agency
    ):
        ActionItemFactory(assignee=member, agency=agency, title="Later one", due_on=date(2031, 9, 1))
        ActionItemFactory(assignee=member, agency=agency, title="Sooner one", due_on=date(2031, 2, 1))
        ActionItemFactory(assignee=member, agency=agency, title="Finished one", status="done")
        ActionItemFactory(assignee=lead_other, agency=other_agency, title="Someone else's")

        page = text(login(member).get(url("action-item-mine", agency.task_force)))

        assert page.index("Sooner one") < page.index("Later one") < page.index("Recently done or dropped")
        assert page.index("Recently done or dropped") < page.index("Finished one")
        assert "Someone else's" not in page
        assert "2 open items, soonest due first" in page

    def test_an_empty_list_says_so(self, login, member, task_force):
        page = text(login(member).get(url("action-item-mine", task_force)))
        assert "You have no open action items." in page

    def test_the_main_navigation_links_to_it(self, login, member, task_force):
        page = text(login(member).get(url("action-item-list", task_force)))
        assert f'href="{url("action-item-mine", task_force)}">Action items</a>' in page


class TestMeetingActionItems:
    def test_it_lists_the_meetings_items_and_offers_the_organiser_to_add_one(
        self, login, coordinator, member, agency, meeting
    ):
        ActionItemFactory(assignee=member, agency=agency, meeting=meeting, title="Circulate the protocol")
        ActionItemFactory(assignee=member, agency=agency, title="Not from this meeting")

        page = text(login(coordinator).get(url("meeting-action-items", meeting.task_force, meeting.code)))

        assert "Circulate the protocol" in page and "Not from this meeting" not in page
        assert f"{url('action-item-create', meeting.task_force)}?meeting={meeting.code}" in page

    def test_an_empty_tab_says_who_adds_items(self, login, member, meeting):
        page = text(login(member).get(url("meeting-action-items", meeting.task_force, meeting.code)))
        assert "No action item came from this meeting. The organiser adds them." in page
        assert "Add an action item" not in page

    @pytest.mark.parametrize(("who", "status"), VIEWERS)
    def test_members_may_read_it_observers_may_not(self, request, login, meeting, who, status):
        response = login(request.getfixturevalue(who)).get(
            url("meeting-action-items", meeting.task_force, meeting.code)
        )
        assert response.status_code == status

    def test_a_confidential_meeting_the_reader_was_not_invited_to_is_not_found(
        self, login, lead_other, meeting
    ):
        meeting.confidential = True
        meeting.save(update_fields=["confidential"])
        response = login(lead_other).get(url("meeting-action-items", meeting.task_force, meeting.code))
        assert response.status_code == 404


class TestCreate:
    def test_a_coordinator_adds_an_item_the_agency_defaults_to_the_assignees(
        self, login, coordinator, lead_other, other_agency, task_force
    ):
        response = login(coordinator).post(
            url("action-item-create", task_force), new_item_data(lead_other), follow=True
        )

        item = ActionItem.objects.get()
        assert response.redirect_chain == [(item_url("action-item-detail", item), 302)]
        assert "“Map the farms with H-2A housing” is assigned to Olga Otherlead, due 30 Jun 2031." in text(
            response
        )
        assert item.agency == other_agency and item.task_force == task_force
        assert item.created_by == coordinator and item.status == ActionItem.Status.OPEN

    def test_an_item_from_a_meeting_goes_back_to_the_meetings_tab(
        self, login, coordinator, member, agency, meeting
    ):
        response = login(coordinator).post(
            url("action-item-create", meeting.task_force) + f"?meeting={meeting.code}",
            new_item_data(member, meeting=meeting.code),
        )
        assert response.status_code == 302
        assert response["Location"] == url("meeting-action-items", meeting.task_force, meeting.code)
        assert ActionItem.objects.get().meeting == meeting

    def test_the_meeting_is_preselected_from_the_address(self, login, coordinator, meeting):
        page = text(
            login(coordinator).get(url("action-item-create", meeting.task_force) + f"?meeting={meeting.code}")
        )
        assert f'<option value="{meeting.code}" selected>' in page

    def test_someone_outside_the_task_force_is_refused_as_assignee(
        self, login, coordinator, other_coordinator, task_force
    ):
        response = login(coordinator).post(
            url("action-item-create", task_force), new_item_data(other_coordinator)
        )
        assert response.status_code == 200
        assert "Choose a person who is an active member of this task force." in text(response)
        assert not ActionItem.objects.exists()

    def test_an_observer_or_a_former_member_is_refused_as_assignee(
        self, login, coordinator, observer, task_force, agency
    ):
        former = MembershipFactory(agency=agency, ended_on=timezone.localdate()).user
        client = login(coordinator)
        for person in (observer, former):
            response = client.post(url("action-item-create", task_force), new_item_data(person))
            assert "Choose a person who is an active member of this task force." in text(response)
        assert not ActionItem.objects.exists()

    def test_the_agency_must_be_one_the_assignee_serves(
        self, login, coordinator, member, other_agency, task_force
    ):
        response = login(coordinator).post(
            url("action-item-create", task_force), new_item_data(member, other_agency)
        )
        assert "Mo Member does not serve Safe Harbor Shelter; choose Harbor County Sheriff's Office." in text(
            response
        )
        assert not ActionItem.objects.exists()

    def test_a_person_of_two_agencies_may_hold_an_item_for_either(
        self, login, coordinator, member, other_agency, task_force
    ):
        MembershipFactory(user=member, agency=other_agency)
        login(coordinator).post(url("action-item-create", task_force), new_item_data(member, other_agency))
        assert ActionItem.objects.get().agency == other_agency

    def test_an_agency_of_another_task_force_is_refused(
        self, login, coordinator, member, foreign_agency, task_force
    ):
        response = login(coordinator).post(
            url("action-item-create", task_force), new_item_data(member, foreign_agency)
        )
        assert "Select a valid choice" in text(response)
        assert not ActionItem.objects.exists()

    def test_a_missing_title_or_due_date_is_refused(self, login, coordinator, member, task_force):
        response = login(coordinator).post(
            url("action-item-create", task_force), new_item_data(member, title="", due_on="")
        )
        assert response.status_code == 200
        assert text(response).count("This field is required.") == 2

    @pytest.mark.parametrize(("who", "status"), MANAGERS)
    def test_only_coordinators_and_co_chairs_add_items_on_their_own(
        self, request, login, task_force, who, status
    ):
        assert (
            login(request.getfixturevalue(who)).get(url("action-item-create", task_force)).status_code
            == status
        )

    def test_anonymous_people_are_sent_to_sign_in(self, client, task_force):
        response = client.get(url("action-item-create", task_force))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_a_committee_chair_adds_items_to_their_committees_meeting(
        self, login, task_force, member, lead_other, agency, other_agency
    ):
        committee = CommitteeFactory(task_force=task_force, name="Labour trafficking", chair=member)
        starts_at = timezone.now() - timedelta(days=1)
        meeting = MeetingFactory(
            task_force=task_force,
            organiser=member,
            kind="committee",
            committee=committee,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
        )
        client = login(member)
        create = url("action-item-create", task_force) + f"?meeting={meeting.code}"

        assert client.get(create).status_code == 200
        assert (
            client.post(create, new_item_data(lead_other, meeting="")).status_code == 200
        )  # meeting required
        response = client.post(create, new_item_data(lead_other, meeting=meeting.code))

        assert response.status_code == 302
        item = ActionItem.objects.get()
        assert item.meeting == meeting and item.agency == other_agency
        assert client.get(url("action-item-create", task_force)).status_code == 403
        assert client.get(item_url("action-item-update", item)).status_code == 200

    def test_a_member_cannot_add_items_to_someone_elses_meeting(self, login, member, meeting):
        response = login(member).get(
            url("action-item-create", meeting.task_force) + f"?meeting={meeting.code}"
        )
        assert response.status_code == 403

    def test_a_malformed_or_foreign_meeting_in_the_address_is_not_found(
        self, login, coordinator, task_force, other_task_force, other_coordinator
    ):
        foreign = MeetingFactory(task_force=other_task_force, organiser=other_coordinator)
        client = login(coordinator)
        assert client.get(url("action-item-create", task_force) + "?meeting=not-a-code").status_code == 404
        assert (
            client.get(url("action-item-create", task_force) + f"?meeting={foreign.code}").status_code == 404
        )


class TestDetail:
    def test_it_shows_the_item_and_its_history(self, login, coordinator, member, item):
        login(coordinator).post(item_url("action-item-status", item), {"status": "in_progress"})

        page = text(login(member).get(item_url("action-item-detail", item)))

        assert "Draft the labour referral flowchart" in page
        assert "Thursday 1 May 2031" in page
        assert "<del>Open</del> → <ins>In progress</ins>" in page
        assert "by Cora Coordinator" in page

    @pytest.mark.parametrize(("who", "status"), VIEWERS)
    def test_members_may_read_it_observers_may_not(self, request, login, item, who, status):
        assert (
            login(request.getfixturevalue(who)).get(item_url("action-item-detail", item)).status_code
            == status
        )

    def test_an_item_of_another_task_force_is_not_found(
        self, login, coordinator, other_coordinator, foreign_agency
    ):
        foreign = ActionItemFactory(assignee=other_coordinator, agency=foreign_agency)
        response = login(coordinator).get(
            reverse("meetings:action-item-detail", args=["harbor", foreign.code])
        )
        assert response.status_code == 404


class TestUpdate:
    def test_a_coordinator_reassigns_an_item(self, login, coordinator, lead_other, other_agency, item):
        client = login(coordinator)
        data = new_item_data(lead_other, title="Draft the flowchart with the shelter", version=item.version)

        response = client.post(item_url("action-item-update", item), data, follow=True)

        assert response.redirect_chain == [(item_url("action-item-detail", item), 302)]
        item.refresh_from_db()
        assert item.assignee == lead_other and item.agency == other_agency
        page = text(response)
        assert "The action item is saved." in page
        assert "<del>Mo Member</del> → <ins>Olga Otherlead</ins>" in page
        assert "<del>Harbor County Sheriff's Office</del> → <ins>Safe Harbor Shelter</ins>" in page

    def test_a_stale_edit_is_refused(self, login, coordinator, co_chair, member, item):
        stale_version = item.version
        login(co_chair).post(
            item_url("action-item-update", item), new_item_data(member, version=stale_version)
        )

        response = login(coordinator).post(
            item_url("action-item-update", item),
            new_item_data(member, title="Overwrite", version=stale_version),
        )

        assert response.status_code == 200
        assert STALE_EDIT_MESSAGE in text(response)
        item.refresh_from_db()
        assert item.title == "Map the farms with H-2A housing"

    def test_the_assignee_may_not_edit_the_item(self, login, member, item):
        assert login(member).get(item_url("action-item-update", item)).status_code == 403

    @pytest.mark.parametrize(("who", "status"), MANAGERS)
    def test_only_coordinators_edit_items(self, request, login, item, who, status):
        assert (
            login(request.getfixturevalue(who)).get(item_url("action-item-update", item)).status_code
            == status
        )

    def test_anonymous_people_are_sent_to_sign_in(self, client, item):
        response = client.get(item_url("action-item-update", item))
        assert response.status_code == 302


def test_a_lead_is_offered_to_update_only_their_agencys_items(
    login, lead, lead_other, member, agency, other_agency
):
    ActionItemFactory(assignee=member, agency=agency, title="Sheriff's item")
    ActionItemFactory(assignee=lead_other, agency=other_agency, title="Shelter's item")
    page = text(login(lead).get(url("action-item-list", agency.task_force)))
    assert 'Done<span class="visually-hidden">: Sheriff\'s item</span>' in page
    assert "Shelter's item" in page
    assert 'Done<span class="visually-hidden">: Shelter\'s item</span>' not in page
