"""What each app's part of the scale seed shares (the receivers of members.signals.scale_seeded)."""

import time
import zoneinfo

from django.utils import timezone

from .models import Membership


def seed_each_task_force(task_forces, model, seeder, label, stdout=None):
    """Seed each task force that has no rows of `model` yet (so seeding again adds nothing) with
    `seeder(task_force, now).seed()`, which writes its rows and returns their counts by name
    ({"meetings": 1200, ...}); say the counts of each and the totals on `stdout`, if given."""
    started, totals, now = time.perf_counter(), {}, timezone.now()
    rows = model.objects.filter(task_force__in=task_forces).order_by()
    done = set(rows.values_list("task_force_id", flat=True).distinct())
    for task_force in task_forces:
        if task_force.pk in done:
            continue
        task_force_started = time.perf_counter()
        counts = seeder(task_force, now).seed()
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if stdout is not None and counts:
            seconds = time.perf_counter() - task_force_started
            stdout.write(f"  {task_force.slug}: {_listed(counts)} in {seconds:.1f} s")
    if stdout is not None:
        seconds = time.perf_counter() - started
        stdout.write(f"{label} seeded: {_listed(totals) or 'nothing new'} in {seconds:.1f} s.")


class TaskForceSeed:
    """One task force's part of the scale seed, for seed_each_task_force: its clock, and its active
        people (their memberships' `people_fields`, oldest first). Each app's subclass has the `seed()`
    that writes its rows."""

    people_fields = ("user_id", "agency_id", "role")

    def __init__(self, task_force, now):
        self.task_force = task_force
        self.now = now
        self.zone = zoneinfo.ZoneInfo(task_force.time_zone)
        self.today = now.astimezone(self.zone).date()
        memberships = Membership.objects.active().filter(task_force=task_force, user__is_active=True)
        self.everyone = list(memberships.order_by("id").values_list(*self.people_fields))


def _listed(counts):
    return ", ".join(f"{value:,} {key}" for key, value in counts.items())
