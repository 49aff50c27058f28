"""Calendar files and personal feeds; its URL patterns are collected by meetings/urls.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from members import access

from ..services import calendar as services
from .attendance import _meeting_in
from .base import MeetingsSectionMixin

CALENDAR_TYPE = "text/calendar; charset=utf-8"


@require_GET
def meeting_ics(request, tf, code):
    """One meeting as an .ics file, for people who add meetings one by one."""
    _, meeting = _meeting_in(request, tf, code)
    response = HttpResponse(services.build_calendar([meeting]), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{services.ics_filename(meeting)}"'
    return response


class CalendarSubscription(MeetingsSectionMixin, TemplateView):
    """The person's own feed address, and how to add it to Outlook or Google Calendar."""

    template_name = "meetings/calendar_subscription.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feed_url = services.feed_url(services.feed_for(self.request.user))
        context["section"] = "calendar"
        context["feed_url"] = feed_url
        context["webcal_url"] = "webcal://" + feed_url.split("://", 1)[1]
        return context


@require_POST
def calendar_reset(request, tf):
    task_force = access.get_task_force_for_user(request.user, tf)
    services.reset_feed(request.user)
    messages.success(
        request,
        "Your calendar has a new address. The old one no longer works: add the new one to your calendar app.",
    )
    return redirect("meetings:calendar-subscription", task_force.slug)


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token):
    """The personal feed a calendar app polls: no session, the signed token names the person."""
    try:
        user = services.feed_owner(token)
    except services.LinkError as error:
        return HttpResponse(str(error), status=error.status, content_type="text/plain; charset=utf-8")
    response = HttpResponse(services.feed_calendar(user), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = 'inline; filename="taskforce-meetings.ics"'
    return response


urlpatterns = [
    path("meetings/<uuid:code>/calendar.ics", meeting_ics, name="meeting-ics"),
    path("calendar/", CalendarSubscription.as_view(), name="calendar-subscription"),
    path("calendar/reset/", calendar_reset, name="calendar-reset"),
]
# Outside any task force (a calendar app fetches these without a session).
public_urlpatterns = [
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
]
