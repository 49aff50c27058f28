"""iCalendar for meetings: one builder behind the .ics download, the personal feed and the emails."""

from datetime import UTC, timedelta

from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from members.models import Membership, Role, User, site_url
from taskforce.errors import ServiceError

from ..models import CalendarFeed, Meeting

PRODID = "-//Taskforce//Meetings//EN"
PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"
FEED_SALT = "meetings.calendar-feed"
FEED_HISTORY = timedelta(days=60)
PARTSTAT = {"pending": "NEEDS-ACTION", "yes": "ACCEPTED", "no": "DECLINED", "maybe": "TENTATIVE"}


def build_calendar(meetings, *, method=PUBLISH, attendee=None, name=None):
    """A VCALENDAR with one VEVENT per meeting. `attendee` (an Invitee) is named with RSVP=TRUE, for
    the REQUEST sent to that person. Each meeting needs task_force and organiser loaded. The agenda
    is never included, and a confidential meeting's description stays on the site."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now().astimezone(UTC)
    for meeting in meetings:
        calendar.add_component(_event(meeting, method, attendee, stamp))
    return calendar.to_ical()


def _event(meeting, method, attendee, stamp):
    url = site_url(meeting.get_absolute_url())
    cancelled = meeting.is_cancelled or method == CANCEL
    event = Event()
    event.add("uid", meeting.ical_uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.title)
    location = " · ".join(part for part in (meeting.place, meeting.video_link) if part)
    if location:
        event.add("location", location)
    event.add("description", _description(meeting, url))
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    organiser = vCalAddress(f"mailto:{meeting.organiser.email}")
    organiser.params["cn"] = vText(meeting.organiser.full_name or meeting.organiser.email)
    event.add("organizer", organiser)
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.user.email}")
        address.params["cn"] = vText(attendee.user.full_name or attendee.user.email)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText(PARTSTAT.get(attendee.response, "NEEDS-ACTION"))
        address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address)
    return event


def _description(meeting, url):
    lines = []
    if meeting.is_cancelled:
        lines.append(
            "This meeting is cancelled." + (f" {meeting.cancel_reason}" if meeting.cancel_reason else "")
        )
    if meeting.description and not meeting.confidential:
        lines.append(meeting.description)
    if meeting.video_link:
        lines.append(f"Join online: {meeting.video_link}")
    lines.append(f"Agenda, papers and your answer: {url}")
    return "\n\n".join(lines)


def ics_filename(meeting):
    return f"meeting-{timezone.localtime(meeting.starts_at):%Y-%m-%d}-{str(meeting.code)[:8]}.ics"


# --- personal feed ------------------------------------------------------------------------


class LinkError(ServiceError):
    """A link from an email or a calendar app that cannot be used; `status` is the HTTP answer."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def feed_for(user):
    return CalendarFeed.objects.get_or_create(user=user)[0]


def feed_token(feed):
    # No timestamp in it: the address stays the same until the person resets it.
    return signing.Signer(salt=FEED_SALT).sign_object([feed.user.code.hex, feed.generation])


def feed_url(feed):
    return site_url(reverse("meetings-public:calendar-feed", args=[feed_token(feed)]))


def reset_feed(user):
    """A new secret address: every earlier one stops working."""
    feed = feed_for(user)
    CalendarFeed.objects.filter(pk=feed.pk).update(generation=F("generation") + 1)
    feed.refresh_from_db(fields=["generation"])
    return feed


def feed_owner(token):
    """The person whose feed the token opens; LinkError 404 for a forged token, 410 for a reset one."""
    try:
        code, generation = signing.Signer(salt=FEED_SALT).unsign_object(token)
        feed = CalendarFeed.objects.select_related("user").get(user__code=code)
    except (signing.BadSignature, ValueError, TypeError, CalendarFeed.DoesNotExist) as error:
        raise LinkError("No such calendar feed.", 404) from error
    if feed.generation != generation or not feed.user.is_active:
        raise LinkError("This calendar address was reset. Copy the new one from Taskforce.", 410)
    return feed.user


def feed_meetings(user, now=None):
    """Meetings the person is invited to, from FEED_HISTORY ago, in every task force where they are
    still an active member (never a confidential one where they are only an observer)."""
    now = now or timezone.now()
    roles = {}
    for task_force_id, role in (
        Membership.objects.active().filter(user=user).values_list("task_force_id", "role")
    ):
        roles.setdefault(task_force_id, set()).add(role)
    observer_only = [task_force_id for task_force_id, held in roles.items() if held == {Role.OBSERVER}]
    return (
        Meeting.objects.filter(
            invitees__user=user, task_force_id__in=list(roles), ends_at__gte=now - FEED_HISTORY
        )
        .exclude(confidential=True, task_force_id__in=observer_only)
        .select_related("task_force", "organiser")
        .order_by("starts_at", "id")
    )


def feed_calendar(user: User):
    return build_calendar(feed_meetings(user), name="Taskforce meetings")
