"""Decisions and votes, the decisions log and action items; URL patterns collected by meetings/urls.py."""

import uuid
from collections import defaultdict
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Prefetch, Q, Value, When
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from members import access
from members.models import Agency, User
from taskforce.audit import history_rows
from taskforce.errors import ServiceError
from taskforce.views import VersionedUpdateMixin

from ..forms.records import (
    ActionItemFilterForm,
    ActionItemForm,
    ActionItemStatusForm,
    DecisionFilterForm,
    DecisionForm,
)
from ..models import ActionItem, Decision, Meeting, Vote
from ..services import records
from .base import MeetingMixin, MeetingsSectionMixin, get_meeting_for_user

PAGE_SIZE = 25
RECENTLY_CLOSED = 10


def _votes_by_choice(decision):
    """{"for": [agency names], ...} from the decision's prefetched votes."""
    grouped = defaultdict(list)
    for vote in decision.votes.all():
        grouped[vote.choice].append(vote.agency.name)
    return [(choice, label, grouped[choice]) for choice, label in Vote.Choice.choices]


def _decisions_with_votes(decisions):
    return records.with_tallies(decisions).prefetch_related(
        Prefetch("votes", queryset=Vote.objects.select_related("agency").order_by("agency__name", "id"))
    )


# --- decisions ----------------------------------------------------------------------------


class MeetingDecisions(MeetingMixin, ListView):
    template_name = "meetings/meeting_decisions.html"
    context_object_name = "decisions"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        decisions = self.meeting.decisions.select_related("moved_by", "seconded_by", "approves_minutes_of")
        return _decisions_with_votes(decisions).order_by("created_at", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for decision in context["decisions"]:
            decision.votes_by_choice = _votes_by_choice(decision)
        context["can_record"] = (
            context["can_change_meeting"] and not self.meeting.is_cancelled and self.meeting.has_begun()
        )
        context["approval"] = (
            Decision.objects.filter(approves_minutes_of=self.meeting).select_related("meeting").first()
        )
        return context


class DecisionCreate(MeetingMixin, FormView):
    meeting_action = "change"
    form_class = DecisionForm
    template_name = "meetings/decision_form.html"

    def closed_reason(self):
        if self.meeting.is_cancelled:
            return "This meeting was cancelled, so it took no decisions."
        if not self.meeting.has_begun():
            return "Decisions are recorded at the meeting: from 30 minutes before it starts."
        return ""

    def get(self, request, *args, **kwargs):
        return self.refuse_when_closed() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse_when_closed() or super().post(request, *args, **kwargs)

    def refuse_when_closed(self):
        if reason := self.closed_reason():
            messages.error(self.request, reason)
            return redirect("meetings:meeting-decisions", self.task_force.slug, self.meeting.code)
        return None

    def get_form_kwargs(self):
        self.meeting.task_force = self.task_force
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            decision = records.record_decision(
                by=self.request.user,
                meeting=self.meeting,
                motion=data["motion"],
                result=data["result"],
                moved_by=data["moved_by"],
                seconded_by=data["seconded_by"],
                approves_minutes_of=data["approves_minutes_of"],
                votes=form.votes(),
            )
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        summary = decision.get_result_display().lower()
        votes = form.votes()
        if votes:
            counts = {choice: sum(1 for _, c in votes if c == choice) for choice in Vote.Choice.values}
            summary += f" ({counts['for']} for, {counts['against']} against, {counts['abstain']} abstaining)"
        if decision.approves_minutes_of_id:
            summary += f"; the minutes of “{decision.approves_minutes_of.title}” are approved"
        messages.success(self.request, f"The decision is recorded: {summary}.")
        return redirect("meetings:meeting-decisions", self.task_force.slug, self.meeting.code)


class DecisionLog(MeetingsSectionMixin, ListView):
    """Every decision of the meetings the reader may see: the task force's memory."""

    template_name = "meetings/decision_log.html"
    context_object_name = "decisions"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        task_force, user = self.task_force, self.request.user
        meetings = access.visible_meetings(user, task_force, Meeting.objects.filter(task_force=task_force))
        decisions = Decision.objects.filter(meeting__in=meetings.values("pk"))
        years = decisions.datetimes("meeting__starts_at", "year", order="DESC")
        self.filters = DecisionFilterForm(self.request.GET or None, years=[moment.year for moment in years])
        if self.filters.is_valid():
            data = self.filters.cleaned_data
            if data["q"]:
                decisions = decisions.filter(motion__icontains=data["q"].strip())
            if data["result"]:
                decisions = decisions.filter(result=data["result"])
            if data["year"]:
                decisions = decisions.filter(meeting__starts_at__year=data["year"])
        decisions = decisions.select_related("meeting", "approves_minutes_of")
        return records.with_tallies(decisions).order_by("-meeting__starts_at", "-created_at", "-id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(filters=self.filters, **kwargs)


class DecisionDetail(MeetingsSectionMixin, DetailView):
    template_name = "meetings/decision_detail.html"
    context_object_name = "decision"

    def get_object(self, queryset=None):
        user, task_force = self.request.user, self.task_force
        decisions = Decision.objects.filter(meeting__task_force=task_force).select_related(
            "meeting__committee", "moved_by", "seconded_by", "approves_minutes_of", "recorded_by"
        )

        def can_view(decision):
            decision.meeting.task_force = task_force
            return access.can_view_meeting(user, decision.meeting)

        decision = access.get_for_user(
            _decisions_with_votes(decisions),
            self.kwargs["code"],
            can_view=can_view,
            missing="No such decision.",
        )
        decision.votes_by_choice = _votes_by_choice(decision)
        return decision


# --- action items -------------------------------------------------------------------------


def get_action_item_for_user(user, task_force, code, can=None):
    """The action item, if the person may read it (404 otherwise, 403 for observers), and may do
    what `can(user, item)` asks (403 otherwise)."""
    if not access.can_view_action_items(user, task_force):
        raise PermissionDenied
    items = ActionItem.objects.filter(task_force=task_force).select_related(
        "assignee", "agency", "meeting__committee", "created_by"
    )
    item = access.get_for_user(
        access.visible_action_items(user, task_force, items),
        code,
        can_view=lambda item: True,
        missing="No such action item.",
    )
    item.task_force = task_force
    if item.meeting is not None:
        item.meeting.task_force = task_force
    if can is not None and not can(user, item):
        raise PermissionDenied
    return item


def _open_first(items):
    closed = Case(When(status__in=ActionItem.OPEN_STATUSES, then=Value(0)), default=Value(1))
    return items.annotate(closed=closed).order_by("closed", "due_on", "id")


class ActionItemsMixin(MeetingsSectionMixin):
    """A page of action items: members, leads and coordinators; never observers."""

    def check_access(self):
        if not access.can_view_action_items(self.request.user, self.task_force):
            raise PermissionDenied
        super().check_access()

    def visible_items(self):
        items = ActionItem.objects.filter(task_force=self.task_force).select_related(
            "assignee", "agency", "meeting"
        )
        return access.visible_action_items(self.request.user, self.task_force, items)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = self.task_force.today()
        page = context.get("page_obj")
        rows = list(page.object_list) if page is not None else []
        context["updatable"] = access.updatable_action_item_ids(self.request.user, self.task_force, rows)
        context["can_add_action_item"] = access.can_manage(self.request.user, self.task_force)
        return context


class MeetingActionItems(ActionItemsMixin, MeetingMixin, ListView):
    template_name = "meetings/meeting_action_items.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return _open_first(self.visible_items().filter(meeting=self.meeting))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add_action_item"] = context["can_change_meeting"]
        return context


class ActionItemList(ActionItemsMixin, ListView):
    template_name = "meetings/action_item_list.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filters = ActionItemFilterForm(self.request.GET or None, task_force=self.task_force)
        items = self.visible_items()
        if self.filters.is_valid():
            data = self.filters.cleaned_data
            if query := data["q"].strip():
                items = items.filter(Q(title__icontains=query) | Q(description__icontains=query))
            if data["status"] == "open_any":
                items = items.open()
            elif data["status"]:
                items = items.filter(status=data["status"])
            if data["agency"]:
                items = items.filter(agency=data["agency"])
            if data["assignee"]:
                items = items.filter(assignee=data["assignee"])
        return _open_first(items)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filters=self.filters, **kwargs)


class ActionItemOverdue(ActionItemsMixin, ListView):
    template_name = "meetings/action_item_list.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE
    extra_context = {"overdue": True}

    def get_queryset(self):
        return self.visible_items().overdue(self.task_force.today()).order_by("due_on", "id")


class ActionItemMine(ActionItemsMixin, ListView):
    """The reader's own open items by due date, then what they finished or dropped lately."""

    template_name = "meetings/action_item_list.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE
    extra_context = {"mine": True}

    def get_queryset(self):
        return self.visible_items().filter(assignee=self.request.user).open().order_by("due_on", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        closed = list(
            self.visible_items()
            .filter(assignee=self.request.user)
            .exclude(status__in=ActionItem.OPEN_STATUSES)
            .order_by("-updated_at", "-id")[:RECENTLY_CLOSED]
        )
        context["closed_items"] = closed
        context["updatable"] |= access.updatable_action_item_ids(self.request.user, self.task_force, closed)
        return context


class ActionItemFormMixin:
    form_class = ActionItemForm
    template_name = "meetings/action_item_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "task_force": self.task_force,
            "user": self.request.user,
            "meeting_required": not access.can_manage(self.request.user, self.task_force),
        }

    def get_success_url(self):
        return reverse("meetings:action-item-detail", args=[self.task_force.slug, self.object.code])


class ActionItemCreate(ActionItemFormMixin, ActionItemsMixin, CreateView):
    """Coordinators and co-chairs; with ?meeting=<code>, also whoever organises that meeting."""

    def check_access(self):
        super().check_access()
        code = self.request.GET.get("meeting")
        self.meeting = None
        if code:
            try:
                code = uuid.UUID(code)
            except ValueError as error:
                raise Http404("No such meeting.") from error
            self.meeting = get_meeting_for_user(self.request.user, self.task_force, code, "change")
        elif not access.can_manage(self.request.user, self.task_force):
            raise PermissionDenied

    def get_initial(self):
        return {"meeting": self.meeting, "due_on": self.task_force.today() + timedelta(days=14)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def form_valid(self, form):
        form.instance.task_force = self.task_force
        form.instance.created_by = self.request.user
        self.object = form.save()
        messages.success(
            self.request,
            f"“{self.object.title}” is assigned to {self.object.assignee}, "
            f"due {self.object.due_on:%d %b %Y}.",
        )
        if self.object.meeting_id:
            return redirect("meetings:meeting-action-items", self.task_force.slug, self.object.meeting.code)
        return redirect(self.get_success_url())


class ActionItemObjectMixin(ActionItemsMixin):
    context_object_name = "item"
    can = None

    def get_object(self, queryset=None):
        return get_action_item_for_user(self.request.user, self.task_force, self.kwargs["code"], self.can)


class ActionItemDetail(ActionItemObjectMixin, DetailView):
    template_name = "meetings/action_item_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, item = self.request.user, self.object
        context["can_update"] = access.can_update_action_item(user, item)
        context["updatable"] = {item.pk} if context["can_update"] else set()
        context["can_change"] = access.can_change_action_item(user, item)
        context["rows"] = _named_history(history_rows(item.history.select_related("agency")))
        return context


class ActionItemUpdate(ActionItemFormMixin, ActionItemObjectMixin, VersionedUpdateMixin, UpdateView):
    can = staticmethod(access.can_change_action_item)
    success_message = "The action item is saved."


def _named_history(rows):
    """Show people and agencies in an item's history by name rather than by number."""
    ids = defaultdict(set)
    for row in rows:
        for field, old, new in row["changes"]:
            if field in ("assignee", "agency"):
                ids[field].update(value for value in (old, new) if isinstance(value, int))
    names = {
        "assignee": {u.pk: str(u) for u in User.objects.filter(pk__in=ids["assignee"])}
        if ids["assignee"]
        else {},
        "agency": dict(Agency.objects.filter(pk__in=ids["agency"]).values_list("pk", "name"))
        if ids["agency"]
        else {},
    }
    for row in rows:
        row["changes"] = [
            (field, names.get(field, {}).get(old, old), names.get(field, {}).get(new, new))
            for field, old, new in row["changes"]
        ]
    return rows


@require_POST
def action_item_status(request, tf, code):
    """Change an action item's status: the assignee, their agency's lead or a coordinator.
    With htmx the row comes back re-rendered in place; without, the page it came from reloads."""
    task_force = access.get_task_force_for_user(request.user, tf)
    timezone.activate(task_force.time_zone)
    item = get_action_item_for_user(request.user, task_force, code, access.can_update_action_item)
    form = ActionItemStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Choose open, in progress, done or dropped as the status.", content_type="text/plain"
        )
    try:
        item, changed = records.set_action_item_status(
            by=request.user, item=item, status=form.cleaned_data["status"]
        )
    except ServiceError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain")
    message = f"“{item.title}” is now {item.get_status_display().lower()}." if changed else "No change."
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = reverse("meetings:action-item-detail", args=[task_force.slug, item.code])
    if request.htmx:
        item = get_action_item_for_user(request.user, task_force, code)
        context = {
            "task_force": task_force,
            "item": item,
            "today": task_force.today(),
            "updatable": {item.pk},
            "show_meeting": request.POST.get("show_meeting") == "1",
            "status_message": message,
            "next": back,
        }
        return render(request, "meetings/_action_item_row.html", context)
    messages.success(request, message)
    return redirect(back)


urlpatterns = [
    path("meetings/<uuid:code>/decisions/", MeetingDecisions.as_view(), name="meeting-decisions"),
    path("meetings/<uuid:code>/decisions/new/", DecisionCreate.as_view(), name="decision-create"),
    path("decisions/", DecisionLog.as_view(), name="decision-log"),
    path("decisions/<uuid:code>/", DecisionDetail.as_view(), name="decision-detail"),
    path("meetings/<uuid:code>/action-items/", MeetingActionItems.as_view(), name="meeting-action-items"),
    path("action-items/", ActionItemList.as_view(), name="action-item-list"),
    path("action-items/overdue/", ActionItemOverdue.as_view(), name="action-item-overdue"),
    path("action-items/mine/", ActionItemMine.as_view(), name="action-item-mine"),
    path("action-items/new/", ActionItemCreate.as_view(), name="action-item-create"),
    path("action-items/<uuid:code>/", ActionItemDetail.as_view(), name="action-item-detail"),
    path("action-items/<uuid:code>/edit/", ActionItemUpdate.as_view(), name="action-item-update"),
    path("action-items/<uuid:code>/status/", action_item_status, name="action-item-status"),
]
