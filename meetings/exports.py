"""The meetings PDFs that the exports engine makes: the agenda and the minutes, each redacted
for the person who asked (meetings.visibility.agenda_for decides, as on the pages)."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import slugify

from members import access
from taskforce.exports.registry import ExportKind, register

from .models import ActionItem, Invitee, Meeting, Vote
from .visibility import agenda_context


def _task_force_slug(code):
    return Meeting.objects.filter(code=code).values_list("task_force__slug", flat=True).first()


def _get_meeting(user, task_force, code):
    from .views.base import get_meeting_for_user

    return get_meeting_for_user(user, task_force, code)


def minutes_context(user, task_force, meeting):
    context = agenda_context(user, task_force, meeting)
    invitees = list(
        Invitee.objects.filter(meeting=meeting)
        .select_related("user", "agency")
        .order_by("agency__name", "user__full_name", "id")
    )
    context["attendance"] = [
        (label, [invitee for invitee in invitees if invitee.attendance == value])
        for value, label in (
            (Invitee.Attendance.PRESENT, "Present"),
            (Invitee.Attendance.EXCUSED, "Apologies"),
            (Invitee.Attendance.ABSENT, "Absent"),
        )
    ]
    context["attendance_recorded"] = any(invitee.attendance for invitee in invitees)
    context["decisions"] = meeting.decisions.select_related("moved_by", "seconded_by").annotate(
        votes_for=Count("votes", filter=Q(votes__choice=Vote.Choice.FOR)),
        votes_against=Count("votes", filter=Q(votes__choice=Vote.Choice.AGAINST)),
        votes_abstain=Count("votes", filter=Q(votes__choice=Vote.Choice.ABSTAIN)),
    )
    context["show_action_items"] = access.can_view_action_items(user, task_force)
    if context["show_action_items"]:
        context["action_items"] = ActionItem.objects.filter(meeting=meeting).select_related(
            "assignee", "agency"
        )
    return context


def _file_name(what):
    """what-2026-03-10-march-task-force-meeting.pdf, dated in the task force's time zone."""

    def file_name(meeting):
        title = slugify(meeting.title)[:60] or "meeting"
        return f"{what}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}-{title}.pdf"

    return file_name


def _title(label):
    return lambda meeting: (
        f"{label}: {meeting.title}, {date_format(timezone.localtime(meeting.starts_at), 'j M Y')}"
    )


for _what, _label, _context in (
    ("agenda", "Agenda", agenda_context),
    ("minutes", "Minutes", minutes_context),
):
    register(
        ExportKind(
            name=f"meetings.{_what}",
            label=_label,
            template_name=f"meetings/pdf/{_what}.html",
            task_force_slug=_task_force_slug,
            get_target=_get_meeting,
            get_context=_context,
            file_name=_file_name(_what),
            title=_title(_label),
        )
    )
