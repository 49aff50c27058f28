"""The audit trail: sign-in events here; record history comes from django-simple-history."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .middleware import mark_renewed
from .models import SignInEvent


def _client(request):
    if request is None:
        return None, ""
    return request.META.get("REMOTE_ADDR"), request.META.get("HTTP_USER_AGENT", "")[:300]


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_renewed(request.session)  # saved with the new session: no second write on the next page
    ip, agent = _client(request)
    SignInEvent.objects.create(
        kind=SignInEvent.Kind.SIGNED_IN,
        user=user,
        email=user.email,
        ip_address=ip,
        user_agent=agent,
    )


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs):
    if user is None:
        return
    ip, agent = _client(request)
    SignInEvent.objects.create(
        kind=SignInEvent.Kind.SIGNED_OUT,
        user=user,
        email=user.email,
        ip_address=ip,
        user_agent=agent,
    )


@receiver(user_login_failed)
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    ip, agent = _client(request)
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, email=email, ip_address=ip, user_agent=agent)


HISTORY_LIMIT = 100


def history_rows(*querysets):
    """The latest changes of one or more history querysets, merged newest first, as rows of
    who, when and what changed. Each change is diffed against the record before it."""
    records = []
    for queryset in querysets:
        records.extend(queryset.select_related("history_user").order_by("-history_date")[: HISTORY_LIMIT + 1])
    records.sort(key=lambda record: record.history_date, reverse=True)
    rows = []
    for index, record in enumerate(records[:HISTORY_LIMIT]):
        previous = next(
            (
                older
                for older in records[index + 1 :]
                if type(older) is type(record) and older.id == record.id
            ),
            None,
        )
        changes = []
        if previous is not None and record.history_type == "~":
            changes = [
                (
                    record.instance_type._meta.get_field(change.field).verbose_name,
                    _display(record, change.field, change.old),
                    _display(record, change.field, change.new),
                )
                for change in record.diff_against(previous).changes
                if change.field != "version"
            ]
        if previous is not None and record.history_type == "~" and not changes:
            continue  # e.g. a sign-in touching only last_login, which is not shown
        rows.append(
            {
                "record": record,
                "label": record.instance_type._meta.verbose_name,
                "changes": changes,
            }
        )
    return rows


def _display(record, field_name, value):
    field = record.instance_type._meta.get_field(field_name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if value in (None, ""):
        return "—"
    return value
