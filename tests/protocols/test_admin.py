"""The protocols models in the Django admin: every page opens, changelists do not grow in queries
with their rows, what the workflow keeps stays read-only, and agencies of another task force are
refused."""

from datetime import date

import pytest
from django.urls import reverse

from protocols.models import Document, Kind, ReviewComment, Signatory, Status, Transition, Version
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.factories import DecisionFactory, MeetingFactory

from .factories import DocumentFactory, SignatoryFactory, VersionFactory


def mou_version(task_force, agency, author, status=Status.APPROVED):
    document = DocumentFactory(task_force=task_force, kind=Kind.MOU, category="", owner_agency=agency)
    version = VersionFactory(document=document, status=status, author=author, approved_by=author)
    Transition.objects.create(version=version, from_status="", to_status=Status.DRAFT, by=author)
    return version


@pytest.fixture
def records(task_force, agency, other_agency, coordinator, lead):
    version = mou_version(task_force, agency, coordinator)
    version.document.shared_with.set([agency, other_agency])
    return {
        "protocols_document": version.document,
        "protocols_version": version,
        "protocols_transition": version.transitions.get(),
        "protocols_reviewcomment": ReviewComment.objects.create(
            version=version, author=lead, agency=agency, body="Add the after-hours number."
        ),
        "protocols_signatory": SignatoryFactory(version=version, agency=agency),
    }


def _grow(name, task_force, agency, coordinator, lead):
    """One more row of the changelist's model, with every relation its list shows."""
    version = mou_version(task_force, agency, coordinator)
    return {
        "protocols_document": lambda: version.document,
        "protocols_version": lambda: version,
        "protocols_transition": lambda: version.transitions.get(),
        "protocols_reviewcomment": lambda: ReviewComment.objects.create(
            version=version, author=lead, agency=agency, body="Looks right."
        ),
        "protocols_signatory": lambda: SignatoryFactory(
            version=version, agency=AgencyFactory(task_force=task_force)
        ),
    }[name]()


CHANGELISTS = [
    "protocols_document", "protocols_version", "protocols_transition", "protocols_reviewcomment",
    "protocols_signatory",
]  # fmt: skip


def test_the_change_pages_open_for_the_admin(login, admin, records):
    client = login(admin)
    for name, obj in records.items():
        assert client.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 200, name


def test_every_changelist_opens_for_the_admin(login, admin, records):
    client = login(admin)
    for name in CHANGELISTS:
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200, name
        assert response.context["cl"].result_count == 1, name


def test_the_changelists_search_and_filter(login, admin, records, task_force):
    client = login(admin)
    url = reverse("admin:protocols_document_changelist")
    title = records["protocols_document"].title
    assert title in client.get(url, {"q": title}).content.decode()
    filtered = client.get(url, {"kind__exact": "mou", "status__exact": "approved"})
    assert filtered.context["cl"].result_count == 1
    signatories = reverse("admin:protocols_signatory_changelist")
    assert client.get(signatories, {"status__exact": "signed"}).context["cl"].result_count == 0
    url = reverse("admin:protocols_version_changelist")
    assert client.get(url, {"document__task_force__id__exact": task_force.pk}).status_code == 200


def test_the_document_page_lists_its_versions_and_the_version_page_its_signatories_comments_and_transitions(
    login, admin, records
):
    client = login(admin)
    document, version = records["protocols_document"], records["protocols_version"]
    page = client.get(reverse("admin:protocols_document_change", args=[document.pk])).content.decode()
    assert (
        version.change_summary in page
        and reverse("admin:protocols_version_change", args=[version.pk]) in page
    )
    page = client.get(reverse("admin:protocols_version_change", args=[version.pk])).content.decode()
    assert "Harbor County Sheriff&#x27;s Office" in page
    assert "Add the after-hours number." in page
    assert "Transitions" in page


def test_staff_without_permissions_are_refused_every_changelist_and_change_page(login, records):
    client = login(UserFactory(is_staff=True))
    for name, obj in records.items():
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name
        assert client.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 403, name


@pytest.mark.parametrize("name", CHANGELISTS)
def test_no_changelist_grows_in_queries_with_its_rows(
    name, login, admin, task_force, agency, coordinator, lead, django_assert_max_num_queries
):
    client = login(admin)
    url = reverse(f"admin:{name}_changelist")
    for _ in range(2):
        _grow(name, task_force, agency, coordinator, lead)
    with django_assert_max_num_queries(30) as captured:
        assert client.get(url).status_code == 200
    few = len(captured)
    for _ in range(8):
        _grow(name, task_force, agency, coordinator, lead)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


class TestWhatTheWorkflowKeeps:
    def test_documents_and_versions_are_created_on_the_site_not_in_the_admin(self, login, admin, records):
        client = login(admin)
        assert client.get(reverse("admin:protocols_document_add")).status_code == 403
        assert client.get(reverse("admin:protocols_version_add")).status_code == 403

    def test_transitions_can_be_read_not_added_or_changed(self, login, admin, records):
        client = login(admin)
        transition = records["protocols_transition"]
        assert client.get(reverse("admin:protocols_transition_add")).status_code == 403
        url = reverse("admin:protocols_transition_change", args=[transition.pk])
        response = client.post(url, {"note": "Rewritten", "to_status": "in_force"})
        assert response.status_code == 403
        transition.refresh_from_db()
        assert transition.to_status == Status.DRAFT and transition.note == ""

    def test_a_status_and_a_signature_are_not_fields_of_the_forms(self, login, admin, records):
        client = login(admin)
        signatory = records["protocols_signatory"]
        response = client.get(reverse("admin:protocols_signatory_change", args=[signatory.pk]))
        form = response.context["adminform"].form
        assert "status" not in form.fields and "signer_name" not in form.fields
        assert "needs_outside_approval" in form.fields
        version = records["protocols_version"]
        response = client.get(reverse("admin:protocols_version_change", args=[version.pk]))
        assert {"document", "status", "number", "file", "approved_at"}.isdisjoint(
            response.context["adminform"].form.fields
        )

    def test_the_outside_approval_of_a_signatory_can_be_corrected(self, login, admin, records):
        signatory = records["protocols_signatory"]
        url = reverse("admin:protocols_signatory_change", args=[signatory.pk])
        data = {
            "version": signatory.version_id,
            "agency": signatory.agency_id,
            "needs_outside_approval": "on",
            "approving_body": "Board of Supervisors",
        }
        response = login(admin).post(url, data)
        assert response.status_code == 302
        signatory.refresh_from_db()
        assert signatory.approving_body == "Board of Supervisors"
        assert signatory.status == Signatory.SignatureStatus.PENDING

    def test_a_change_in_the_admin_makes_forms_opened_before_it_stale(self, login, admin, records):
        document = records["protocols_document"]
        url = reverse("admin:protocols_document_change", args=[document.pk])
        data = {
            "task_force": document.task_force_id,
            "kind": "mou",
            "title": "Referral MOU, corrected title",
            "populations": "[]",
            "confidentiality": "all",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        }
        assert login(admin).post(url, data).status_code == 302
        document.refresh_from_db()
        assert document.title == "Referral MOU, corrected title" and document.version == 2


class TestAgenciesOfAnotherTaskForce:
    def test_the_document_refuses_an_owner_or_a_shared_agency_of_another_task_force(
        self, login, admin, records, foreign_agency
    ):
        document = records["protocols_document"]
        url = reverse("admin:protocols_document_change", args=[document.pk])
        data = {
            "task_force": document.task_force_id,
            "kind": "mou",
            "category": "",
            "title": document.title,
            "summary": "",
            "owner_agency": foreign_agency.pk,
            "trafficking_type": "sex",
            "populations": "[]",
            "confidentiality": "agencies",
            "shared_with": [foreign_agency.pk],
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        }
        response = login(admin).post(url, data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Choose an agency of the document&#x27;s task force." in page
        assert "Not agencies of the document&#x27;s task force: Ridge Police Department." in page
        document.refresh_from_db()
        assert document.owner_agency_id != foreign_agency.pk and not document.shared_with.filter(
            pk=foreign_agency.pk
        )

    def test_a_signatory_of_another_task_force_is_refused(self, login, admin, records, foreign_agency):
        signatory = records["protocols_signatory"]
        url = reverse("admin:protocols_signatory_change", args=[signatory.pk])
        data = {"version": signatory.version_id, "agency": foreign_agency.pk, "approving_body": ""}
        response = login(admin).post(url, data)
        assert response.status_code == 200
        assert "Choose an agency of the document&#x27;s task force." in response.content.decode()
        assert Signatory.objects.get(pk=signatory.pk).agency_id == signatory.agency_id

    def test_a_decision_of_another_task_forces_meeting_is_refused(
        self, login, admin, records, other_task_force, other_coordinator
    ):
        version = records["protocols_version"]
        foreign = DecisionFactory(
            meeting=MeetingFactory(task_force=other_task_force, organiser=other_coordinator)
        )
        url = reverse("admin:protocols_version_change", args=[version.pk])
        data = {
            "change_summary": version.change_summary,
            "body": version.body,
            "effective_on": date(2026, 1, 1).isoformat(),
            "approval_decision": foreign.pk,
            **{f"{prefix}-{key}": "0" for prefix in ("signatories", "comments", "transitions")
               for key in ("TOTAL_FORMS", "INITIAL_FORMS")},
        }  # fmt: skip
        response = login(admin).post(url, data)
        assert response.status_code == 200
        assert "Choose a decision of a meeting of this task force." in response.content.decode()
        assert Version.objects.get(pk=version.pk).approval_decision_id is None


def test_deleting_a_document_in_the_admin_takes_its_versions(login, admin, records):
    document = records["protocols_document"]
    url = reverse("admin:protocols_document_delete", args=[document.pk])
    assert login(admin).post(url, {"post": "yes"}).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not Version.objects.filter(document_id=document.pk).exists()
