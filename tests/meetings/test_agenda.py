"""The agenda page and its items: redaction, adding, editing, deleting and ordering."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Attachment, Meeting, Sensitivity
from members.models import Role
from tests.factories import member_of

from .factories import AgendaItemFactory, CommitteeFactory, DecisionFactory, MeetingFactory

SECRET = "Operation Lighthouse surveillance plan"
SECRET_TEXT = "Undercover officers at the Bayside motel"


@pytest.fixture
def meeting(task_force, coordinator):
    return MeetingFactory(task_force=task_force, organiser=coordinator, title="March task force meeting")


@pytest.fixture
def shelter_member(other_agency):
    """A member of the victim-services agency: not law enforcement."""
    return member_of(other_agency, Role.MEMBER, email="advocate@example.org", full_name="Ava Advocate")


@pytest.fixture
def police_item(meeting):
    item = AgendaItemFactory(
        meeting=meeting,
        position=1,
        title=SECRET,
        description=SECRET_TEXT,
        notes="Two venues identified.",
        sensitivity=Sensitivity.LAW_ENFORCEMENT,
    )
    Attachment.objects.create(
        item=item,
        file="meetings/x/secret",
        name="lighthouse-map.pdf",
        content_type="application/pdf",
        size=10,
    )
    return item


def agenda_url(meeting):
    return reverse("meetings:agenda", args=[meeting.task_force.slug, meeting.code])


def codes(meeting):
    return list(
        AgendaItem.objects.filter(meeting=meeting).order_by("position", "id").values_list("title", flat=True)
    )


class TestAgendaPage:
    def test_a_member_outside_law_enforcement_sees_a_law_enforcement_item_only_as_withheld(
        self, login, meeting, police_item, shelter_member
    ):
        AgendaItemFactory(meeting=meeting, position=0, title="Introductions")
        page = login(shelter_member).get(agenda_url(meeting)).content.decode()
        assert "Introductions" in page
        assert "Withheld: law enforcement only" in page
        for secret in (SECRET, SECRET_TEXT, "Two venues identified", "lighthouse-map", str(police_item.code)):
            assert secret not in page

    def test_a_police_member_sees_the_law_enforcement_item_whole(self, login, meeting, police_item, member):
        page = login(member).get(agenda_url(meeting)).content.decode()
        assert SECRET in page and SECRET_TEXT in page and "Two venues identified." in page
        assert "lighthouse-map.pdf" in page
        assert "Withheld" not in page

    def test_an_observer_of_the_police_agency_does_not_see_it(self, login, meeting, police_item, observer):
        page = login(observer).get(agenda_url(meeting)).content.decode()
        assert SECRET not in page and "Withheld: law enforcement only" in page

    def test_named_agency_and_core_items_follow_their_labels(
        self, login, meeting, other_agency, shelter_member, lead_other, member
    ):
        named = AgendaItemFactory(meeting=meeting, title="Shelter capacity", sensitivity=Sensitivity.AGENCIES)
        named.agencies.add(other_agency)
        AgendaItemFactory(meeting=meeting, title="Budget for the core team", sensitivity=Sensitivity.CORE)

        page = login(shelter_member).get(agenda_url(meeting)).content.decode()
        assert "Shelter capacity" in page and "Budget for the core team" not in page
        page = login(lead_other).get(agenda_url(meeting)).content.decode()
        assert "Shelter capacity" in page and "Budget for the core team" in page
        page = login(member).get(agenda_url(meeting)).content.decode()
        assert "Shelter capacity" not in page and "Withheld: named agencies only" in page

    def test_it_shows_the_planned_times_and_total(self, login, meeting, member):
        AgendaItemFactory(meeting=meeting, position=0, title="Welcome", minutes_allotted=15)
        AgendaItemFactory(meeting=meeting, position=1, title="Trends", minutes_allotted=45)
        response = login(member).get(agenda_url(meeting))
        assert response.context["total_minutes"] == 60
        assert [item.planned_start for item in response.context["items"]][1] == meeting.starts_at.replace(
            minute=15
        )
        assert "60 minutes planned" in response.content.decode()

    def test_the_organiser_sees_the_controls_and_members_do_not(
        self, login, meeting, police_item, member, coordinator
    ):
        page = login(coordinator).get(agenda_url(meeting)).content.decode()
        assert "Add item" in page and "Move up" in page
        assert "agenda-reorder.js" in page and "Standing items" in page
        # Minutes are circulated once the meeting is under way.
        assert "Circulate minutes" not in page
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
        assert "Circulate minutes" in login(coordinator).get(agenda_url(meeting)).content.decode()
        page = login(member).get(agenda_url(meeting)).content.decode()
        assert "Add item" not in page and "Move up" not in page and "Circulate minutes" not in page
        assert "agenda-reorder.js" not in page

    def test_it_says_what_to_do_when_the_agenda_is_empty(self, login, meeting, coordinator, member):
        assert "Add the first item" in login(coordinator).get(agenda_url(meeting)).content.decode()
        assert "has not set the agenda yet" in login(member).get(agenda_url(meeting)).content.decode()

    def test_it_shows_which_meeting_approved_the_minutes(
        self, login, task_force, meeting, coordinator, member
    ):
        later = MeetingFactory(task_force=task_force, organiser=coordinator, title="April task force meeting")
        DecisionFactory(meeting=later, approves_minutes_of=meeting, motion="Approve the March minutes.")
        Meeting.objects.filter(pk=meeting.pk).update(minutes_status=Meeting.MinutesStatus.APPROVED)
        page = login(member).get(agenda_url(meeting)).content.decode()
        assert "approved by decision at" in page and "April task force meeting" in page

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 200),
            ("member", 200),
            ("lead_other", 200),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_who_may_read_it(self, request, login, meeting, who, status):
        user = None if who == "anonymous" else request.getfixturevalue(who)
        response = login(user).get(agenda_url(meeting))
        assert response.status_code == status
        if who == "anonymous":
            assert response["Location"].startswith("/accounts/login/")

    def test_a_confidential_meeting_is_hidden_from_observers(self, login, meeting, observer):
        Meeting.objects.filter(pk=meeting.pk).update(confidential=True)
        assert login(observer).get(agenda_url(meeting)).status_code == 404

    @pytest.mark.parametrize("who", ["member", "coordinator"])
    def test_its_query_count_does_not_grow_with_items(self, request, login, meeting, other_agency, who):
        client = login(request.getfixturevalue(who))

        def add(count):
            for index in range(count):
                item = AgendaItemFactory(
                    meeting=meeting,
                    presenter=request.getfixturevalue("lead"),
                    sensitivity=[Sensitivity.ALL, Sensitivity.AGENCIES, Sensitivity.LAW_ENFORCEMENT][
                        index % 3
                    ],
                )
                item.agencies.add(other_agency)
                Attachment.objects.create(
                    item=item,
                    file=f"meetings/x/{index}",
                    name="a.pdf",
                    content_type="application/pdf",
                    size=1,
                )

        add(5)
        client.get(agenda_url(meeting))
        with CaptureQueriesContext(connection) as few:
            assert client.get(agenda_url(meeting)).status_code == 200
        add(15)
        with CaptureQueriesContext(connection) as many:
            response = client.get(agenda_url(meeting))
        assert len(response.context["items"]) == 20
        assert len(many) == len(few)


class TestAddingAndEditingItems:
    def test_the_organiser_adds_an_item_at_the_end(self, login, task_force, meeting, coordinator, lead):
        AgendaItemFactory(meeting=meeting, position=0, title="Introductions")
        url = reverse("meetings:agenda-item-create", args=[task_force.slug, meeting.code])
        response = login(coordinator).post(
            url,
            {
                "title": "MOU status",
                "description": "Which agencies still have to sign.",
                "presenter": lead.pk,
                "minutes_allotted": 20,
                "sensitivity": Sensitivity.ALL,
                "version": 1,
            },
        )
        assert response.status_code == 302
        item = AgendaItem.objects.get(title="MOU status")
        assert item.meeting == meeting and item.position == 1 and item.presenter == lead
        assert response["Location"].endswith(f"#item-{item.code}")

    def test_named_agencies_are_required_for_a_named_agencies_item(
        self, login, task_force, meeting, coordinator, other_agency
    ):
        url = reverse("meetings:agenda-item-create", args=[task_force.slug, meeting.code])
        data = {
            "title": "Shelter beds",
            "minutes_allotted": 10,
            "sensitivity": Sensitivity.AGENCIES,
            "version": 1,
        }
        response = login(coordinator).post(url, data)
        assert response.status_code == 200
        assert "Choose the agencies" in response.content.decode()
        assert not AgendaItem.objects.exists()

        response = login(coordinator).post(url, {**data, "agencies": [other_agency.pk]})
        assert response.status_code == 302
        assert list(AgendaItem.objects.get().agencies.all()) == [other_agency]

    def test_the_presenter_must_be_an_active_member_of_the_task_force(
        self, login, task_force, meeting, coordinator, other_coordinator
    ):
        url = reverse("meetings:agenda-item-create", args=[task_force.slug, meeting.code])
        response = login(coordinator).post(
            url,
            {
                "title": "X",
                "minutes_allotted": 10,
                "sensitivity": "all",
                "presenter": other_coordinator.pk,
                "version": 1,
            },
        )
        assert response.status_code == 200 and not AgendaItem.objects.exists()

    def test_the_organiser_edits_an_item(self, login, task_force, meeting, coordinator):
        item = AgendaItemFactory(meeting=meeting, title="Trends")
        url = reverse("meetings:agenda-item-update", args=[task_force.slug, item.code])
        assert login(coordinator).get(url).status_code == 200
        response = login(coordinator).post(
            url,
            {
                "title": "Trends and potential victims",
                "minutes_allotted": 30,
                "sensitivity": "core",
                "version": 1,
            },
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.title, item.minutes_allotted, item.sensitivity, item.version) == (
            "Trends and potential victims",
            30,
            "core",
            2,
        )

    def test_a_stale_item_edit_is_refused(self, login, task_force, meeting, coordinator, co_chair):
        item = AgendaItemFactory(meeting=meeting, title="Trends")
        url = reverse("meetings:agenda-item-update", args=[task_force.slug, item.code])
        data = {"minutes_allotted": 10, "sensitivity": "all", "version": 1}
        assert login(coordinator).post(url, {**data, "title": "First"}).status_code == 302
        response = login(co_chair).post(url, {**data, "title": "Second"})
        assert response.status_code == 200
        assert "Someone else saved a change" in response.content.decode()
        item.refresh_from_db()
        assert item.title == "First"

    def test_the_organiser_deletes_an_item_and_the_rest_close_up(
        self, login, task_force, meeting, coordinator
    ):
        first, second, third = (
            AgendaItemFactory(meeting=meeting, position=i, title=f"Item {i}") for i in range(3)
        )
        url = reverse("meetings:agenda-item-delete", args=[task_force.slug, second.code])
        assert login(coordinator).get(url).status_code == 405
        assert login(coordinator).post(url).status_code == 302
        assert list(meeting.agenda_items.order_by("position").values_list("title", "position")) == [
            ("Item 0", 0),
            ("Item 2", 1),
        ]

    def test_item_codes_of_another_task_force_are_not_found(
        self, login, other_task_force, task_force, coordinator, other_coordinator
    ):
        foreign = AgendaItemFactory(
            meeting=MeetingFactory(task_force=other_task_force, organiser=other_coordinator)
        )
        for name in ("agenda-item-update", "agenda-item-notes"):
            assert (
                login(coordinator)
                .get(reverse(f"meetings:{name}", args=[task_force.slug, foreign.code]))
                .status_code
                == 404
            )
        url = reverse("meetings:agenda-item-delete", args=[task_force.slug, foreign.code])
        assert login(coordinator).post(url).status_code == 404
        assert AgendaItem.objects.filter(pk=foreign.pk).exists()

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
    def test_who_may_add_and_edit_items(self, request, login, task_force, meeting, who, status):
        item = AgendaItemFactory(meeting=meeting)
        client = login(None if who == "anonymous" else request.getfixturevalue(who))
        for url in (
            reverse("meetings:agenda-item-create", args=[task_force.slug, meeting.code]),
            reverse("meetings:agenda-item-update", args=[task_force.slug, item.code]),
        ):
            assert client.get(url).status_code == status
        delete = reverse("meetings:agenda-item-delete", args=[task_force.slug, item.code])
        assert client.post(delete).status_code == (302 if status in (200, 302) else status)
        assert AgendaItem.objects.filter(pk=item.pk).exists() == (status != 200)

    def test_a_committee_chair_changes_only_their_committees_agenda(
        self, login, task_force, member, coordinator
    ):
        committee = CommitteeFactory(task_force=task_force, chair=member)
        theirs = MeetingFactory(
            task_force=task_force, organiser=member, committee=committee, kind="committee"
        )
        other = MeetingFactory(task_force=task_force, organiser=coordinator)
        client = login(member)
        assert (
            client.get(
                reverse("meetings:agenda-item-create", args=[task_force.slug, theirs.code])
            ).status_code
            == 200
        )
        assert (
            client.get(reverse("meetings:agenda-item-create", args=[task_force.slug, other.code])).status_code
            == 403
        )

    def test_nothing_changes_once_the_minutes_are_approved(self, login, task_force, meeting, coordinator):
        item = AgendaItemFactory(meeting=meeting, title="Trends")
        Meeting.objects.filter(pk=meeting.pk).update(minutes_status=Meeting.MinutesStatus.APPROVED)
        client = login(coordinator)
        response = client.get(
            reverse("meetings:agenda-item-update", args=[task_force.slug, item.code]), follow=True
        )
        assert "minutes of this meeting are approved" in response.content.decode()
        client.post(reverse("meetings:agenda-item-delete", args=[task_force.slug, item.code]))
        assert AgendaItem.objects.filter(pk=item.pk).exists()
        page = client.get(agenda_url(meeting)).content.decode()
        assert "Add item" not in page and "Move up" not in page


class TestOrdering:
    @pytest.fixture
    def items(self, meeting):
        return [AgendaItemFactory(meeting=meeting, position=i, title=title) for i, title in enumerate("ABC")]

    def move(self, client, item, direction):
        url = reverse("meetings:agenda-item-move", args=[item.meeting.task_force.slug, item.code])
        return client.post(url, {"direction": direction})

    def test_move_up_and_down_buttons_reorder_without_javascript(self, login, meeting, items, coordinator):
        client = login(coordinator)
        response = self.move(client, items[2], "up")
        assert response.status_code == 302 and response["Location"].endswith(f"#item-{items[2].code}")
        assert codes(meeting) == ["A", "C", "B"]
        self.move(client, items[0], "down")
        assert codes(meeting) == ["C", "A", "B"]

    def test_moving_the_first_item_up_says_it_is_already_first(self, login, meeting, items, coordinator):
        client = login(coordinator)
        response = self.move(client, items[0], "up")
        assert response.status_code == 302 and codes(meeting) == ["A", "B", "C"]
        page = client.get(agenda_url(meeting)).content.decode()
        assert "already first" in page

    def test_an_unknown_direction_is_a_bad_request(self, login, items, coordinator):
        assert self.move(login(coordinator), items[0], "sideways").status_code == 400

    def test_a_member_may_not_move_items(self, login, meeting, items, member):
        assert self.move(login(member), items[2], "up").status_code == 403
        assert codes(meeting) == ["A", "B", "C"]

    def test_the_reorder_endpoint_saves_the_dragged_order(
        self, login, task_force, meeting, items, coordinator
    ):
        url = reverse("meetings:agenda-reorder", args=[task_force.slug, meeting.code])
        response = login(coordinator).post(url, {"item": [str(items[i].code) for i in (2, 0, 1)]})
        assert response.status_code == 200
        assert response.json()["order"] == [str(items[i].code) for i in (2, 0, 1)]
        assert codes(meeting) == ["C", "A", "B"]

    def test_a_forged_order_with_another_meetings_item_is_refused(
        self, login, task_force, meeting, items, coordinator
    ):
        stranger = AgendaItemFactory(meeting=MeetingFactory(task_force=task_force, organiser=coordinator))
        url = reverse("meetings:agenda-reorder", args=[task_force.slug, meeting.code])
        client = login(coordinator)
        forged = [str(stranger.code), str(items[0].code), str(items[1].code)]
        response = client.post(url, {"item": forged})
        assert response.status_code == 400 and "exactly once" in response.json()["error"]
        response = client.post(url, {"item": [*forged, str(items[2].code)]})
        assert response.status_code == 400
        assert codes(meeting) == ["A", "B", "C"]
        stranger.refresh_from_db()
        assert stranger.meeting != meeting

    def test_an_order_that_leaves_out_or_repeats_an_item_is_refused(
        self, login, task_force, meeting, items, coordinator
    ):
        url = reverse("meetings:agenda-reorder", args=[task_force.slug, meeting.code])
        client = login(coordinator)
        assert client.post(url, {"item": [str(items[1].code), str(items[0].code)]}).status_code == 400
        repeated = [str(items[0].code), str(items[0].code), str(items[1].code), str(items[2].code)]
        assert client.post(url, {"item": repeated}).status_code == 400
        assert client.post(url, {"item": ["not-a-code"]}).status_code == 400
        assert codes(meeting) == ["A", "B", "C"]

    def test_the_reorder_endpoint_of_another_task_forces_meeting_is_not_found(
        self, login, other_task_force, task_force, coordinator, other_coordinator
    ):
        foreign = MeetingFactory(task_force=other_task_force, organiser=other_coordinator)
        url = reverse("meetings:agenda-reorder", args=[task_force.slug, foreign.code])
        assert login(coordinator).post(url, {"item": []}).status_code == 404

    @pytest.mark.parametrize(
        ("who", "status"), [("member", 403), ("observer", 403), ("other_coordinator", 404)]
    )
    def test_only_the_organiser_may_reorder(self, request, login, task_force, meeting, items, who, status):
        url = reverse("meetings:agenda-reorder", args=[task_force.slug, meeting.code])
        response = login(request.getfixturevalue(who)).post(
            url, {"item": [str(items[i].code) for i in (2, 1, 0)]}
        )
        assert response.status_code == status
        assert codes(meeting) == ["A", "B", "C"]
