"""Trend briefs of a meeting and the trends page; its URL patterns are collected by meetings/urls.py.

Observers never see trend briefs (403); briefs of meetings the reader may not see do not exist
for them (404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from members import access

from ..forms.trends import TrendBriefForm, TrendFilterForm
from ..models import Indicator, TrendBrief
from ..services import trends as services
from .base import MeetingMixin, MeetingsSectionMixin

PAGE_SIZE = 25
INDICATORS = dict(Indicator.choices)
CANCELLED_MESSAGE = "This meeting was cancelled: share the brief at another meeting."


def require_trend_briefs(user, task_force):
    if not access.can_view_trend_briefs(user, task_force):
        raise PermissionDenied


def get_trend_brief_for_user(user, task_force, code, action="view"):
    """404 unless the brief's meeting is one the person may see; 403 to those who may not change it."""
    require_trend_briefs(user, task_force)
    briefs = TrendBrief.objects.filter(task_force=task_force).select_related(
        "meeting", "meeting__committee", "meeting__organiser", "agency"
    )
    return access.get_for_user(
        briefs,
        code,
        can_view=lambda brief: access.can_view_meeting(user, _with_task_force(brief, task_force).meeting),
        can_change=lambda brief: access.can_change_trend_brief(user, brief),
        action=action,
        missing="No such trend brief.",
    )


def _with_task_force(brief, task_force):
    brief.task_force = brief.meeting.task_force = task_force
    return brief


def reporting_agencies(user, task_force, current=None):
    """The agencies a person may report for: their own; any agency for coordinators."""
    agencies = task_force.agencies.order_by("name", "id")
    if access.can_manage(user, task_force):
        return agencies
    allowed = set(access.standing(user, task_force).agency_ids)
    if current is not None:
        allowed.add(current.agency_id)
    return agencies.filter(pk__in=allowed)


def own_agency(user, task_force):
    """The person's agency, when they serve exactly one: the brief's default reporter."""
    agency_ids = access.standing(user, task_force).agency_ids
    return task_force.agencies.filter(pk__in=agency_ids).first() if len(agency_ids) == 1 else None


class TrendBriefsMixin(MeetingMixin):
    """A trend-brief page of one meeting: members only, and the meeting must be visible."""

    def check_access(self):
        require_trend_briefs(self.request.user, self.task_force)
        super().check_access()


class MeetingTrendBriefs(TrendBriefsMixin, ListView):
    template_name = "meetings/meeting_trend_briefs.html"
    paginate_by = PAGE_SIZE
    context_object_name = "briefs"

    def get_queryset(self):
        return self.meeting.trend_briefs.select_related("agency", "submitted_by").order_by(
            "-period_start", "created_at", "id"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for brief in context["briefs"]:
            brief.task_force = self.task_force
            brief.editable = access.can_change_trend_brief(user, brief)
            brief.indicator_labels = [INDICATORS[value] for value in brief.indicators if value in INDICATORS]
        context["can_add_brief"] = (
            access.can_add_trend_brief(user, self.meeting) and not self.meeting.is_cancelled
        )
        return context


class TrendBriefFormMixin:
    form_class = TrendBriefForm
    template_name = "meetings/trend_brief_form.html"

    def get_form_kwargs(self):
        current = getattr(self, "object", None)
        return {
            **super().get_form_kwargs(),
            "agencies": reporting_agencies(self.request.user, self.task_force, current),
            "default_agency": None if current else own_agency(self.request.user, self.task_force),
            "today": self.task_force.today(),
        }

    def get_success_url(self):
        return reverse("meetings:meeting-trend-briefs", args=[self.task_force.slug, self.meeting.code])


class TrendBriefCreate(TrendBriefsMixin, TrendBriefFormMixin, CreateView):
    def check_access(self):
        super().check_access()
        if not access.can_add_trend_brief(self.request.user, self.meeting):
            raise PermissionDenied

    def form_valid(self, form):
        if self.meeting.is_cancelled:
            form.add_error(None, CANCELLED_MESSAGE)
            return self.form_invalid(form)
        self.object = services.share_trend_brief(
            form.save(commit=False), meeting=self.meeting, by=self.request.user
        )
        messages.success(self.request, "Your trend brief is shared with the task force's members.")
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancelled_message=CANCELLED_MESSAGE, **kwargs)


class TrendBriefUpdate(MeetingsSectionMixin, TrendBriefFormMixin, UpdateView):
    context_object_name = "brief"

    def check_access(self):
        self.object = get_trend_brief_for_user(
            self.request.user, self.task_force, self.kwargs["code"], "change"
        )
        self.meeting = self.object.meeting

    def get_object(self, queryset=None):
        return self.object

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "The trend brief is saved.")
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


@require_POST
def trend_brief_delete(request, tf, code):
    task_force = access.get_task_force_for_user(request.user, tf)
    brief = get_trend_brief_for_user(request.user, task_force, code, "change")
    meeting = brief.meeting
    brief.delete()
    messages.success(request, "The trend brief is deleted.")
    return redirect("meetings:meeting-trend-briefs", task_force.slug, meeting.code)


class Trends(MeetingsSectionMixin, TemplateView):
    template_name = "meetings/trends.html"

    def check_access(self):
        require_trend_briefs(self.request.user, self.task_force)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        briefs = services.visible_trend_briefs(self.request.user, self.task_force)
        years = [day.year for day in briefs.dates("period_start", "year", order="DESC")]
        filters = TrendFilterForm(self.request.GET or None, years=years)
        if filters.is_valid():
            data = filters.cleaned_data
            if data["year"]:
                briefs = briefs.filter(period_start__year=data["year"])
            if data["area"]:
                briefs = briefs.filter(area__icontains=data["area"].strip())
            if data["industry"]:
                briefs = briefs.filter(industry=data["industry"])
        context["filters"] = filters
        context["areas"] = (
            services.visible_trend_briefs(self.request.user, self.task_force)
            .order_by("area")
            .values_list("area", flat=True)
            .distinct()[:200]
        )
        context["trends"] = services.summarise(briefs)
        context["has_briefs"] = bool(years)
        return context


urlpatterns = [
    path("meetings/<uuid:code>/trend-briefs/", MeetingTrendBriefs.as_view(), name="meeting-trend-briefs"),
    path("meetings/<uuid:code>/trend-briefs/new/", TrendBriefCreate.as_view(), name="trend-brief-create"),
    path("trend-briefs/<uuid:code>/edit/", TrendBriefUpdate.as_view(), name="trend-brief-update"),
    path("trend-briefs/<uuid:code>/delete/", trend_brief_delete, name="trend-brief-delete"),
    path("trends/", Trends.as_view(), name="trends"),
]
