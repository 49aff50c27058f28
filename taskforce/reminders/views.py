from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView

from . import services
from .forms import PreferencesForm
from .models import Notice, Preference


def get_notice_for_user(user, code):
    """A person's own notice; anyone else's is a 404."""
    return get_object_or_404(Notice.objects.for_reader(user), code=code)


class NoticeList(ListView):
    template_name = "reminders/notice_list.html"
    context_object_name = "notices"
    paginate_by = 50

    def get_queryset(self):
        return (
            Notice.objects.for_reader(self.request.user)
            .select_related("task_force")
            .order_by("-created_at", "-id")
        )
    # The unread count is the navigation's (reminders.context_processors.unread_notices).


@require_POST
def notice_read(request, code):
    notice = services.mark_read(get_notice_for_user(request.user, code))
    if request.htmx:
        return render(request, "reminders/_notice.html", {"notice": notice})
    return redirect("reminders:notice-list")


@require_POST
def notice_read_all(request):
    count = services.mark_all_read(request.user)
    messages.success(request, f"Marked {count} notice{'' if count == 1 else 's'} as read.")
    return redirect("reminders:notice-list")


class PreferencesUpdate(FormView):
    template_name = "reminders/preferences_form.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["channels"] = dict(
            Preference.objects.filter(user=self.request.user).values_list("kind", "channel")
        )
        return kwargs

    def form_valid(self, form):
        services.save_preferences(self.request.user, form.cleaned_data)
        messages.success(self.request, "Your reminder preferences are saved.")
        return redirect("reminders:preferences")
