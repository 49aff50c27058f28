"""The one place that answers "may this user do this to this object".

Roles come from active memberships. Each task force has one group per role, and each agency
one group for its leads; the groups hold django-guardian object permissions on the task force
or the agency, and `sync_grants` keeps a person's groups equal to their active memberships, so
a change of membership changes access on the very next request.

Helpers named `get_<thing>_for_user` answer 404 to people who may not see the thing (the same
answer as for a thing that does not exist) and 403 to people who see it but may not change it.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user

from taskforce.models import TaskForce

from .models import LEADERSHIP_ROLES, Agency, Invitation, Membership, Role, User

VIEW = "taskforce.view_taskforce"
CHANGE = "taskforce.change_taskforce"
MANAGE = "taskforce.manage_members"
CONFIDENTIAL = "taskforce.view_confidential"
LEAD_AGENCY = "members.manage_agency_people"

ROLE_PERMISSIONS = {
    Role.COORDINATOR: [VIEW, CHANGE, MANAGE, CONFIDENTIAL],
    Role.CO_CHAIR: [VIEW, CHANGE, MANAGE, CONFIDENTIAL],
    Role.AGENCY_LEAD: [VIEW, CONFIDENTIAL],
    Role.MEMBER: [VIEW, CONFIDENTIAL],
    Role.OBSERVER: [VIEW],
}
AGENCY_LEAD_PERMISSIONS = ["members.change_agency", LEAD_AGENCY]
ROLES_A_LEAD_GRANTS = [Role.MEMBER, Role.OBSERVER]


def sign_in_username(request, credentials):
    """The email a sign-in attempt names, lower-cased, so that lockout counts it once."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()


# --- grants -------------------------------------------------------------------------------


def group_prefix(task_force_id):
    return f"taskforce:{task_force_id}:"


def role_group(task_force, role):
    group, _ = Group.objects.get_or_create(name=f"{group_prefix(task_force.pk)}{role}")
    for perm in ROLE_PERMISSIONS[role]:
        assign_perm(perm, group, task_force)
    return group


def agency_lead_group(agency):
    name = f"{group_prefix(agency.task_force_id)}agency:{agency.pk}:leads"
    group, _ = Group.objects.get_or_create(name=name)
    for perm in AGENCY_LEAD_PERMISSIONS:
        assign_perm(perm, group, agency)
    return group


def sync_grants(user, task_force):
    """Make the person's groups in this task force match their active memberships."""
    wanted = set()
    memberships = Membership.objects.active().filter(user=user, task_force=task_force)
    for membership in memberships.select_related("agency"):
        wanted.add(role_group(task_force, membership.role))
        if membership.role == Role.AGENCY_LEAD:
            wanted.add(agency_lead_group(membership.agency))
    current = set(user.groups.filter(name__startswith=group_prefix(task_force.pk)))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))


def rebuild_grants(task_force):
    """Recompute every grant of one task force in bulk (seeding, repairs)."""
    prefix = group_prefix(task_force.pk)
    Through = User.groups.through
    Through.objects.filter(group__name__startswith=prefix).delete()
    rows = []
    memberships = Membership.objects.active().filter(task_force=task_force).select_related("agency")
    groups = {role: role_group(task_force, role) for role in Role.values}
    lead_groups = {}
    for membership in memberships:
        rows.append(Through(user_id=membership.user_id, group_id=groups[membership.role].pk))
        if membership.role == Role.AGENCY_LEAD:
            if membership.agency_id not in lead_groups:
                lead_groups[membership.agency_id] = agency_lead_group(membership.agency)
            rows.append(Through(user_id=membership.user_id, group_id=lead_groups[membership.agency_id].pk))
    Through.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


# --- questions ----------------------------------------------------------------------------


def _checker(user):
    checker = getattr(user, "_access_checker", None)
    if checker is None:
        checker = user._access_checker = ObjectPermissionChecker(user)
    return checker


def has_perm(user, perm, obj):
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return _checker(user).has_perm(perm, obj)


def task_forces_for(user):
    """The task forces the person may open: object grants only, never a model-wide one."""
    if not (user.is_authenticated and user.is_active):
        return TaskForce.objects.none()
    return get_objects_for_user(user, VIEW, klass=TaskForce, accept_global_perms=False)


def can_manage(user, task_force):
    return has_perm(user, MANAGE, task_force)


def can_view_confidential(user, task_force):
    return has_perm(user, CONFIDENTIAL, task_force)


def can_change_agency(user, agency):
    return can_manage(user, agency.task_force) or has_perm(user, "members.change_agency", agency)


def led_agencies(user, task_force):
    """Agencies of this task force whose people the person manages."""
    agencies = task_force.agencies.all()
    if can_manage(user, task_force):
        return agencies
    return agencies.filter(
        memberships__user=user,
        memberships__role=Role.AGENCY_LEAD,
        memberships__ended_on__isnull=True,
    ).distinct()


def can_invite(user, task_force):
    return can_manage(user, task_force) or led_agencies(user, task_force).exists()


def grantable_roles(user, task_force, agency=None):
    """The roles this person may give, for this agency (or for any agency they lead)."""
    if can_manage(user, task_force):
        return list(Role)
    if agency is None:
        return ROLES_A_LEAD_GRANTS if led_agencies(user, task_force).exists() else []
    if agency.task_force_id == task_force.pk and has_perm(user, LEAD_AGENCY, agency):
        return ROLES_A_LEAD_GRANTS
    return []


def can_manage_membership(user, membership):
    """Change the role of, or end, this membership."""
    if can_manage(user, membership.task_force):
        return True
    return (
        membership.role not in LEADERSHIP_ROLES
        and membership.role != Role.AGENCY_LEAD
        and (has_perm(user, LEAD_AGENCY, membership.agency))
    )


def can_change_person(user, task_force, person):
    if user.pk == person.pk or can_manage(user, task_force):
        return True
    return any(
        has_perm(user, LEAD_AGENCY, membership.agency)
        for membership in person.memberships.active().filter(task_force=task_force).select_related("agency")
    )


# --- lookups for views --------------------------------------------------------------------


def get_task_force_for_user(user, slug, perm=VIEW):
    task_force = TaskForce.objects.filter(slug=slug).first()
    if task_force is None or not has_perm(user, VIEW, task_force):
        raise Http404("No such task force.")
    if perm != VIEW and not has_perm(user, perm, task_force):
        raise PermissionDenied
    return task_force


def get_agency_for_user(user, task_force, code, action="view"):
    agency = Agency.objects.filter(task_force=task_force, code=code).first()
    if agency is None:
        raise Http404("No such agency.")
    agency.task_force = task_force
    if action == "change" and not can_change_agency(user, agency):
        raise PermissionDenied
    return agency


def get_person_for_user(user, task_force, code, action="view"):
    """A person who is or was a member of this task force."""
    person = User.objects.filter(code=code, memberships__task_force=task_force).distinct().first()
    if person is None:
        raise Http404("No such person.")
    if action == "change" and not can_change_person(user, task_force, person):
        raise PermissionDenied
    return person


def get_membership_for_user(user, task_force, code, action="view"):
    membership = (
        Membership.objects.filter(task_force=task_force, code=code).select_related("user", "agency").first()
    )
    if membership is None:
        raise Http404("No such membership.")
    membership.task_force = task_force
    if action == "change" and not can_manage_membership(user, membership):
        raise PermissionDenied
    return membership


def get_invitation_for_user(user, task_force, code):
    """An invitation the person may withdraw: to an agency whose people they manage."""
    invitation = Invitation.objects.filter(task_force=task_force, code=code).select_related("agency").first()
    if invitation is None:
        raise Http404("No such invitation.")
    if not led_agencies(user, task_force).filter(pk=invitation.agency_id).exists():
        raise PermissionDenied
    return invitation


# --- meetings -----------------------------------------------------------------------------
# Written against the meetings' attributes, so that members does not import the meetings app.

CORE_ROLES = (Role.COORDINATOR, Role.CO_CHAIR, Role.AGENCY_LEAD)
LAW_ENFORCEMENT_SECTORS = ("law_enforcement",)


class Standing:
    """What one person is in one task force, read once per request: their active memberships."""

    def __init__(self, user, task_force):
        self.user = user
        self.task_force = task_force
        self.manager = can_manage(user, task_force)
        if user.is_authenticated:
            memberships = Membership.objects.active().filter(user=user, task_force=task_force)
            rows = list(memberships.values_list("role", "agency_id", "agency__sector"))
        else:
            rows = []
        self.roles = {role for role, _, _ in rows}
        self.agency_ids = {agency_id for _, agency_id, _ in rows}
        self.led_agency_ids = {agency_id for role, agency_id, _ in rows if role == Role.AGENCY_LEAD}
        self.observer_only = bool(rows) and self.roles == {Role.OBSERVER}
        self.core = self.manager or bool(self.roles & set(CORE_ROLES))
        self.law_enforcement = any(
            sector in LAW_ENFORCEMENT_SECTORS and role != Role.OBSERVER for role, _, sector in rows
        )
        self.confidential = can_view_confidential(user, task_force)
        self.chaired_committee_ids = (
            set(user.committees_chaired.filter(task_force=task_force).values_list("pk", flat=True))
            if user.is_authenticated and rows
            else set()
        )


def standing(user, task_force):
    """The person's standing in the task force, cached on the user for the request."""
    cache = getattr(user, "_standings", None)
    if cache is None:
        cache = user._standings = {}
    if task_force.pk not in cache:
        cache[task_force.pk] = Standing(user, task_force)
    return cache[task_force.pk]


def can_schedule_meetings(user, task_force):
    """Coordinators and co-chairs schedule any meeting; committee chairs their committee's."""
    person = standing(user, task_force)
    return person.manager or bool(person.chaired_committee_ids)


def can_change_meeting(user, meeting):
    person = standing(user, meeting.task_force)
    return person.manager or (
        meeting.committee_id is not None and meeting.committee_id in person.chaired_committee_ids
    )


def visible_meetings(user, task_force, meetings):
    """Filter a queryset of the task force's meetings to those the person may see."""
    person = standing(user, task_force)
    if person.manager:
        return meetings
    shown = Q(confidential=False)
    if not person.observer_only:
        invitees = meetings.model._meta.get_field("invitees").related_model.objects
        shown |= Q(Exists(invitees.filter(meeting=OuterRef("pk"), user=user)))
    if person.chaired_committee_ids:
        shown |= Q(committee__in=person.chaired_committee_ids)
    return meetings.filter(shown)


def can_view_meeting(user, meeting, invited=None):
    """`invited`: whether the person is an invitee, when the caller already knows."""
    person = standing(user, meeting.task_force)
    if person.manager or can_change_meeting(user, meeting):
        return True
    if not meeting.confidential:
        return True
    if person.observer_only:
        return False
    if invited is None:
        invited = meeting.invitees.filter(user=user).exists()
    return invited


def can_see_agenda_item(user, item, meeting):
    """Whether the person may read the item's title, text, notes and files (not only that it exists).
    `item.agency_ids` must be the ids of its named agencies (prefetched by the caller)."""
    person = standing(user, meeting.task_force)
    if person.manager or can_change_meeting(user, meeting):
        return True
    sensitivity = item.sensitivity
    if sensitivity == "all":
        return True
    if person.observer_only:
        return False
    if sensitivity == "core":
        return person.core
    if sensitivity == "law_enforcement":
        return person.law_enforcement
    return bool(person.agency_ids & set(item.agency_ids))


def can_answer_for(user, invitee):
    return invitee.user_id == user.pk


def can_view_action_items(user, task_force):
    return standing(user, task_force).confidential


def can_update_action_item(user, action_item):
    """Change its status: the assignee, their agency's lead, or a coordinator."""
    if action_item.assignee_id == user.pk and user.is_active:
        return standing(user, action_item.task_force).confidential
    return can_manage(user, action_item.task_force) or has_perm(user, LEAD_AGENCY, action_item.agency)


def can_change_action_item(user, action_item):
    """Edit its title, assignee or due date: coordinators, or the chair whose meeting it came from."""
    if can_manage(user, action_item.task_force):
        return True
    return action_item.meeting is not None and can_change_meeting(user, action_item.meeting)


def changeable_meetings(user, task_force, meetings):
    """Filter a queryset of the task force's meetings to those the person may change."""
    person = standing(user, task_force)
    if person.manager:
        return meetings
    return meetings.filter(committee__in=person.chaired_committee_ids)


def _led_agency_ids(user, task_force):
    agencies = Agency.objects.filter(task_force=task_force)
    led = get_objects_for_user(user, LEAD_AGENCY, klass=agencies, accept_global_perms=False)
    return led.values("pk")


def visible_action_items(user, task_force, items):
    """Filter a queryset of the task force's action items to those the person may read: not those
    of a meeting hidden from them, unless the item is theirs or their agency's to update."""
    if not can_view_action_items(user, task_force):
        return items.none()
    if standing(user, task_force).manager:
        return items
    meetings = items.model._meta.get_field("meeting").related_model.objects.filter(task_force=task_force)
    return items.filter(
        Q(meeting__isnull=True)
        | Q(meeting__in=visible_meetings(user, task_force, meetings).values("pk"))
        | Q(assignee=user)
        | Q(agency__in=_led_agency_ids(user, task_force))
    )


def updatable_action_item_ids(user, task_force, items):
    """The ids of the listed items whose status the person may change (can_update_action_item,
    answered for a whole page with one query)."""
    person = standing(user, task_force)
    if person.manager or not items:
        return {item.pk for item in items}
    led = {row["pk"] for row in _led_agency_ids(user, task_force)}
    own = user.is_active and person.confidential
    return {item.pk for item in items if (own and item.assignee_id == user.pk) or item.agency_id in led}


def can_view_trend_briefs(user, task_force):
    """Members only: never observers."""
    person = standing(user, task_force)
    return person.confidential and not person.observer_only


def can_add_trend_brief(user, meeting):
    return can_view_trend_briefs(user, meeting.task_force) and can_view_meeting(user, meeting)


def can_change_trend_brief(user, brief):
    return brief.submitted_by_id == user.pk or can_manage(user, brief.task_force)


def can_manage_committee(user, committee):
    return can_manage(user, committee.task_force) or committee.chair_id == user.pk


# --- protocols ----------------------------------------------------------------------------
# Written against the documents' attributes (status and confidentiality values), like meetings.

PUBLISHED_STATUSES = ("approved", "in_force", "expired", "superseded", "retired")


def can_manage_documents(user, task_force):
    """Coordinators and co-chairs create documents, versions and transitions."""
    return standing(user, task_force).manager


def visible_documents(user, task_force, documents):
    """Filter a queryset of the task force's documents to those the person may read: by their
    confidentiality, and drafts to managers only, documents in review to the core team."""
    person = standing(user, task_force)
    if person.manager:
        return documents
    if not person.roles:
        return documents.none()
    readable = Q(confidentiality="all")
    if not person.observer_only:
        if person.core:
            readable |= Q(confidentiality="core")
        shared = documents.model.shared_with.through.objects.filter(
            document=OuterRef("pk"), agency__in=person.agency_ids
        )
        # A signatory agency reads what it is asked to sign, even if the share list forgot it.
        versions = documents.model._meta.get_field("versions").related_model
        signatories = versions._meta.get_field("signatories").related_model.objects.filter(
            version__document=OuterRef("pk"), agency__in=person.agency_ids
        )
        readable |= Q(confidentiality="agencies") & (
            Q(Exists(shared)) | Q(owner_agency__in=person.agency_ids) | Q(Exists(signatories))
        )
    published = Q(status__in=PUBLISHED_STATUSES)
    if person.core and not person.observer_only:
        published |= Q(status="in_review")
    return documents.filter(readable & published)


def can_view_document(user, document):
    one = type(document).objects.filter(pk=document.pk)
    return visible_documents(user, document.task_force, one).exists()


ALL_VERSION_STATUSES = ("draft", "in_review", *PUBLISHED_STATUSES)


def readable_version_statuses(user, task_force):
    """The statuses of the versions the person may read: drafts are the managers'; a version in
    review is read by the core team who review it."""
    person = standing(user, task_force)
    if person.manager:
        return ALL_VERSION_STATUSES
    if person.core and not person.observer_only:
        return ("in_review", *PUBLISHED_STATUSES)
    return PUBLISHED_STATUSES


def visible_versions(user, document, versions):
    """Filter a queryset of the document's versions to those the person may read."""
    return versions.filter(status__in=readable_version_statuses(user, document.task_force))


def can_view_version(user, version, document):
    return version.status in readable_version_statuses(user, document.task_force)


def can_comment_on_version(user, version, document):
    """Reviewers: the core team (agency leads among them), while the version is in review."""
    person = standing(user, document.task_force)
    return version.status == "in_review" and (person.manager or (person.core and not person.observer_only))


def can_sign_for(user, task_force, agency_id):
    """Only a current lead of the agency signs for it; an admin or a coordinator never signs for
    someone else's agency."""
    return agency_id in standing(user, task_force).led_agency_ids


def get_for_user(queryset, code, *, can_view, can_change=None, action="view", missing="Not found."):
    """The object with this code, if the person may see it (404 otherwise), and change it if
    `action` is "change" (403 otherwise): the one pattern behind every get_<thing>_for_user."""
    obj = queryset.filter(code=code).first()
    if obj is None or not can_view(obj):
        raise Http404(missing)
    if action == "change" and not (can_change or can_view)(obj):
        raise PermissionDenied
    return obj
