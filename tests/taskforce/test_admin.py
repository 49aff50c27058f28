import pytest
from django.contrib import admin as django_admin
from django.urls import reverse

from members.models import Membership
from tests.factories import PASSWORD


@pytest.fixture
def admin_client_(login, admin, coordinator, member, task_force, agency):
    return login(admin)


def test_every_registered_model_has_a_working_changelist_and_add_page(admin_client_):
    for model in django_admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client_.get(changelist).status_code == 200, changelist
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert admin_client_.get(add).status_code in (200, 403), add  # 403: read-only logs


def test_the_change_pages_of_people_agencies_and_task_forces_open(admin_client_, member, agency, task_force):
    for name, obj in [
        ("members_user", member),
        ("members_agency", agency),
        ("taskforce_taskforce", task_force),
        ("members_membership", member.memberships.get()),
    ]:
        assert admin_client_.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 200
        assert admin_client_.get(reverse(f"admin:{name}_history", args=[obj.pk])).status_code == 200


def test_guardian_object_permissions_page_opens_for_an_agency(admin_client_, agency):
    url = reverse("admin:members_agency_permissions", args=[agency.pk])
    assert admin_client_.get(url).status_code == 200


def test_ending_a_membership_in_the_admin_removes_access_at_once(admin_client_, client, member, task_force):
    sign_in = {"username": member.email, "password": PASSWORD}
    client.post(reverse("login"), sign_in)
    assert client.get(task_force.get_absolute_url()).status_code == 200
    membership = member.memberships.get()
    url = reverse("admin:members_membership_change", args=[membership.pk])
    response = admin_client_.post(
        url,
        {
            "user": member.pk,
            "task_force": task_force.pk,
            "agency": membership.agency_id,
            "role": membership.role,
            "started_on": membership.started_on.isoformat(),
            "ended_on": membership.started_on.isoformat(),
            "end_reason": "Left the agency",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(pk=membership.pk).ended_on is not None
    response = client.get(task_force.get_absolute_url())
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.post(reverse("login"), sign_in)
    assert client.get(task_force.get_absolute_url()).status_code == 404


def test_the_admin_is_for_staff_only(login, coordinator):
    response = login(coordinator).get(reverse("admin:index"))
    assert response.status_code == 302
