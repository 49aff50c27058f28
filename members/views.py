from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from taskforce.audit import history_rows
from taskforce.models import SignInEvent
from taskforce.views import TaskForceMixin, VersionedUpdateMixin

from . import access, services
from .forms import (
    AcceptInvitationForm,
    AgencyFilterForm,
    AgencyForm,
    CommitteeForm,
    EndMembershipForm,
    InvitationForm,
    PersonFilterForm,
    PersonForm,
    RoleForm,
)
from .models import Committee, Invitation, Membership, User

PAGE_SIZE = 25


# --- agencies -----------------------------------------------------------------------------


class AgencyList(TaskForceMixin, ListView):
    template_name = "members/agency_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "agencies"

    def get_queryset(self):
        self.filters = AgencyFilterForm(self.request.GET or None)
        agencies = self.task_force.agencies.annotate(
            people=Count("memberships", filter=Q(memberships__ended_on__isnull=True))
        )
        if self.filters.is_valid():
            if query := self.filters.cleaned_data["q"]:
                agencies = agencies.filter(name__icontains=query)
            if sector := self.filters.cleaned_data["sector"]:
                agencies = agencies.filter(sector=sector)
        return agencies.order_by("name", "id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(filters=self.filters, **kwargs)


class AgencyMixin(TaskForceMixin):
    action = "view"

    def get_object(self, queryset=None):
        return access.get_agency_for_user(
            self.request.user, self.task_force, self.kwargs["code"], self.action
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = access.can_change_agency(self.request.user, self.object)
        return context


class AgencyDetail(AgencyMixin, DetailView):
    template_name = "members/agency_detail.html"
    context_object_name = "agency"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = (
            self.object.memberships.active().select_related("user").order_by("user__full_name", "id")
        )
        context["can_view_contacts"] = access.can_view_confidential(self.request.user, self.task_force)
        return context


class AgencyCreate(TaskForceMixin, CreateView):
    permission = access.MANAGE
    form_class = AgencyForm
    template_name = "members/agency_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task_force": self.task_force}

    def form_valid(self, form):
        form.instance.task_force = self.task_force
        response = super().form_valid(form)
        messages.success(self.request, f"{self.object.name} is added. Invite its people next.")
        return response


class AgencyUpdate(AgencyMixin, VersionedUpdateMixin, UpdateView):
    action = "change"
    form_class = AgencyForm
    template_name = "members/agency_form.html"
    success_message = "The agency's details are saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task_force": self.task_force}


class AgencyHistory(AgencyMixin, DetailView):
    template_name = "members/agency_history.html"
    context_object_name = "agency"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = history_rows(self.object.history.all())
        return context


# --- people -------------------------------------------------------------------------------


class PersonList(TaskForceMixin, ListView):
    """The directory: one row per active membership (a person may serve two agencies)."""

    template_name = "members/person_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "memberships"

    def get_queryset(self):
        self.filters = PersonFilterForm(self.request.GET or None, task_force=self.task_force)
        memberships = Membership.objects.active().filter(task_force=self.task_force)
        if self.filters.is_valid():
            data = self.filters.cleaned_data
            if query := data["q"]:
                memberships = memberships.filter(
                    Q(user__full_name__icontains=query)
                    | Q(user__email__icontains=query)
                    | Q(user__job_title__icontains=query)
                )
            if data["agency"]:
                memberships = memberships.filter(agency=data["agency"])
            if data["role"]:
                memberships = memberships.filter(role=data["role"])
        return memberships.select_related("user", "agency").order_by("user__full_name", "user_id", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filters=self.filters, **kwargs)
        context["can_invite"] = access.can_invite(self.request.user, self.task_force)
        context["can_view_contacts"] = access.can_view_confidential(self.request.user, self.task_force)
        return context


class PersonMixin(TaskForceMixin):
    action = "view"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return access.get_person_for_user(
            self.request.user, self.task_force, self.kwargs["code"], self.action
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = access.can_change_person(self.request.user, self.task_force, self.object)
        return context


class PersonDetail(PersonMixin, DetailView):
    template_name = "members/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        memberships = list(
            self.object.memberships.filter(task_force=self.task_force)
            .select_related("agency")
            .order_by("ended_on", "-started_on")
        )
        for membership in memberships:
            membership.manageable = membership.is_active and access.can_manage_membership(
                self.request.user, membership
            )
        context["memberships"] = memberships
        context["can_view_contacts"] = (
            access.can_view_confidential(self.request.user, self.task_force)
            or self.request.user.pk == self.object.pk
        )
        return context


class PersonUpdate(PersonMixin, VersionedUpdateMixin, UpdateView):
    action = "change"
    form_class = PersonForm
    template_name = "members/person_form.html"
    success_message = "The person's details are saved."

    def get_success_url(self):
        return reverse("members:person-detail", args=[self.task_force.slug, self.object.code])


class PersonHistory(PersonMixin, DetailView):
    template_name = "members/person_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = history_rows(
            self.object.history.all(),
            Membership.history.filter(
                user_id=self.object.pk, task_force_id=self.task_force.pk
            ).select_related("agency"),
        )
        if context["can_manage"]:  # coordinators read the sign-in trail
            context["sign_ins"] = SignInEvent.objects.filter(user=self.object)[:20]
        return context


# --- memberships --------------------------------------------------------------------------


class MembershipFormView(TaskForceMixin, FormView):
    """A form that changes one membership; the service decides, the form reports."""

    def check_access(self):
        self.membership = access.get_membership_for_user(
            self.request.user, self.task_force, self.kwargs["code"], "change"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.membership, **kwargs)

    def get_success_url(self):
        return reverse("members:person-detail", args=[self.task_force.slug, self.membership.user.code])

    def form_valid(self, form):
        try:
            self.change(form.cleaned_data)
        except services.ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect(self.get_success_url())


class MembershipRoleChange(MembershipFormView):
    form_class = RoleForm
    template_name = "members/membership_role_form.html"

    def get_form_kwargs(self):
        roles = access.grantable_roles(self.request.user, self.task_force, self.membership.agency)
        return {
            **super().get_form_kwargs(),
            "roles": roles,
            "initial": {"role": self.membership.role},
        }

    def change(self, data):
        membership = services.change_role(by=self.request.user, membership=self.membership, role=data["role"])
        messages.success(self.request, f"{membership.user} is now {membership.get_role_display()}.")


class MembershipEnd(MembershipFormView):
    form_class = EndMembershipForm
    template_name = "members/membership_end_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "membership": self.membership}

    def change(self, data):
        services.end_membership(
            by=self.request.user,
            membership=self.membership,
            ended_on=data["ended_on"],
            reason=data["reason"],
            handover_to=data["handover_to"],
        )
        messages.success(
            self.request,
            f"{self.membership.user}'s membership for {self.membership.agency} has ended; "
            "their access to this task force ended with it.",
        )


# --- invitations --------------------------------------------------------------------------


class InvitationMixin(TaskForceMixin):
    def check_access(self):
        if not access.can_invite(self.request.user, self.task_force):
            raise PermissionDenied


class InvitationCreate(InvitationMixin, FormView):
    form_class = InvitationForm
    template_name = "members/invitation_form.html"

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "agencies": access.led_agencies(user, self.task_force).order_by("name"),
            "roles": access.grantable_roles(user, self.task_force),
        }

    def get_initial(self):
        agency = self.task_force.agencies.filter(code=self.request.GET.get("agency") or None).first()
        return {"agency": agency}

    def form_valid(self, form):
        try:
            invitation = services.invite(
                by=self.request.user, task_force=self.task_force, **form.cleaned_data
            )
        except services.ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"An invitation is on its way to {invitation.email}. "
            f"Its link works once, for {settings.INVITATION_VALID_DAYS} days.",
        )
        return redirect("members:invitation-list", self.task_force.slug)


class InvitationList(InvitationMixin, ListView):
    template_name = "members/invitation_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "invitations"

    def get_queryset(self):
        agencies = access.led_agencies(self.request.user, self.task_force)
        return (
            Invitation.objects.filter(task_force=self.task_force, agency__in=agencies)
            .select_related("agency", "invited_by", "accepted_by")
            .order_by("-created_at", "-id")
        )


@require_POST
def invitation_revoke(request, tf, code):
    task_force = access.get_task_force_for_user(request.user, tf)
    invitation = access.get_invitation_for_user(request.user, task_force, code)
    try:
        services.revoke_invitation(by=request.user, invitation=invitation)
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"The invitation to {invitation.email} is withdrawn; its link no longer works."
        )
    return redirect("members:invitation-list", task_force.slug)


@login_not_required
def accept_invitation(request, token):
    """The invitee's one-time link: set a password (or sign in) and join."""
    try:
        invitation = services.invitation_from_token(token)
    except services.ServiceError as error:
        return render(request, "members/invitation_invalid.html", {"reason": str(error)}, status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        return _accept_as_existing_user(request, invitation, existing)
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.ServiceError as error:
            return render(request, "members/invitation_invalid.html", {"reason": str(error)}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to {invitation.task_force}.")
        return redirect(invitation.task_force)
    return render(request, "members/invitation_accept.html", {"invitation": invitation, "form": form})


def _accept_as_existing_user(request, invitation, existing):
    if not request.user.is_authenticated or request.user.pk != existing.pk:
        return render(request, "members/invitation_sign_in.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, user=request.user)
        except services.ServiceError as error:
            return render(request, "members/invitation_invalid.html", {"reason": str(error)}, status=410)
        messages.success(request, f"You have joined {invitation.task_force}.")
        return redirect(invitation.task_force)
    return render(request, "members/invitation_accept.html", {"invitation": invitation, "form": None})


# --- own profile --------------------------------------------------------------------------


class Profile(VersionedUpdateMixin, UpdateView):
    form_class = PersonForm
    template_name = "members/profile.html"
    success_message = "Your profile is saved."

    def get_object(self, queryset=None):
        return User.objects.get(pk=self.request.user.pk)

    def get_success_url(self):
        return reverse("profile")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = (
            self.request.user.memberships.active()
            .select_related("task_force", "agency")
            .order_by("task_force__name", "agency__name")
        )
        return context


# --- committees ---------------------------------------------------------------------------


def get_committee_for_user(user, task_force, code, action="view"):
    """Everyone in the task force sees its committees; coordinators and the chair change one."""
    committees = Committee.objects.filter(task_force=task_force).select_related("chair")
    return access.get_for_user(
        committees,
        code,
        can_view=lambda committee: _in_task_force(committee, task_force),
        can_change=lambda committee: access.can_manage_committee(user, committee),
        action=action,
        missing="No such committee.",
    )


def _in_task_force(committee, task_force):
    committee.task_force = task_force
    return True


class CommitteeList(TaskForceMixin, ListView):
    template_name = "members/committee_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "committees"

    def get_queryset(self):
        return (
            self.task_force.committees.select_related("chair")
            .annotate(member_count=Count("members", distinct=True))
            .order_by("name", "id")
        )


class CommitteeMixin(TaskForceMixin):
    action = "view"
    context_object_name = "committee"

    def get_object(self, queryset=None):
        return get_committee_for_user(self.request.user, self.task_force, self.kwargs["code"], self.action)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = access.can_manage_committee(self.request.user, self.object)
        return context


class CommitteeDetail(CommitteeMixin, DetailView):
    template_name = "members/committee_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        active = Membership.objects.active().filter(task_force=self.task_force)
        agencies = Prefetch(
            "memberships",
            queryset=active.select_related("agency").order_by("agency__name", "id"),
            to_attr="active_memberships",
        )
        members = list(self.object.members.order_by("full_name", "id").prefetch_related(agencies))
        chair = self.object.chair
        if chair is not None:
            chair = next((person for person in members if person.pk == chair.pk), None) or (
                User.objects.filter(pk=chair.pk).prefetch_related(agencies).first()
            )
        context["chair"] = chair
        context["members"] = members
        return context


class CommitteeCreate(TaskForceMixin, CreateView):
    permission = access.MANAGE
    form_class = CommitteeForm
    template_name = "members/committee_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task_force": self.task_force}

    def form_valid(self, form):
        form.instance.task_force = self.task_force
        try:
            self.object = form.save()
        except IntegrityError:  # the same name saved a moment ago by someone else
            form.add_error("name", "This task force already has a committee with this name.")
            return self.form_invalid(form)
        messages.success(self.request, f"The {self.object.name} committee is set up.")
        return redirect(self.object)


class CommitteeUpdate(CommitteeMixin, VersionedUpdateMixin, UpdateView):
    action = "change"
    form_class = CommitteeForm
    template_name = "members/committee_form.html"
    success_message = "The committee is saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task_force": self.task_force}

    def get_success_url(self):
        return self.object.get_absolute_url()
