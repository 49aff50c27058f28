"""Meetings and series: the list, a meeting's overview, scheduling, editing, cancelling and history.
Its URL patterns are collected by meetings/urls.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView

from members import access
from taskforce.audit import history_rows
from taskforce.forms import STALE_EDIT_MESSAGE, StaleEdit

from .. import recurrence
from ..forms.schedule import (
    CancelMeetingForm,
    MeetingCreateForm,
    MeetingFilterForm,
    MeetingUpdateForm,
    SeriesForm,
)
from ..models import Audience, Invitee, Kind, Meeting
from ..services import schedule as services
from ..visibility import agenda_for
from .base import MeetingMixin, MeetingsSectionMixin

PAGE_SIZE = 25
PAST = "past"


class MeetingList(MeetingsSectionMixin, ListView):
    """Upcoming meetings (or past ones, ?when=past) the reader may see, with their own answer."""

    template_name = "meetings/meeting_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "meetings"

    def get_queryset(self):
        user, task_force = self.request.user, self.task_force
        self.past = self.request.GET.get("when") == PAST
        self.filters = MeetingFilterForm(self.request.GET or None, task_force=task_force)
        meetings = access.visible_meetings(user, task_force, Meeting.objects.filter(task_force=task_force))
        now = timezone.now()
        meetings = meetings.past(now) if self.past else meetings.upcoming(now)
        if self.filters.is_valid():
            data = self.filters.cleaned_data
            if query := data["q"]:
                meetings = meetings.filter(title__icontains=query)
            if data["kind"]:
                meetings = meetings.filter(kind=data["kind"])
            if data["committee"]:
                meetings = meetings.filter(committee=data["committee"])
            if data["series"]:
                meetings = meetings.filter(series=data["series"])
        my_answer = Invitee.objects.filter(meeting=OuterRef("pk"), user=user).values("response")[:1]
        return meetings.select_related("committee", "series").annotate(my_response=Subquery(my_answer))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filters=self.filters, **kwargs)
        labels = dict(Invitee.Response.choices)
        for meeting in context["meetings"]:
            meeting.my_response_label = labels.get(meeting.my_response, "")
        context["section"] = PAST if self.past else "upcoming"
        context["series"] = self.filters.cleaned_data.get("series") if self.filters.is_valid() else None
        context["filtered"] = any(self.request.GET.get(name) for name in ("q", "kind", "committee", "series"))
        return context


class SchedulerMixin(MeetingsSectionMixin):
    """Pages that schedule: coordinators and co-chairs, and committee chairs for their committees."""

    def check_access(self):
        if not access.can_schedule_meetings(self.request.user, self.task_force):
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task_force": self.task_force, "user": self.request.user}

    def get_initial(self):
        initial = {}
        if not access.standing(self.request.user, self.task_force).manager:
            initial.update(kind=Kind.COMMITTEE, audience=Audience.COMMITTEE)
        if (kind := self.request.GET.get("kind")) in Kind.values:
            initial["kind"] = kind
        initial["confidential"] = initial.get("kind") == Kind.CASE
        return initial


class MeetingCreate(SchedulerMixin, FormView):
    form_class = MeetingCreateForm
    template_name = "meetings/meeting_form.html"

    def form_valid(self, form):
        data = form.cleaned_data
        meeting = services.create_meeting(
            task_force=self.task_force,
            organiser=self.request.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            **form.shared_data(),
        )
        messages.success(
            self.request,
            f"“{meeting.title}” is scheduled and the invitations are on their way. Build its agenda next.",
        )
        return redirect(meeting.get_absolute_url())


class SeriesCreate(SchedulerMixin, FormView):
    form_class = SeriesForm
    template_name = "meetings/series_form.html"

    def form_valid(self, form):
        data = form.cleaned_data
        series = services.create_series(
            task_force=self.task_force,
            organiser=self.request.user,
            rule=data["rule"],
            first_date=data["first_date"],
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
            **form.shared_data(),
        )
        count = len(series.occurrences)
        later = sum(not services.invite_now(meeting) for meeting in series.occurrences)
        message = f"{count} meeting{'s' if count != 1 else ''} scheduled: {form.describe()}."
        if later:
            days = services.INVITE_AHEAD.days
            message += f" Invitations go out {days} days before each meeting."
        messages.success(self.request, message)
        url = reverse("meetings:meeting-list", args=[self.task_force.slug])
        return redirect(f"{url}?series={series.code}")


class MeetingDetail(MeetingMixin, TemplateView):
    """The overview tab: details, the agenda in short, the reader's answer and the invitees."""

    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, user = self.meeting, self.request.user
        invitees = list(meeting.invitees.select_related("user", "agency").order_by("user__full_name", "id"))
        for invitee in invitees:
            invitee.meeting = meeting
        agenda_items = agenda_for(user, meeting)
        context.update(
            invitees=invitees,
            my_invitee=next((invitee for invitee in invitees if invitee.user_id == user.pk), None),
            quorum=meeting.quorum(invitees),
            agenda_items=agenda_items,
            agenda_minutes=sum(item.minutes_allotted for item in agenda_items),
            series_description=(
                recurrence.describe(meeting.series.rule, meeting.series.start_time) if meeting.series else ""
            ),
            edit_refusal=services.edit_refusal(meeting),
        )
        return context


class OpenMeetingMixin(MeetingMixin):
    """An organiser's page that only makes sense while the meeting is still to come."""

    meeting_action = "change"

    def refusal(self):
        return services.edit_refusal(self.meeting)

    def get(self, request, *args, **kwargs):
        return self.refused() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refused() or super().post(request, *args, **kwargs)

    def refused(self):
        if refusal := self.refusal():
            messages.error(self.request, refusal)
            return redirect(self.meeting.get_absolute_url())
        return None


class MeetingUpdate(OpenMeetingMixin, FormView):
    form_class = MeetingUpdateForm
    template_name = "meetings/meeting_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.meeting,
            "task_force": self.task_force,
            "user": self.request.user,
        }

    def form_valid(self, form):
        try:
            outcome = services.update_meeting(
                form, apply_to=form.cleaned_data.get("apply_to", services.ONLY_THIS)
            )
        except StaleEdit:
            form.add_error(None, STALE_EDIT_MESSAGE)
            return self.form_invalid(form)
        except services.ScheduleError as error:
            messages.error(self.request, str(error))
            return redirect(self.meeting.get_absolute_url())
        message = "The meeting is saved."
        if outcome.following:
            count = len(outcome.following)
            message += f" {count} later meeting{'s' if count != 1 else ''} of the series changed too."
        if outcome.notified:
            message += " Invitees were sent the new details for their calendars."
        messages.success(self.request, message)
        return redirect(self.meeting.get_absolute_url())


class MeetingCancel(OpenMeetingMixin, FormView):
    form_class = CancelMeetingForm
    template_name = "meetings/meeting_cancel.html"

    def refusal(self):
        return services.cancel_refusal(self.meeting)

    def form_valid(self, form):
        try:
            services.cancel_meeting(self.meeting, reason=form.cleaned_data["reason"])
        except services.ScheduleError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(
                self.request, "The meeting is cancelled. Invitees were told, and their calendars update."
            )
        return redirect(self.meeting.get_absolute_url())


class MeetingHistory(MeetingMixin, TemplateView):
    """Who changed what and when: for the people who manage the meeting, like other audit trails."""

    meeting_action = "change"
    template_name = "meetings/meeting_history.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=history_rows(self.meeting.history.all()), **kwargs)


urlpatterns = [
    path("meetings/", MeetingList.as_view(), name="meeting-list"),
    path("meetings/new/", MeetingCreate.as_view(), name="meeting-create"),
    path("meetings/series/new/", SeriesCreate.as_view(), name="series-create"),
    path("meetings/<uuid:code>/", MeetingDetail.as_view(), name="meeting-detail"),
    path("meetings/<uuid:code>/edit/", MeetingUpdate.as_view(), name="meeting-update"),
    path("meetings/<uuid:code>/cancel/", MeetingCancel.as_view(), name="meeting-cancel"),
    path("meetings/<uuid:code>/history/", MeetingHistory.as_view(), name="meeting-history"),
]
