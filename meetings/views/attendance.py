"""Invitations, answers and attendance; its URL patterns are collected by meetings/urls.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import FormView

from members import access
from taskforce.errors import ServiceError

from ..forms.attendance import AttendanceForm, InviteForm
from ..services import attendance as services
from ..services.attendance import ATTENDANCE_OPENS, CANCELLED_NO_ATTENDANCE
from ..services.calendar import LinkError
from .base import MeetingMixin, get_meeting_for_user


def _meeting_in(request, tf, code, action="view"):
    """The task force (its time zone active) and the meeting, as MeetingMixin gives them."""
    task_force = access.get_task_force_for_user(request.user, tf)
    timezone.activate(task_force.time_zone)
    meeting = get_meeting_for_user(request.user, task_force, code, action)
    meeting.task_force = task_force
    return task_force, meeting


def _people(count):
    return f"{count} {'person' if count == 1 else 'people'}"


class MeetingInvite(MeetingMixin, FormView):
    meeting_action = "change"
    template_name = "meetings/meeting_invite.html"
    form_class = InviteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task_force": self.task_force, "meeting": self.meeting}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invited_count"] = self.meeting.invitees.count()
        context["window_days"] = services.INVITATION_WINDOW.days
        context["is_past"] = self.meeting.ends_at <= timezone.now()
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            new, skipped = services.invite(
                self.meeting,
                whole=data["whole"],
                committee=data["committee"],
                agencies=data["agencies"],
                people=data["people"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, self._outcome(len(new), skipped))
        return redirect(self.meeting.get_absolute_url())

    def _outcome(self, added, skipped):
        already = (
            f" {_people(skipped)} {'was' if skipped == 1 else 'were'} already invited." if skipped else ""
        )
        if not added:
            return f"Nobody new to invite.{already}"
        now = timezone.now()
        if self.meeting.ends_at <= now:
            email = "No email goes out for a meeting that is over."
        elif self.meeting.starts_at <= now + services.INVITATION_WINDOW:
            email = "They get the invitation email now."
        else:
            email = (
                f"They get the invitation email {services.INVITATION_WINDOW.days} days before the meeting."
            )
        return f"Invited {_people(added)}. {email}{already}"


@require_POST
def rsvp(request, tf, code):
    """The reader answers for themself; htmx swaps the answer box in place."""
    task_force, meeting = _meeting_in(request, tf, code)
    invitee = meeting.invitees.filter(user=request.user).select_related("user", "agency").first()
    if invitee is None or not access.can_answer_for(request.user, invitee):
        raise PermissionDenied
    error = ""
    try:
        services.answer(invitee, request.POST.get("response", ""))
    except ServiceError as problem:
        error = str(problem)
    if request.htmx:
        notice = error or f"Thank you: your answer is {invitee.get_response_display().lower()}."
        context = {
            "task_force": task_force,
            "meeting": meeting,
            "my_invitee": invitee,
            "rsvp_message": notice,
            "rsvp_error": bool(error),
        }
        return render(request, "meetings/_rsvp.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Thank you: your answer is {invitee.get_response_display().lower()}.")
    return redirect(meeting.get_absolute_url())


@login_not_required
@require_http_methods(["GET", "POST"])
def rsvp_answer(request, token):
    """The answer link of an invitation email: GET asks to confirm (link scanners only GET), POST saves."""
    try:
        invitee, response = services.invitee_from_token(token)
    except LinkError as error:
        return render(request, "meetings/rsvp_answer.html", {"reason": str(error)}, status=error.status)
    meeting = invitee.meeting
    timezone.activate(meeting.task_force.time_zone)
    context = {
        "invitee": invitee,
        "meeting": meeting,
        "task_force": meeting.task_force,
        "response": response,
        "response_label": invitee.Response(response).label,
    }
    if reason := services.closed_reason(meeting):
        context["problem"] = reason
    elif request.method == "POST":
        try:
            services.answer(invitee, response)
        except ServiceError as error:
            context["problem"] = str(error)
        else:
            context["saved"] = True
    return render(request, "meetings/rsvp_answer.html", context)


@require_POST
def nudge(request, tf, code):
    _, meeting = _meeting_in(request, tf, code, "change")
    try:
        count = services.nudge(meeting)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        if count:
            messages.success(request, f"A reminder is on its way to {_people(count)} who have not answered.")
        else:
            messages.info(
                request, "Nobody to remind: everyone has answered, or was reminded in the last 24 hours."
            )
    return redirect(meeting.get_absolute_url())


class MeetingAttendance(MeetingMixin, FormView):
    """The attendance sheet: present / absent / excused per invitee, saved at once."""

    meeting_action = "change"
    template_name = "meetings/meeting_attendance.html"
    form_class = AttendanceForm

    def check_access(self):
        super().check_access()
        self.meeting.task_force = self.task_force
        self.invitees = list(self.meeting.invitees.select_related("user", "agency"))

    def get(self, request, *args, **kwargs):
        if self.meeting.is_cancelled or not self.meeting.has_begun():
            messages.info(
                request,
                CANCELLED_NO_ATTENDANCE if self.meeting.is_cancelled else ATTENDANCE_OPENS,
            )
            return redirect(self.meeting.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "invitees": self.invitees}
        if self.request.method == "GET" and self.request.GET.get("prefill") == "yes":
            kwargs["initial"] = services.yes_as_present(self.invitees)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitees"] = self.invitees
        context["quorum"] = self.meeting.quorum(self.invitees)
        context["prefilled"] = self.request.GET.get("prefill") == "yes"
        context["yes_count"] = sum(invitee.response == "yes" for invitee in self.invitees)
        return context

    def form_valid(self, form):
        try:
            services.record_attendance(self.meeting, form.attendance())
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Attendance saved. The quorum below counts it.")
        return redirect("meetings:meeting-attendance", self.task_force.slug, self.meeting.code)


urlpatterns = [
    path("meetings/<uuid:code>/invite/", MeetingInvite.as_view(), name="meeting-invite"),
    path("meetings/<uuid:code>/answer/", rsvp, name="meeting-rsvp"),
    path("meetings/<uuid:code>/nudge/", nudge, name="meeting-nudge"),
    path("meetings/<uuid:code>/attendance/", MeetingAttendance.as_view(), name="meeting-attendance"),
]
# Outside any task force (the answer links in invitation emails).
public_urlpatterns = [
    path("meetings/answer/<str:token>/", rsvp_answer, name="rsvp-answer"),
]
