"""Changing an action item's status: in place with htmx, or by a plain form post."""

from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from meetings.models import ActionItem
from tests.factories import member_of

from .factories import ActionItemFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response):
    return unescape(response.content.decode())


def status_url(item):
    return reverse("meetings:action-item-status", args=[item.task_force.slug, item.code])


def detail_url(item):
    return reverse("meetings:action-item-detail", args=[item.task_force.slug, item.code])


def mine_url(item):
    return reverse("meetings:action-item-mine", args=[item.task_force.slug])


@pytest.fixture
def item(member, agency):
    return ActionItemFactory(
        assignee=member, agency=agency, title="Call the labour inspector", due_on=date(2031, 1, 5)
    )


class TestWithHtmx:
    def test_the_assignee_marks_it_done_and_gets_the_row_back(self, login, member, item):
        when = datetime(2030, 6, 1, 14, 0, tzinfo=ZoneInfo("UTC"))
        with time_machine.travel(when, tick=False):
            response = login(member).post(
                status_url(item), {"status": "done", "next": mine_url(item)}, **HTMX
            )

        assert response.status_code == 200
        page = text(response)
        assert page.lstrip().startswith("<tr")
        assert f'id="action-item-{item.code}"' in page
        assert "“Call the labour inspector” is now done." in page
        assert "Reopen" in page and "<html" not in page
        item.refresh_from_db()
        assert item.status == ActionItem.Status.DONE
        assert item.completed_at == when

    def test_the_row_keeps_its_htmx_target_for_the_next_change(self, login, member, item):
        page = text(login(member).post(status_url(item), {"status": "in_progress"}, **HTMX))
        assert f'hx-post="{status_url(item)}"' in page
        assert f'hx-target="#action-item-{item.code}"' in page

    def test_reopening_clears_the_completion_time(self, login, member, item):
        client = login(member)
        client.post(status_url(item), {"status": "done"}, **HTMX)
        client.post(status_url(item), {"status": "open"}, **HTMX)
        item.refresh_from_db()
        assert item.status == ActionItem.Status.OPEN and item.completed_at is None

    def test_the_list_offers_the_in_place_change(self, login, member, item):
        page = text(login(member).get(mine_url(item)))
        assert f'hx-post="{status_url(item)}"' in page
        assert 'name="status" value="done"' in page

    def test_a_bad_status_is_a_400_with_a_message(self, login, member, item):
        response = login(member).post(status_url(item), {"status": "finished"}, **HTMX)
        assert response.status_code == 400
        assert "Choose open, in progress, done or dropped" in text(response)
        item.refresh_from_db()
        assert item.status == ActionItem.Status.OPEN


class TestWithoutJavaScript:
    def test_the_form_redirects_back_with_a_message(self, login, member, item):
        response = login(member).post(
            status_url(item), {"status": "in_progress", "next": mine_url(item)}, follow=True
        )
        assert response.redirect_chain == [(mine_url(item), 302)]
        assert "“Call the labour inspector” is now in progress." in text(response)

    def test_an_outside_address_to_go_back_to_is_ignored(self, login, member, item):
        response = login(member).post(
            status_url(item), {"status": "dropped", "next": "https://evil.example/"}
        )
        assert response["Location"] == detail_url(item)

    def test_the_detail_page_offers_the_change_without_htmx(self, login, member, item):
        page = text(login(member).get(detail_url(item)))
        assert f'action="{status_url(item)}"' in page
        assert "hx-post" not in page

    def test_a_missing_status_is_a_400(self, login, member, item):
        response = login(member).post(status_url(item), {})
        assert response.status_code == 400

    def test_it_only_accepts_posts(self, login, member, item):
        assert login(member).get(status_url(item)).status_code == 405


class TestWhoMayChangeIt:
    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("observer", 403),
            ("member", 200),
            ("lead", 200),
            ("lead_other", 403),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("co_chair", 200),
            ("admin", 200),
        ],
    )
    def test_the_assignee_their_agencys_lead_or_a_coordinator(self, request, login, item, who, status):
        response = login(request.getfixturevalue(who)).post(status_url(item), {"status": "done"}, **HTMX)
        assert response.status_code == status
        item.refresh_from_db()
        assert (item.status == ActionItem.Status.DONE) == (status == 200)

    def test_another_member_of_the_same_agency_may_not(self, login, agency, item):
        colleague = member_of(agency, full_name="Cal Colleague")
        response = login(colleague).post(status_url(item), {"status": "done"}, **HTMX)
        assert response.status_code == 403
        item.refresh_from_db()
        assert item.status == ActionItem.Status.OPEN

    def test_another_member_is_not_offered_the_buttons(self, login, lead_other, item):
        page = text(login(lead_other).get(reverse("meetings:action-item-list", args=[item.task_force.slug])))
        assert "Call the labour inspector" in page
        assert f'action="{status_url(item)}"' not in page

    def test_anonymous_people_are_sent_to_sign_in(self, client, item):
        response = client.post(status_url(item), {"status": "done"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
