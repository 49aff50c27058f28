"""The library page: the documents a reader may see, filters and search, the due-for-review and
expiring lists with their counts, and a query count that does not grow with the documents."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Role
from protocols.models import Confidentiality, Kind, Status
from taskforce.taxonomy import TraffickingType
from tests.factories import AgencyFactory, member_of

from .factories import DocumentFactory, SignatoryFactory, VersionFactory

TODAY = date(2027, 3, 15)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 3, 15, 16, 0, tzinfo=UTC), tick=False):
        yield


def library_url(task_force, **params):
    url = reverse("protocols:library", args=[task_force.slug])
    if params:
        url += "?" + "&".join(f"{name}={value}" for name, value in params.items())
    return url


def in_force(document, body=None, **fields):
    fields.setdefault("effective_on", date(2026, 1, 1))
    if body is not None:
        fields["body"] = body
    VersionFactory(document=document, status=Status.IN_FORCE, **fields)
    document.refresh_from_db()
    return document


@pytest.fixture
def protocol(task_force, agency):
    document = DocumentFactory(task_force=task_force, title="Referral protocol", owner_agency=agency)
    return in_force(document, body="Refer a potential victim within **24 hours**.")


def titles(response):
    return [document.title for document in response.context["documents"]]


class TestWhoSeesWhat:
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
    def test_who_may_open_the_library(self, client_as, protocol, who, status):
        client = client_as(who)
        response = client.get(library_url(protocol.task_force))
        assert response.status_code == status
        if status == 200:
            assert titles(response) == ["Referral protocol"]

    def test_an_observer_sees_only_documents_for_all_members(self, login, task_force, protocol, observer):
        in_force(
            DocumentFactory(task_force=task_force, title="Core rules", confidentiality=Confidentiality.CORE)
        )
        response = login(observer).get(library_url(task_force))
        assert titles(response) == ["Referral protocol"]

    def test_a_member_of_a_named_agency_sees_its_document_and_another_member_does_not(
        self, login, task_force, agency, other_agency, member, coordinator
    ):
        shared = DocumentFactory(
            task_force=task_force, title="Shelter referrals", confidentiality=Confidentiality.AGENCIES
        )
        shared.shared_with.set([agency])
        in_force(shared)
        shelter_member = member_of(other_agency, Role.MEMBER, email="advocate@example.org")
        assert titles(login(member).get(library_url(task_force))) == ["Shelter referrals"]
        assert titles(login(shelter_member).get(library_url(task_force))) == []
        assert titles(login(coordinator).get(library_url(task_force))) == ["Shelter referrals"]

    def test_drafts_are_for_coordinators_only(self, login, task_force, protocol, member, lead, coordinator):
        VersionFactory(document=DocumentFactory(task_force=task_force, title="Draft MOU", kind=Kind.MOU))
        assert titles(login(member).get(library_url(task_force))) == ["Referral protocol"]
        assert titles(login(lead).get(library_url(task_force))) == ["Referral protocol"]
        assert titles(login(coordinator).get(library_url(task_force))) == ["Draft MOU", "Referral protocol"]

    def test_another_task_forces_documents_never_show(self, login, task_force, other_task_force, coordinator):
        in_force(DocumentFactory(task_force=other_task_force, title="Ridge protocol"))
        assert titles(login(coordinator).get(library_url(task_force))) == []

    def test_only_managers_get_the_new_document_button(self, login, task_force, protocol, coordinator, lead):
        create_url = reverse("protocols:document-create", args=[task_force.slug])
        assert create_url in login(coordinator).get(library_url(task_force)).content.decode()
        assert create_url not in login(lead).get(library_url(task_force)).content.decode()

    def test_needs_my_signature_is_linked_for_agency_leads_only(
        self, login, task_force, protocol, lead, member
    ):
        mine = reverse("protocols:needs-my-signature", args=[task_force.slug])
        assert mine in login(lead).get(library_url(task_force)).content.decode()
        assert mine not in login(member).get(library_url(task_force)).content.decode()


class TestEmptyStates:
    def test_a_manager_is_told_to_add_the_first_document(self, login, task_force, coordinator):
        page = login(coordinator).get(library_url(task_force)).content.decode()
        assert "No documents yet" in page and "Add the first one" in page

    def test_a_member_is_told_documents_appear_when_published(self, login, task_force, member):
        page = login(member).get(library_url(task_force)).content.decode()
        assert "When the coordinators publish" in page
        assert "Add the first one" not in page

    def test_no_match_offers_to_clear_the_filters(self, login, task_force, protocol, member):
        page = login(member).get(library_url(task_force, q="nothing-like-this")).content.decode()
        assert "No document matches these filters" in page


class TestFilters:
    @pytest.fixture
    def documents(self, task_force, agency, other_agency):
        protocol = in_force(
            DocumentFactory(
                task_force=task_force,
                title="Referral protocol",
                owner_agency=agency,
                trafficking_type=TraffickingType.SEX,
            )
        )
        mou = DocumentFactory(
            task_force=task_force,
            title="Shelter MOU",
            kind=Kind.MOU,
            category="",
            owner_agency=other_agency,
            trafficking_type=TraffickingType.LABOUR,
        )
        SignatoryFactory(version=VersionFactory(document=mou, status=Status.APPROVED), agency=agency)
        charter = in_force(
            DocumentFactory(task_force=task_force, title="Charter", kind=Kind.CHARTER, category="")
        )
        return protocol, mou, charter

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"kind": "mou"}, ["Shelter MOU"]),
            ({"category": "referral"}, ["Referral protocol"]),
            ({"status": "approved"}, ["Shelter MOU"]),
            ({"type": "sex"}, ["Charter", "Referral protocol"]),
            ({"type": "labour"}, ["Charter", "Shelter MOU"]),
            ({"kind": "charter", "type": "labour"}, ["Charter"]),
        ],
    )
    def test_it_filters_by_kind_category_status_and_type(
        self, login, task_force, documents, member, params, expected
    ):
        assert titles(login(member).get(library_url(task_force, **params))) == expected

    def test_each_row_shows_what_the_document_covers(self, login, task_force, documents, member):
        page = login(member).get(library_url(task_force)).content.decode()
        assert '<td data-label="Covers">Sex trafficking</td>' in page  # the referral protocol
        assert '<td data-label="Covers">Labour trafficking</td>' in page  # the shelter MOU
        assert '<td data-label="Covers">Sex trafficking<br>Labour trafficking</td>' in page  # the charter

    def test_an_agency_finds_what_it_owns_and_what_it_signs(
        self, login, task_force, documents, agency, other_agency, member
    ):
        client = login(member)
        assert titles(client.get(library_url(task_force, agency=agency.code))) == [
            "Referral protocol",
            "Shelter MOU",
        ]
        assert titles(client.get(library_url(task_force, agency=other_agency.code))) == ["Shelter MOU"]

    def test_a_wrong_filter_value_is_ignored_not_an_error(self, login, task_force, documents, member):
        response = login(member).get(library_url(task_force, kind="poem", agency="not-a-code", type="sex"))
        assert response.status_code == 200
        assert titles(response) == ["Charter", "Referral protocol"]


class TestSearch:
    def test_it_finds_words_of_the_text_in_force(self, login, task_force, protocol, member):
        in_force(DocumentFactory(task_force=task_force, title="Media policy"), body="Speak to the press.")
        assert titles(login(member).get(library_url(task_force, q="24+hours"))) == ["Referral protocol"]

    def test_it_finds_titles_and_summaries(self, login, task_force, protocol, member):
        in_force(
            DocumentFactory(task_force=task_force, title="Media policy", summary="Who talks to reporters.")
        )
        client = login(member)
        assert titles(client.get(library_url(task_force, q="media"))) == ["Media policy"]
        assert titles(client.get(library_url(task_force, q="REPORTERS"))) == ["Media policy"]

    def test_it_finds_the_newest_published_text_when_nothing_is_in_force(self, login, task_force, member):
        document = DocumentFactory(task_force=task_force, title="Screening protocol")
        VersionFactory(document=document, status=Status.APPROVED, body="Use the screening tool.")
        assert titles(login(member).get(library_url(task_force, q="screening+tool"))) == [
            "Screening protocol"
        ]

    def test_a_draft_text_is_not_searched_for_people_who_may_not_read_it(
        self, login, task_force, protocol, member, coordinator
    ):
        VersionFactory(document=protocol, body="Secret new wording.")
        assert titles(login(member).get(library_url(task_force, q="secret"))) == []
        assert titles(login(coordinator).get(library_url(task_force, q="secret"))) == []  # v1 is in force


class TestReviewAndExpiryLists:
    @pytest.fixture
    def dated(self, task_force):
        overdue = in_force(DocumentFactory(task_force=task_force, title="Overdue protocol"))
        overdue.next_review_on = date(2027, 1, 10)
        overdue.save(update_fields=["next_review_on"])
        due_today = in_force(DocumentFactory(task_force=task_force, title="Due today"))
        due_today.next_review_on = TODAY
        due_today.save(update_fields=["next_review_on"])
        later = in_force(DocumentFactory(task_force=task_force, title="Reviewed lately"))
        later.next_review_on = date(2028, 1, 1)
        later.save(update_fields=["next_review_on"])
        in_force(DocumentFactory(task_force=task_force, title="Expiring MOU"), expires_on=date(2027, 4, 30))
        in_force(
            DocumentFactory(task_force=task_force, title="Expiring soonest"), expires_on=date(2027, 3, 20)
        )
        in_force(
            DocumentFactory(task_force=task_force, title="Expiring next year"), expires_on=date(2028, 1, 1)
        )

    def test_due_for_review_lists_the_review_dates_that_came_oldest_first(
        self, login, task_force, dated, member
    ):
        response = login(member).get(library_url(task_force, list="review"))
        assert titles(response) == ["Overdue protocol", "Due today"]
        page = response.content.decode()
        assert "10 Jan 2027" in page and "15 Mar 2027" in page and "Overdue" in page

    def test_expiring_lists_what_lapses_within_90_days_soonest_first(self, login, task_force, dated, member):
        response = login(member).get(library_url(task_force, list="expiring"))
        assert titles(response) == ["Expiring soonest", "Expiring MOU"]
        page = response.content.decode()
        assert "20 Mar 2027" in page and "30 Apr 2027" in page

    def test_the_counts_of_both_lists_show_on_every_tab(self, login, task_force, dated, member):
        response = login(member).get(library_url(task_force))
        assert (response.context["review_count"], response.context["expiring_count"]) == (2, 2)
        nav = response.content.decode().split('aria-label="Protocols and MOUs sections"')[1].split("</ul>")[0]
        assert "Due for review <span" in nav and ">2<" in nav

    def test_the_lists_count_only_what_the_reader_may_see(self, login, task_force, dated, observer):
        hidden = in_force(
            DocumentFactory(task_force=task_force, title="Core MOU", confidentiality=Confidentiality.CORE),
            expires_on=date(2027, 4, 1),
        )
        assert hidden.status == Status.IN_FORCE
        response = login(observer).get(library_url(task_force, list="expiring"))
        assert titles(response) == ["Expiring soonest", "Expiring MOU"]
        assert response.context["expiring_count"] == 2

    def test_filters_apply_within_a_list(self, login, task_force, dated, member):
        response = login(member).get(library_url(task_force, list="expiring", q="MOU"))
        assert titles(response) == ["Expiring MOU"]

    def test_an_empty_list_says_when_documents_appear_there(self, login, task_force, member):
        page = login(member).get(library_url(task_force, list="review")).content.decode()
        assert "No document is due for review" in page


class TestScale:
    def test_it_pages_by_25(self, login, task_force, coordinator):
        for number in range(27):
            VersionFactory(document=DocumentFactory(task_force=task_force, title=f"Protocol {number:02}"))
        client = login(coordinator)
        assert len(client.get(library_url(task_force)).context["documents"]) == 25
        assert len(client.get(library_url(task_force, page=2)).context["documents"]) == 2

    @pytest.mark.parametrize("who", ["member", "coordinator"])
    def test_the_query_count_does_not_grow_with_the_documents(self, client_as, task_force, agency, who):
        owner = AgencyFactory(task_force=task_force, name="County Attorney")

        def add(count):
            for _ in range(count):
                in_force(
                    DocumentFactory(task_force=task_force, owner_agency=owner), expires_on=date(2027, 5, 1)
                )

        client = client_as(who)
        add(3)
        client.get(library_url(task_force))
        with CaptureQueriesContext(connection) as few:
            client.get(library_url(task_force, q="refer", type="sex"))
        add(27)
        with CaptureQueriesContext(connection) as many:
            response = client.get(library_url(task_force, q="refer", type="sex"))
        assert len(response.context["documents"]) == 25
        assert len(many) == len(few)
