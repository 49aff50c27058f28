"""What every meetings page shares: the task force, the reader's rights, the meeting itself."""

from members import access
from taskforce.views import TaskForceMixin

from ..models import Meeting


def get_meeting_for_user(user, task_force, code, action="view"):
    """404 to people who may not see the meeting, 403 to those who may see but not change it."""
    meetings = Meeting.objects.filter(task_force=task_force).select_related(
        "committee", "organiser", "series"
    )
    meeting = access.get_for_user(
        meetings,
        code,
        can_view=lambda m: access.can_view_meeting(user, _with_task_force(m, task_force)),
        can_change=lambda m: access.can_change_meeting(user, m),
        action=action,
        missing="No such meeting.",
    )
    return meeting


def _with_task_force(meeting, task_force):
    meeting.task_force = task_force
    return meeting


class MeetingsSectionMixin(TaskForceMixin):
    """A page of the meetings section: says which tabs and links the reader may use."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, task_force = self.request.user, self.task_force
        context["can_schedule"] = access.can_schedule_meetings(user, task_force)
        context["show_action_items"] = access.can_view_action_items(user, task_force)
        context["show_trend_briefs"] = access.can_view_trend_briefs(user, task_force)
        return context


class MeetingMixin(MeetingsSectionMixin):
    """A page of one meeting (`code` in the URL); `meeting_action = "change"` for organisers' pages."""

    meeting_action = "view"

    def check_access(self):
        self.meeting = get_meeting_for_user(
            self.request.user, self.task_force, self.kwargs["code"], self.meeting_action
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.meeting
        context["can_change_meeting"] = access.can_change_meeting(self.request.user, self.meeting)
        return context
