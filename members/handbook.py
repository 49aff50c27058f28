"""Members' sections of the task force handbook: who leads, which agencies take part (and who leads
each), the committees, what each role means, and the roster. Professional details only; email
addresses and agency contacts only for those who see them on the pages (access.can_view_confidential)."""

from django.db.models import Count, Prefetch

from taskforce.handbook import HandbookSection, register

from . import access
from .models import LEADERSHIP_ROLES, Agency, Committee, Membership, Role, Sector, User

ROLE_DESCRIPTIONS = {
    Role.COORDINATOR: (
        "Runs the task force day to day: schedules meetings, invites agencies and people, keeps "
        "the documents and the decision log."
    ),
    Role.CO_CHAIR: (
        "Chairs the task force with the coordinator and shares their rights: meetings, "
        "memberships, documents."
    ),
    Role.AGENCY_LEAD: (
        "Speaks and signs for one agency: invites its people, answers for it in reviews, and signs "
        "MOUs on its behalf."
    ),
    Role.MEMBER: (
        "Takes part for an agency: attends meetings, takes on action items, reads what is shared "
        "with members."
    ),
    Role.OBSERVER: (
        "Follows the task force's work: reads what is shared with everyone, not what is kept to "
        "members or the core team."
    ),
}


def _active(task_force):
    return Membership.objects.active().filter(task_force=task_force)


def structure_context(user, task_force):
    leads = _active(task_force).filter(role=Role.AGENCY_LEAD).select_related("user")
    leads = leads.order_by("user__full_name", "id")
    agencies = (
        Agency.objects.filter(task_force=task_force)
        .prefetch_related(Prefetch("memberships", queryset=leads, to_attr="leads"))
        .order_by("name", "id")
    )
    by_sector = {}
    for agency in agencies:
        by_sector.setdefault(agency.sector, []).append(agency)
    leadership = _active(task_force).filter(role__in=LEADERSHIP_ROLES).select_related("user", "agency")
    return {
        # Coordinators first, then co-chairs.
        "leadership": sorted(
            leadership.order_by("user__full_name", "id"), key=lambda m: LEADERSHIP_ROLES.index(m.role)
        ),
        "sectors": [(label, by_sector[value]) for value, label in Sector.choices if value in by_sector],
        "show_contacts": access.can_view_confidential(user, task_force),
    }


def committees_context(user, task_force):
    members = User.objects.order_by("full_name", "id")
    committees = (
        Committee.objects.filter(task_force=task_force)
        .select_related("chair")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name", "id")
    )
    return {"committees": committees}


def roles_context(user, task_force):
    counts = dict(_active(task_force).values_list("role").annotate(n=Count("id")).order_by())
    return {
        "roles": [(label, ROLE_DESCRIPTIONS[value], counts.get(value, 0)) for value, label in Role.choices],
    }


def roster_context(user, task_force):
    return {
        "memberships": _active(task_force)
        .select_related("user", "agency")
        .order_by("user__full_name", "user_id", "agency__name", "id"),
        "show_contacts": access.can_view_confidential(user, task_force),
    }


register(
    HandbookSection(
        name="members.structure",
        title="Structure",
        order=20,
        template_name="members/pdf/handbook_structure.html",
        get_context=structure_context,
    )
)
register(
    HandbookSection(
        name="members.committees",
        title="Committees",
        order=30,
        template_name="members/pdf/handbook_committees.html",
        get_context=committees_context,
    )
)
register(
    HandbookSection(
        name="members.roles",
        title="Roles",
        order=40,
        template_name="members/pdf/handbook_roles.html",
        get_context=roles_context,
    )
)
register(
    HandbookSection(
        name="members.roster",
        title="Members roster",
        order=90,
        template_name="members/pdf/handbook_roster.html",
        get_context=roster_context,
    )
)
