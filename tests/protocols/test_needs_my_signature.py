""" "Needs my signature": the pending signatures of approved MOUs for the agencies a person leads
now, longest waiting first, with an empty state that says nothing awaits them."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Membership, Role
from members.services import end_membership
from protocols.models import Kind, Status
from tests.factories import member_of

from .factories import DocumentFactory, SignatoryFactory, VersionFactory

NOW = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)
TODAY = date(2027, 3, 1)
URL = reverse("protocols:needs-my-signature", args=["harbor"])


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def awaiting(
    agency, *, title="Information sharing MOU", status=Status.APPROVED, approved_days_ago=10, **fields
):
    version = VersionFactory(
        document=DocumentFactory(task_force=agency.task_force, kind=Kind.MOU, category="", title=title),
        status=status,
        effective_on=TODAY,
        approved_at=NOW - timedelta(days=approved_days_ago),
    )
    return SignatoryFactory(version=version, agency=agency, **fields)


def test_a_lead_sees_what_awaits_their_agency_longest_waiting_first(login, lead, agency):
    awaiting(agency, title="Newer MOU", approved_days_ago=3)
    older = awaiting(agency, title="Older MOU", approved_days_ago=40)
    page = login(lead).get(URL).content.decode()
    assert page.index("Older MOU") < page.index("Newer MOU")
    assert "40 days" in page and "3 days" in page
    assert "Harbor County Sheriff" in page and "Version 1" in page
    assert reverse("protocols:signature-sign", args=["harbor", older.code]) in page
    assert "2 MOUs await the signature of an agency you lead" in page


def test_what_is_not_awaiting_this_lead_is_left_out(login, lead, agency, other_agency):
    signed = awaiting(agency, title="Signed MOU")
    signed.status = "signed"
    signed.save(update_fields=["status"])
    declined = awaiting(agency, title="Declined MOU")
    declined.status = "declined"
    declined.save(update_fields=["status"])
    awaiting(agency, title="Superseded MOU", status=Status.SUPERSEDED)
    awaiting(agency, title="MOU in review", status=Status.IN_REVIEW)
    awaiting(other_agency, title="Their MOU")
    page = login(lead).get(URL).content.decode()
    for title in ("Signed MOU", "Declined MOU", "Superseded MOU", "MOU in review", "Their MOU"):
        assert title not in page
    assert "Nothing awaits your signature." in page


def test_an_awaited_outside_approval_is_shown_instead_of_the_sign_button(login, lead, agency):
    signatory = awaiting(agency, needs_outside_approval=True, approving_body="City Council")
    page = login(lead).get(URL).content.decode()
    assert "Needs the approval of City Council first." in page
    assert reverse("protocols:signatory-approval", args=["harbor", signatory.code]) in page
    assert reverse("protocols:signature-sign", args=["harbor", signatory.code]) not in page


@pytest.mark.parametrize("role", ["member", "observer", "coordinator", "admin"])
def test_someone_who_leads_no_agency_is_told_why_nothing_is_there(client_as, agency, role):
    awaiting(agency)
    page = client_as(role).get(URL).content.decode()
    assert "you lead none in this task force" in page
    assert "Information sharing MOU" not in page


def test_a_new_lead_inherits_the_list_and_the_old_one_loses_it(login, coordinator, lead, agency):
    awaiting(agency)
    membership = Membership.objects.get(user=lead, agency=agency)
    end_membership(by=coordinator, membership=membership, ended_on=TODAY, reason="Moved away")
    new_lead = member_of(agency, Role.AGENCY_LEAD, full_name="Nia Newlead")
    assert "Information sharing MOU" in login(new_lead).get(URL).content.decode()
    assert login(lead).get(URL).status_code == 404


def test_a_signatory_agency_reads_a_named_agencies_mou_even_if_not_named(login, lead, agency):
    """Its lead must read what they are asked to sign, whatever the share list says."""
    shared_elsewhere = awaiting(agency, title="Secret MOU")
    document = shared_elsewhere.version.document
    document.confidentiality = "agencies"
    document.save(update_fields=["confidentiality"])
    assert "Secret MOU" in login(lead).get(URL).content.decode()
    assert login(lead).get(document.get_absolute_url()).status_code == 200


def test_the_page_costs_the_same_queries_with_2_or_20_rows(login, lead, agency):
    client = login(lead)
    for index in range(2):
        awaiting(agency, title=f"MOU {index}")
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for index in range(2, 20):
        awaiting(agency, title=f"MOU {index}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()
    assert "MOU 19" in page
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("observer", 200),
        ("member", 200),
        ("lead", 200),
        ("lead_other", 200),
        ("other_coordinator", 404),
        ("coordinator", 200),
        ("admin", 200),
    ],
)
def test_everyone_in_the_task_force_opens_it(client_as, task_force, role, status):
    assert client_as(role).get(URL).status_code == status
