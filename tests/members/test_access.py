"""The access module's answers, and guardian's defaults kept in check."""

import pytest
from django.contrib.auth.models import Group, Permission
from guardian.models import GroupObjectPermission

from members import access
from members.models import Role
from taskforce.models import TaskForce
from tests.factories import AgencyFactory, TaskForceFactory, UserFactory


def test_a_model_wide_permission_does_not_expose_every_task_force(db, task_force, other_task_force):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_taskforce"))
    assert list(access.task_forces_for(user)) == []


def test_task_forces_for_lists_only_the_persons_task_forces(member, task_force, other_task_force):
    assert list(access.task_forces_for(member)) == [task_force]


def test_an_admin_sees_every_task_force(admin, task_force, other_task_force):
    assert set(access.task_forces_for(admin)) == {task_force, other_task_force}


def test_roles_map_to_grants(coordinator, lead, member, observer, task_force, agency, other_agency):
    assert access.can_manage(coordinator, task_force)
    assert not access.can_manage(lead, task_force)
    assert access.can_change_agency(lead, agency)
    assert not access.can_change_agency(lead, other_agency)
    assert access.can_view_confidential(member, task_force)
    assert not access.can_view_confidential(observer, task_force)
    assert access.grantable_roles(lead, task_force, agency) == [Role.MEMBER, Role.OBSERVER]
    assert access.grantable_roles(lead, task_force, other_agency) == []
    assert access.grantable_roles(coordinator, task_force, other_agency) == list(Role)


def test_an_inactive_user_has_no_access(coordinator, task_force):
    coordinator.is_active = False
    coordinator.save()
    assert not access.has_perm(coordinator, access.VIEW, task_force)


def test_deleting_an_agency_cleans_up_its_object_permissions(lead, agency):
    name = f"{access.group_prefix(agency.task_force_id)}agency:{agency.pk}:leads"
    assert GroupObjectPermission.objects.filter(object_pk=str(agency.pk), group__name=name).exists()
    agency.memberships.all().delete()
    agency.delete()
    assert not GroupObjectPermission.objects.filter(group__name=name).exists()
    assert not Group.objects.filter(name=name).exists()


def test_deleting_a_task_force_cleans_up_its_groups_and_permissions(db):
    task_force = TaskForceFactory()
    agency = AgencyFactory(task_force=task_force)
    access.role_group(task_force, Role.MEMBER)
    access.agency_lead_group(agency)
    pk = task_force.pk
    TaskForce.objects.get(pk=pk).delete()
    assert not Group.objects.filter(name__startswith=access.group_prefix(pk)).exists()
    assert not GroupObjectPermission.objects.filter(object_pk=str(pk)).exists()


def test_rebuild_grants_matches_sync_grants(coordinator, lead, member, observer, task_force):
    before = {
        user.pk: set(user.groups.values_list("name", flat=True))
        for user in (coordinator, lead, member, observer)
    }
    Group.objects.get(name=f"{access.group_prefix(task_force.pk)}member").user_set.clear()
    access.rebuild_grants(task_force)
    after = {
        user.pk: set(user.groups.values_list("name", flat=True))
        for user in (coordinator, lead, member, observer)
    }
    assert after == before


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MEMBER, Role.OBSERVER])
def test_sync_grants_removes_the_groups_of_an_ended_membership(role, agency, task_force):
    from tests.factories import member_of

    person = member_of(agency, role)
    membership = person.memberships.get()
    membership.ended_on = membership.started_on
    membership.save()
    access.sync_grants(person, task_force)
    assert not person.groups.exists()
    assert list(access.task_forces_for(person)) == []
