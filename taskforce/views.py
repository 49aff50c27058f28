import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView, UpdateView
from kombu import Connection

from members import access
from members.models import LEADERSHIP_ROLES, Membership, Role, Sector

from .forms import STALE_EDIT_MESSAGE, StaleEdit, TaskForceForm

logger = logging.getLogger(__name__)


class TaskForceMixin:
    """A page inside one task force: /tf/<slug>/…; 404 to outsiders, 403 without `permission`."""

    permission = access.VIEW

    def dispatch(self, request, *args, **kwargs):
        self.task_force = access.get_task_force_for_user(request.user, kwargs["tf"], self.permission)
        if request.session.get("task_force") != self.task_force.slug:  # a write only on a change
            request.session["task_force"] = self.task_force.slug
        timezone.activate(self.task_force.time_zone)
        self.check_access()
        return super().dispatch(request, *args, **kwargs)

    def check_access(self):
        """Raise Http404 or PermissionDenied for what `permission` alone does not decide."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["task_force"] = self.task_force
        context["can_manage"] = access.can_manage(self.request.user, self.task_force)
        return context


class VersionedUpdateMixin:
    """Save through a VersionedModelForm, and say so plainly when someone else saved first."""

    success_message = "Saved."

    def form_valid(self, form):
        try:
            self.object = form.save()
        except StaleEdit:
            form.add_error(None, STALE_EDIT_MESSAGE)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


def home(request):
    """Open the task force the person used last, or their first one."""
    task_forces = access.task_forces_for(request.user).order_by("name")
    remembered = request.session.get("task_force")
    chosen = task_forces.filter(slug=remembered).first() if remembered else None
    chosen = chosen or task_forces.first()
    if chosen is None:
        return render(request, "taskforce/no_task_force.html")
    return redirect(chosen)


class TaskForceHome(TaskForceMixin, TemplateView):
    template_name = "taskforce/taskforce_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        active = Membership.objects.active().filter(task_force=self.task_force)
        context["leadership"] = (
            active.filter(role__in=LEADERSHIP_ROLES)
            .select_related("user", "agency")
            .order_by("role", "user__full_name")
        )
        context["counts"] = active.aggregate(
            people=Count("user", distinct=True),
            agencies_with_people=Count("agency", distinct=True),
        )
        sectors = dict(self.task_force.agencies.values_list("sector").annotate(n=Count("id")).order_by())
        context["agency_count"] = sum(sectors.values())
        context["sectors"] = [
            (value, label, sectors[value]) for value, label in Sector.choices if value in sectors
        ]
        context["missing_sectors"] = [label for value, label in Sector.choices if value not in sectors]
        roles = dict(active.values_list("role").annotate(n=Count("id")).order_by())
        context["roles"] = [(value, label, roles[value]) for value, label in Role.choices if value in roles]
        context["pending_invitations"] = (
            self.task_force.invitations.pending().count() if context["can_manage"] else None
        )
        return context


class TaskForceUpdate(TaskForceMixin, VersionedUpdateMixin, UpdateView):
    permission = access.CHANGE
    form_class = TaskForceForm
    template_name = "taskforce/taskforce_form.html"
    success_message = "The task force's details are saved."

    def get_object(self, queryset=None):
        return self.task_force


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 when the database and the broker answer, 503 otherwise."""
    status = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 — any failure means "not healthy"
        logger.warning("healthz: database check failed: %s", error)
        status["database"] = "error"
    try:
        broker = Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        )
        with broker as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # noqa: BLE001
        logger.warning("healthz: broker check failed: %s", error)
        status["broker"] = "error"
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse({"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503)


def _error_page(template, status):
    @login_not_required
    def view(request, exception=None):
        return render(request, template, status=status)

    return view


page_not_found = _error_page("404.html", 404)
permission_denied = _error_page("403.html", 403)


@login_not_required
def server_error(request):
    # No request context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
