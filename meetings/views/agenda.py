"""The agenda of a meeting (items, order, minutes notes, files, circulation, PDFs) and the task
force's standing items; its URL patterns are collected by meetings/urls.py."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from members import access
from taskforce.forms import STALE_EDIT_MESSAGE, StaleEdit
from taskforce.uploads import clean_file_name, stored_file_response

from ..forms.agenda import AgendaItemForm, AgendaItemNotesForm, AttachmentForm, StandingItemForm
from ..models import AgendaItem, Attachment, StandingItem
from ..services import agenda
from ..visibility import agenda_context, can_read_item
from .base import MeetingMixin, MeetingsSectionMixin, get_meeting_for_user

PAGE_SIZE = 25


# --- lookups ------------------------------------------------------------------------------


def get_agenda_item_for_user(user, task_force, code, action="view"):
    """404 unless the person may see the item's meeting; 403 unless they may change it."""
    items = AgendaItem.objects.filter(meeting__task_force=task_force).select_related(
        "meeting__committee", "meeting__organiser", "meeting__series"
    )

    def can_view(item):
        item.meeting.task_force = task_force
        return access.can_view_meeting(user, item.meeting)

    return access.get_for_user(
        items,
        code,
        can_view=can_view,
        can_change=lambda item: access.can_change_meeting(user, item.meeting),
        action=action,
        missing="No such agenda item.",
    )


def get_attachment_for_user(user, task_force, code, action="view"):
    """404 unless the person may read the item the file belongs to (its existence included)."""
    attachments = Attachment.objects.filter(item__meeting__task_force=task_force).select_related(
        "item__meeting__committee"
    )

    def can_view(attachment):
        meeting = attachment.item.meeting
        meeting.task_force = task_force
        return access.can_view_meeting(user, meeting) and can_read_item(user, attachment.item, meeting)

    return access.get_for_user(
        attachments,
        code,
        can_view=can_view,
        can_change=lambda attachment: access.can_change_meeting(user, attachment.item.meeting),
        action=action,
        missing="No such file.",
    )


def agenda_url(meeting, item=None):
    url = reverse("meetings:agenda", args=[meeting.task_force.slug, meeting.code])
    return f"{url}#item-{item.code}" if item is not None else url


# --- the agenda page ----------------------------------------------------------------------


class Agenda(MeetingMixin, TemplateView):
    """The agenda as the reader may read it (the same as its PDF: meetings.visibility.agenda_context),
    with planned times, the minutes' status and what the reader may do."""

    template_name = "meetings/agenda.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        context.update(
            agenda_context(self.request.user, self.task_force, meeting), locked=agenda.is_locked(meeting)
        )
        context["can_circulate"] = (
            context["can_change_meeting"]
            and meeting.minutes_status == meeting.MinutesStatus.DRAFT
            and not meeting.is_cancelled
            and meeting.has_begun()
        )
        context["attachment_form"] = AttachmentForm()
        return context


# --- changing items -----------------------------------------------------------------------


class OpenAgendaMixin:
    """After the access mixin in the bases: once the minutes are approved, the page says so and goes back."""

    def dispatch(self, request, *args, **kwargs):
        if agenda.is_locked(self.meeting):
            messages.error(request, agenda.APPROVED_MESSAGE)
            return redirect(agenda_url(self.meeting))
        return super().dispatch(request, *args, **kwargs)


class AgendaSaveMixin:
    """Save the form through the agenda service; a stale edit or an approved agenda is reported."""

    success_message = "Saved."

    def save(self, form):
        return agenda.save_when_open(self.meeting, form.save)

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except StaleEdit:
            form.add_error(None, STALE_EDIT_MESSAGE)
            return self.form_invalid(form)
        except agenda.AgendaError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(agenda_url(self.meeting, self.object))


class AgendaItemMixin(MeetingsSectionMixin):
    """A page that changes one agenda item (`code` is the item's)."""

    def check_access(self):
        user, code = self.request.user, self.kwargs["code"]
        self.item = get_agenda_item_for_user(user, self.task_force, code, "change")
        self.meeting = self.item.meeting

    def get_object(self, queryset=None):
        return self.item

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meeting=self.meeting, item=self.item, can_change_meeting=True)
        return context


class AgendaItemCreate(MeetingMixin, OpenAgendaMixin, AgendaSaveMixin, CreateView):
    meeting_action = "change"
    form_class = AgendaItemForm
    template_name = "meetings/agenda_item_form.html"
    success_message = "The item is on the agenda."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task_force": self.task_force}

    def save(self, form):
        def save_at(position):
            form.instance.meeting = self.meeting
            form.instance.position = position
            return form.save()

        return agenda.add_item(self.meeting, save_at)


class AgendaItemUpdate(AgendaItemMixin, OpenAgendaMixin, AgendaSaveMixin, UpdateView):
    form_class = AgendaItemForm
    template_name = "meetings/agenda_item_form.html"
    success_message = "The item is saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task_force": self.task_force}


class AgendaItemNotes(AgendaItemMixin, OpenAgendaMixin, AgendaSaveMixin, UpdateView):
    form_class = AgendaItemNotesForm
    template_name = "meetings/agenda_item_notes_form.html"
    success_message = "The minutes of this item are saved."


@require_POST
def agenda_item_delete(request, tf, code):
    task_force = access.get_task_force_for_user(request.user, tf)
    item = get_agenda_item_for_user(request.user, task_force, code, "change")
    try:
        agenda.delete_item(item, by=request.user)
    except agenda.AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{item.title}” is off the agenda, with its notes and files.")
    return redirect(agenda_url(item.meeting))


@require_POST
def agenda_item_move(request, tf, code):
    task_force = access.get_task_force_for_user(request.user, tf)
    item = get_agenda_item_for_user(request.user, task_force, code, "change")
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("Move an item “up” or “down”.")
    try:
        agenda.move(item, direction, by=request.user)
    except agenda.AgendaError as error:
        messages.error(request, str(error))
    return redirect(agenda_url(item.meeting, item))


@require_POST
def agenda_reorder(request, tf, code):
    """The new order from dragging with the mouse: `item` once per agenda item, top first."""
    task_force = access.get_task_force_for_user(request.user, tf)
    meeting = get_meeting_for_user(request.user, task_force, code, "change")
    try:
        codes = [uuid.UUID(value) for value in request.POST.getlist("item")]
    except ValueError:
        message = "The new order names something that is not an agenda item."
        return JsonResponse({"error": message}, status=400)
    try:
        items = agenda.reorder(meeting, codes, by=request.user)
    except agenda.AgendaError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"order": [str(item.code) for item in items]})


# --- files --------------------------------------------------------------------------------


@require_POST
def attachment_create(request, tf, code):
    task_force = access.get_task_force_for_user(request.user, tf)
    item = get_agenda_item_for_user(request.user, task_force, code, "change")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, f"The file was not attached: {error}")
        return redirect(agenda_url(item.meeting, item))
    upload = form.cleaned_data["file"]
    name = clean_file_name(upload.name, form.kind)
    try:
        agenda.add_attachment(item, upload, name=name, kind=form.kind, by=request.user)
    except agenda.AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{name} is attached to “{item.title}”.")
    return redirect(agenda_url(item.meeting, item))


@require_safe
def attachment_download(request, tf, code):
    """Served through the view, never from a public folder: only people who may read the item get it."""
    task_force = access.get_task_force_for_user(request.user, tf)
    attachment = get_attachment_for_user(request.user, task_force, code)
    return stored_file_response(attachment.file, attachment.name, attachment.content_type)


@require_POST
def attachment_delete(request, tf, code):
    task_force = access.get_task_force_for_user(request.user, tf)
    attachment = get_attachment_for_user(request.user, task_force, code, "change")
    item = attachment.item
    try:
        agenda.delete_attachment(attachment)
    except agenda.AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{attachment.name} is removed from “{item.title}”.")
    return redirect(agenda_url(item.meeting, item))


# --- minutes ------------------------------------------------------------------------------


@require_POST
def minutes_circulate(request, tf, code):
    task_force = access.get_task_force_for_user(request.user, tf)
    meeting = get_meeting_for_user(request.user, task_force, code, "change")
    try:
        agenda.circulate_minutes(meeting, by=request.user)
    except agenda.AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "The minutes are circulated. They are approved by a decision at a later meeting; "
            "until then the notes can still be corrected.",
        )
    return redirect(agenda_url(meeting))


# --- standing items -----------------------------------------------------------------------


class StandingItemMixin(MeetingsSectionMixin):
    permission = access.MANAGE

    def get_success_url(self):
        return reverse("meetings:standing-item-list", args=[self.task_force.slug])


class StandingItemList(StandingItemMixin, ListView):
    template_name = "meetings/standing_item_list.html"
    context_object_name = "standing_items"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return StandingItem.objects.filter(task_force=self.task_force).order_by("position", "id")


class StandingItemCreate(StandingItemMixin, CreateView):
    form_class = StandingItemForm
    template_name = "meetings/standing_item_form.html"

    def get_initial(self):
        return {"position": agenda.next_standing_position(self.task_force)}

    def form_valid(self, form):
        form.instance.task_force = self.task_force
        response = super().form_valid(form)
        messages.success(self.request, f"“{self.object.title}” will be on every new agenda.")
        return response


class StandingItemUpdate(StandingItemMixin, UpdateView):
    form_class = StandingItemForm
    template_name = "meetings/standing_item_form.html"

    def get_object(self, queryset=None):
        item = StandingItem.objects.filter(task_force=self.task_force, code=self.kwargs["code"]).first()
        if item is None:
            raise Http404("No such standing item.")
        return item

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, f"“{self.object.title}” is saved; agendas made from now on carry the change."
        )
        return response


@require_POST
def standing_item_delete(request, tf, code):
    task_force = access.get_task_force_for_user(request.user, tf, access.MANAGE)
    item = StandingItem.objects.filter(task_force=task_force, code=code).first()
    if item is None:
        raise Http404("No such standing item.")
    item.delete()
    messages.success(
        request, f"“{item.title}” is no longer a standing item. Agendas that already carry it keep it."
    )
    return redirect("meetings:standing-item-list", task_force.slug)


urlpatterns = [
    path("meetings/<uuid:code>/agenda/", Agenda.as_view(), name="agenda"),
    path("meetings/<uuid:code>/agenda/new/", AgendaItemCreate.as_view(), name="agenda-item-create"),
    path("meetings/<uuid:code>/agenda/reorder/", agenda_reorder, name="agenda-reorder"),
    path("meetings/<uuid:code>/minutes/circulate/", minutes_circulate, name="minutes-circulate"),
    path("agenda/<uuid:code>/edit/", AgendaItemUpdate.as_view(), name="agenda-item-update"),
    path("agenda/<uuid:code>/delete/", agenda_item_delete, name="agenda-item-delete"),
    path("agenda/<uuid:code>/move/", agenda_item_move, name="agenda-item-move"),
    path("agenda/<uuid:code>/notes/", AgendaItemNotes.as_view(), name="agenda-item-notes"),
    path("agenda/<uuid:code>/attachments/", attachment_create, name="attachment-create"),
    path("attachments/<uuid:code>/", attachment_download, name="attachment-download"),
    path("attachments/<uuid:code>/delete/", attachment_delete, name="attachment-delete"),
    path("standing-items/", StandingItemList.as_view(), name="standing-item-list"),
    path("standing-items/new/", StandingItemCreate.as_view(), name="standing-item-create"),
    path("standing-items/<uuid:code>/edit/", StandingItemUpdate.as_view(), name="standing-item-update"),
    path("standing-items/<uuid:code>/delete/", standing_item_delete, name="standing-item-delete"),
]
