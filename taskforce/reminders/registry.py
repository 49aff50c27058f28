"""The reminder rules, declared by each app in its `reminders.py` (imported from its AppConfig.ready).

A rule finds what is due "by now" (not "exactly now"), so a sweep after downtime catches up; it
yields batches whose query count does not depend on how many rows they hold."""

import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from members.models import Membership, Role

_rules = {}


@dataclass(frozen=True)
class Due:
    """One reminder to record: `threshold` tells this reminder of the object from its others."""

    object: Any
    recipient_id: int
    threshold: str
    task_force_id: int


def always(obj, notice, now):
    return True


@dataclass(frozen=True)
class ReminderRule:
    name: str
    kind: str
    model: type
    # find(now, batch_size) -> iterable of lists of Due
    find: Callable[..., Iterable[list]]
    # The templates reminders/<template>_subject.txt, _body.txt and _body.html.
    template: str
    # link(obj) -> the path of the item, made absolute with SITE_URL in emails.
    link: Callable[[Any], str]
    # queryset() -> the objects with what their templates read (select_related/prefetch_related).
    queryset: Callable[[], Any] = None
    # still_due(obj, notice, now): checked again just before delivery.
    still_due: Callable[..., bool] = always
    # context(obj, notice, now) -> extra template context.
    context: Callable[..., dict] = field(default=lambda obj, notice, now: {})

    def objects(self):
        return self.queryset() if self.queryset else self.model.objects.all()


def register(rule):
    _rules[rule.name] = rule
    return rule


def rules():
    return list(_rules.values())


def get(name):
    return _rules.get(name)


# --- helpers for the rules -------------------------------------------------------------------


def in_batches(queryset, size):
    """Lists of up to `size` rows by ascending primary key: one query a batch, no open cursor."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def people_by_task_force(task_force_ids, roles):
    """{task force id: [user ids]} of the active members in these roles (one query)."""
    found = defaultdict(list)
    rows = (
        Membership.objects.active()
        .filter(task_force_id__in=set(task_force_ids), role__in=roles, user__is_active=True)
        .values_list("task_force_id", "user_id")
        .distinct()
    )
    for task_force_id, user_id in rows:
        found[task_force_id].append(user_id)
    return found


def leads_by_agency(agency_ids):
    """{agency id: [user ids]} of each agency's current leads (one query)."""
    found = defaultdict(list)
    rows = (
        Membership.objects.active()
        .filter(agency_id__in=set(agency_ids), role=Role.AGENCY_LEAD, user__is_active=True)
        .values_list("agency_id", "user_id")
        .distinct()
    )
    for agency_id, user_id in rows:
        found[agency_id].append(user_id)
    return found


def local_date(time_zone, now):
    """The date at `now` in this time zone."""
    return now.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def local_today(task_forces, now):
    """{task force id: its date at `now`}, for the task forces given."""
    return {tf.pk: local_date(tf.time_zone, now) for tf in task_forces}
