from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from members.models import Role
from protocols.models import Kind, Signatory, Status
from taskforce.reminders import services
from taskforce.reminders.models import Notice

from ..factories import member_of
from ..protocols.factories import DocumentFactory, SignatoryFactory, VersionFactory


def in_force(task_force, agency, expires_in_days=None, **document_fields):
    document = DocumentFactory(task_force=task_force, owner_agency=agency, kind=Kind.MOU, **document_fields)
    today = task_force.today()
    VersionFactory(
        document=document,
        status=Status.IN_FORCE,
        effective_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=expires_in_days) if expires_in_days is not None else None,
    )
    document.refresh_from_db()
    return document


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


class TestExpiring:
    def test_coordinators_and_the_owner_agencys_lead_hear_at_90_30_and_7_days(
        self, task_force, agency, coordinator, lead, member
    ):
        document = in_force(task_force, agency, expires_in_days=100)
        services.sweep()
        assert mail.outbox == []
        for days_left in (90, 60, 30, 7, 7):
            services.sweep(now=timezone.now() + timedelta(days=100 - days_left))
        thresholds = sorted(Notice.objects.filter(recipient=lead).values_list("threshold", flat=True))
        assert thresholds == ["v1-30d", "v1-7d", "v1-90d"]
        assert recipients() == sorted([coordinator.email, lead.email] * 3)
        assert document.title in mail.outbox[0].subject

    def test_it_catches_up_with_only_the_tightest_threshold(self, task_force, agency, coordinator):
        in_force(task_force, agency, expires_in_days=5)
        services.sweep()
        assert list(Notice.objects.values_list("threshold", flat=True)) == ["v1-7d"]

    def test_the_lead_of_another_agency_hears_nothing(
        self, task_force, agency, other_agency, lead_other, coordinator
    ):
        in_force(task_force, agency, expires_in_days=20)
        services.sweep()
        assert lead_other.email not in recipients()


class TestReview:
    def test_a_document_due_for_review_is_reminded_once_per_review_date(
        self, task_force, agency, coordinator
    ):
        document = in_force(task_force, agency)
        document.next_review_on = task_force.today() - timedelta(days=1)
        document.save(update_fields=["next_review_on"])
        services.sweep()
        services.sweep()
        assert recipients() == [coordinator.email]
        assert mail.outbox[0].subject.startswith("Due for review")


class TestSignatures:
    @pytest.fixture
    def pending(self, task_force, other_agency):
        signatory = SignatoryFactory(
            version__document__task_force=task_force, version__status=Status.APPROVED, agency=other_agency
        )
        signatory.version.approved_at = timezone.now() - timedelta(days=15)
        signatory.version.save(update_fields=["approved_at"])
        return signatory

    def test_the_signing_agencys_current_lead_hears_after_14_days(
        self, pending, lead_other, lead, coordinator
    ):
        services.sweep()
        services.sweep()
        assert recipients() == [lead_other.email]
        assert "Safe Harbor Shelter" in mail.outbox[0].subject

    def test_nothing_before_14_days(self, pending, lead_other):
        pending.version.approved_at = timezone.now() - timedelta(days=10)
        pending.version.save(update_fields=["approved_at"])
        services.sweep()
        assert mail.outbox == []

    def test_a_lead_replaced_before_delivery_gets_nothing(self, pending, lead_other, other_agency):
        services.record_due(timezone.now())
        lead_other.memberships.update(role=Role.MEMBER)
        services.deliver_pending()
        assert mail.outbox == []

    def test_signed_meanwhile_is_skipped(self, pending, lead_other):
        services.record_due(timezone.now())
        Signatory.objects.filter(pk=pending.pk).update(status=Signatory.SignatureStatus.SIGNED)
        services.deliver_pending()
        assert mail.outbox == []

    def test_the_new_lead_is_reminded_instead(self, pending, lead_other, other_agency):
        lead_other.memberships.update(ended_on=timezone.localdate())
        successor = member_of(other_agency, Role.AGENCY_LEAD, email="successor@example.org")
        services.sweep()
        assert recipients() == [successor.email]
