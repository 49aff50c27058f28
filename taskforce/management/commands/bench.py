"""Median server time of the main pages at scale, next to the Django admin and a bare view.

Requests go through django.test.Client in this process, so the numbers are server time only
(middleware, views, queries, templates), with no network and no web server. Each page is
compared with the admin changelist of the same model, and with a view that returns "ok"
through the same middleware: the floor under every page.
"""

import statistics
import time
import warnings
from dataclasses import dataclass
from datetime import UTC
from math import ceil

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from members.management.commands.load_demo import HARBOR
from members.management.commands.seed_scale import ADMIN_EMAIL, scale_task_forces
from members.models import Agency, Membership, Role, User
from taskforce.handbook import handbook_context
from taskforce.models import TaskForce
from taskforce.pdf import render_pdf
from taskforce.reminders.services import BATCH_SIZE, deliver_pending, record_due

BACKEND = "django.contrib.auth.backends.ModelBackend"


def bench_settings():
    return {
        "ROOT_URLCONF": "taskforce.bench_urls",  # the site plus the bare view
        "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "testserver"],  # the test client's host name
        # Static URLs without the manifest: the bench must not depend on collectstatic having run.
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@dataclass
class Timing:
    url: str
    milliseconds: float
    queries: int


class QueryCounter:
    """Counts queries without keeping them (a sweep runs more than Django's query log holds)."""

    count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Prints the median server time and queries of the main pages, against the admin."

    def add_arguments(self, parser):
        parser.add_argument("--iterations", type=int, default=30, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=5, help="Untimed requests per page first.")
        parser.add_argument(
            "--task-force", default=None, help="Slug to measure (default: the largest scale one)."
        )
        parser.add_argument(
            "--handbook-runs", type=int, default=3, help="Timed renders of each handbook PDF."
        )

    def handle(self, *args, iterations, warmup, task_force, handbook_runs, **options):
        if iterations < 1 or handbook_runs < 1:
            raise CommandError("--iterations and --handbook-runs must be at least 1.")
        self.iterations, self.warmup, self.handbook_runs = iterations, warmup, handbook_runs
        task_force = self.task_force(task_force)
        coordinator = self.coordinator(task_force)
        superuser = self.superuser()
        self.not_measured = []  # (label, why): said at the end, never skipped silently
        self.also_as = ""  # other people pages are measured as
        with override_settings(**bench_settings()), warnings.catch_warnings():
            # WhiteNoise warns that collectstatic has not run: the bench serves no static file.
            warnings.filterwarnings("ignore", message="No directory at")
            admin_site = Client()
            admin_site.force_login(superuser, backend=BACKEND)
            self.clients = {}
            site = self.client_for(coordinator)
            try:
                bare = self.measure(site, reverse("bench-bare"))
                rows = []
                for label, page, admin_page, *person in [
                    *self.pages(task_force),
                    *self.meetings_pages(task_force, coordinator),
                    *self.documents_pages(task_force),
                ]:
                    if page is None:
                        self.not_measured.append((label, admin_page))
                        continue
                    client = self.client_for(person[0]) if person else site
                    rows.append((label, self.measure(client, page), self.measure(admin_site, admin_page)))
            finally:
                for client in [*self.clients.values(), admin_site]:
                    client.logout()
        self.report(task_force, coordinator, superuser, bare, rows)
        self.report_handbooks(task_force, coordinator)
        self.report_sweep()

    def client_for(self, person):
        """A client signed in as this person (one per person, reused)."""
        if person.pk not in self.clients:
            client = Client()
            client.force_login(person, backend=BACKEND)
            self.clients[person.pk] = client
        return self.clients[person.pk]

    # --- who and what ---------------------------------------------------------------------

    def task_force(self, slug):
        task_forces = TaskForce.objects.filter(slug=slug) if slug else scale_task_forces()
        task_force = (
            task_forces.annotate(people=Count("memberships", filter=Q(memberships__ended_on__isnull=True)))
            .order_by("-people", "slug")
            .first()
        )
        if task_force is None:
            raise CommandError(
                f"No task force {slug!r}." if slug else "No scale data: run manage.py seed_scale first."
            )
        return task_force

    def coordinator(self, task_force):
        membership = (
            Membership.objects.active()
            .filter(task_force=task_force, role=Role.COORDINATOR, user__is_active=True)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if membership is None:
            raise CommandError(f"{task_force} has no active coordinator to sign in as.")
        return membership.user

    def superuser(self):
        superusers = User.objects.filter(is_superuser=True, is_staff=True, is_active=True)
        user = superusers.filter(email=ADMIN_EMAIL).first() or superusers.order_by("id").first()
        if user is None:
            raise CommandError(f"No superuser to open the admin with: seed_scale creates {ADMIN_EMAIL}.")
        return user

    def pages(self, task_force):
        """(label, page, the admin changelist it is compared with)."""
        slug, pk = task_force.slug, task_force.pk
        memberships = Membership.objects.filter(task_force=task_force).count()
        admin_last = max(1, ceil(memberships / admin.site.get_model_admin(Membership).list_per_page))
        people = reverse("members:person-list", args=[slug])
        admin_people = f"{reverse('admin:members_membership_changelist')}?task_force__id__exact={pk}"
        admin_agencies = f"{reverse('admin:members_agency_changelist')}?task_force__id__exact={pk}"
        admin_task_forces = reverse("admin:taskforce_taskforce_changelist")
        return [
            ("People directory, page 1", people, admin_people),
            ("People directory, last page", f"{people}?page=last", f"{admin_people}&p={admin_last}"),
            ("Agencies, page 1", reverse("members:agency-list", args=[slug]), admin_agencies),
            ("Task force home", task_force.get_absolute_url(), admin_task_forces),
        ]

    def meetings_pages(self, task_force, coordinator):
        """The meetings pages, as the coordinator, against the admin changelists of the same rows.
        The meeting shown is the one with the most invitees."""
        slug, pk = task_force.slug, task_force.pk
        # By name: taskforce builds on no app (DESIGN.md), it only measures their pages.
        meeting = (
            apps.get_model("meetings", "Meeting")
            .objects.filter(task_force=task_force)
            .annotate(invited=Count("invitees"))
            .order_by("-invited", "-starts_at", "id")
            .first()
        )
        meetings = reverse("meetings:meeting-list", args=[slug])
        admin_meetings = f"{reverse('admin:meetings_meeting_changelist')}?task_force__id__exact={pk}"
        action_items = reverse("meetings:action-item-list", args=[slug])
        admin_actions = f"{reverse('admin:meetings_actionitem_changelist')}?task_force__id__exact={pk}"
        today = task_force.today().isoformat()
        now = timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # past: ended before now
        rows = [
            ("Meetings, upcoming, page 1", meetings, admin_meetings),
            ("Meetings, past, page 1", f"{meetings}?when=past", f"{admin_meetings}&ends_at__lt={now}"),
        ]
        if meeting is not None:
            code = meeting.code
            rows += [
                (
                    f"Meeting ({meeting.invited} invitees)",
                    reverse("meetings:meeting-detail", args=[slug, code]),
                    f"{reverse('admin:meetings_invitee_changelist')}?meeting__id__exact={meeting.pk}",
                ),
                (
                    "Its agenda",
                    reverse("meetings:agenda", args=[slug, code]),
                    f"{reverse('admin:meetings_agendaitem_changelist')}?meeting__id__exact={meeting.pk}",
                ),
            ]
        rows += [
            (
                "Decision log",
                reverse("meetings:decision-log", args=[slug]),
                f"{reverse('admin:meetings_decision_changelist')}?meeting__task_force__id__exact={pk}",
            ),
            ("Action items", action_items, admin_actions),
            (
                "My action items",
                reverse("meetings:action-item-mine", args=[slug]),
                f"{admin_actions}&assignee__id__exact={coordinator.pk}&status__in=open,in_progress",
            ),
            (
                "Overdue action items",
                reverse("meetings:action-item-overdue", args=[slug]),
                f"{admin_actions}&status__in=open,in_progress&due_on__lt={today}",
            ),
            (
                "Trends",
                reverse("meetings:trends", args=[slug]),
                f"{reverse('admin:meetings_trendbrief_changelist')}?task_force__id__exact={pk}",
            ),
            (
                "Committees",
                reverse("members:committee-list", args=[slug]),
                f"{reverse('admin:members_committee_changelist')}?task_force__id__exact={pk}",
            ),
        ]
        return rows

    def documents_pages(self, task_force):
        """The protocols pages, as the coordinator (and "Needs my signature" as the agency lead with
        the most signatures waiting), against the admin changelists of the same rows. The document
        shown is the MOU with the most signatories over its versions. A page whose URL is not there
        comes back as (label, None, why) and is named under the table."""
        slug, pk = task_force.slug, task_force.pk
        Document = apps.get_model("protocols", "Document")
        Signatory = apps.get_model("protocols", "Signatory")
        documents = reverse("admin:protocols_document_changelist")
        signatories = reverse("admin:protocols_signatory_changelist")
        admin_documents = f"{documents}?task_force__id__exact={pk}"
        today = task_force.today().isoformat()
        mou = (
            Document.objects.filter(task_force=task_force, kind="mou")
            .annotate(signers=Count("versions__signatories"))
            .order_by("-signers", "id")
            .first()
        )
        version = (
            mou.versions.annotate(signers=Count("signatories")).order_by("-signers", "-number").first()
            if mou
            else None
        )
        waiting = (
            Signatory.objects.filter(
                version__document__task_force=task_force, status="pending", version__status="approved"
            )
            .values("agency")
            .annotate(waiting=Count("id"))
            .order_by("-waiting", "agency")
            .first()
        )
        lead = None
        if waiting is not None:
            membership = (
                Membership.objects.active()
                .filter(
                    task_force=task_force,
                    agency_id=waiting["agency"],
                    role=Role.AGENCY_LEAD,
                    user__is_active=True,
                )
                .select_related("user")
                .order_by("id")
                .first()
            )
            lead = membership and membership.user

        library = ("library", [], "")
        rows = [
            ("Library, page 1", library, admin_documents),
            (
                "Library, filtered + searched",
                ("library", [], "?kind=protocol&status=in_force&q=referral"),
                f"{admin_documents}&kind__exact=protocol&status__exact=in_force&q=referral",
            ),
            (
                "Due for review",
                ("library", [], "?list=review"),
                f"{admin_documents}&status__exact=in_force&next_review_on__lte={today}",
            ),
        ]
        if mou is None:
            self.not_measured.append(("Document (largest MOU)", "the task force has no MOU"))
        else:
            rows += [
                (
                    f"Document ({mou.signers} signatories)",
                    ("document-detail", [mou.code], ""),
                    f"{reverse('admin:protocols_version_changelist')}?document__id__exact={mou.pk}",
                ),
                (
                    f"Its version {version.number} ({version.signers} sign.)",
                    ("version-detail", [version.code], ""),
                    f"{signatories}?version__id__exact={version.pk}",
                ),
            ]
        if lead is None:
            self.not_measured.append(("Needs my signature", "no agency lead has a signature waiting"))
        else:
            self.also_as = f" and {lead.email} (agency lead)"
            rows.append(
                (
                    f"Needs my signature (lead, {waiting['waiting']})",
                    ("needs-my-signature", [], ""),
                    f"{signatories}?status__exact=pending&version__status__exact=approved"
                    f"&agency__id__exact={waiting['agency']}",
                    lead,
                )
            )
        pages = []
        for label, (name, args, query), admin_page, *person in rows:
            try:
                pages.append(
                    (label, reverse(f"protocols:{name}", args=[slug, *args]) + query, admin_page, *person)
                )
            except NoReverseMatch:
                # Not there yet: not measured, and the table says so.
                pages.append((label, None, f"no URL named protocols:{name}"))
        return pages

    # --- measuring ------------------------------------------------------------------------

    def get(self, client, url):
        response = client.get(url)
        if response.status_code != 200:
            hint = " (is 'testserver' in ALLOWED_HOSTS?)" if response.status_code == 400 else ""
            raise CommandError(f"GET {url} answered {response.status_code}, not 200{hint}.")
        return response

    def measure(self, client, url):
        for _ in range(self.warmup):
            self.get(client, url)
        with CaptureQueriesContext(connection) as captured:  # its own request: logging costs time
            self.get(client, url)
        queries = len(captured)  # now: the next request clears the connection's query log
        times = []
        for _ in range(self.iterations):
            started = time.perf_counter()
            self.get(client, url)
            times.append(time.perf_counter() - started)
        return Timing(url, statistics.median(times) * 1000, queries)

    def measure_handbook(self, task_force, reader):
        """Build the handbook's context and render its PDF, as the exports task does."""
        times = []
        with timezone.override(task_force.time_zone):
            for run in range(self.handbook_runs + 1):  # the first renders once untimed (templates, fonts)
                reader = User.objects.get(pk=reader.pk)  # nothing cached on the person between runs
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    context = handbook_context(reader, task_force)
                    context.update(task_force=task_force, reader=reader, generated_at=timezone.now())
                    pdf = render_pdf("taskforce/pdf/handbook.html", context)
                if run:
                    times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000, len(captured), len(pdf)

    def report_handbooks(self, measured, coordinator):
        """The handbook PDF of the demo task force (if loaded) and of the one measured above."""
        write = self.stdout.write
        write(f"\nHandbook PDF (median of {self.handbook_runs} renders, context and queries included):")
        demo = TaskForce.objects.filter(slug=HARBOR).first()
        for task_force in [demo, measured]:
            if task_force is None:
                continue
            reader = coordinator if task_force.pk == measured.pk else self.coordinator(task_force)
            milliseconds, queries, size = self.measure_handbook(task_force, reader)
            agencies = Agency.objects.filter(task_force=task_force).count()
            people = Membership.objects.active().filter(task_force=task_force).count()
            write(
                f"  {task_force.slug:<20}{milliseconds:>10.0f} ms{queries:>6} queries{size / 1024:>8.0f} KiB"
                f"   ({agencies:,} agencies, {people:,} active memberships, as {reader.email})"
            )
        if demo is None:
            self.stderr.write(self.style.ERROR(f"  {HARBOR}: not measured, the demo is not loaded"))

    def report_sweep(self):
        """The reminder sweep over the whole installation, twice (the second finds it all recorded),
        inside a transaction rolled back afterwards: emails go to memory, nothing stays."""
        write = self.stdout.write
        write(f"\nReminder sweep, every task force (batches of {BATCH_SIZE}; rolled back afterwards):")
        memory = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        with memory, transaction.atomic():
            now = timezone.now()
            for sweep in ("first", "second"):
                for step, run in (("record", record_due), ("deliver", deliver_pending)):
                    queries = QueryCounter()
                    started = time.perf_counter()
                    with connection.execute_wrapper(queries):
                        items = run(now, BATCH_SIZE)
                    seconds = time.perf_counter() - started
                    batches = max(1, ceil(items / BATCH_SIZE))
                    write(
                        f"  {sweep} sweep, {step:<8}{items:>9,} items {seconds * 1000:>9.0f} ms"
                        f"{items / seconds if seconds else 0:>10,.0f} items/s{queries.count:>7} queries"
                        f"  ({queries.count / batches:.1f} per batch of {BATCH_SIZE})"
                    )
            transaction.set_rollback(True)

    # --- the table ------------------------------------------------------------------------

    def report(self, task_force, coordinator, superuser, bare, rows):
        agencies = Agency.objects.filter(task_force=task_force).count()
        write = self.stdout.write
        write(
            f"\n{task_force.name} ({task_force.slug}): {agencies:,} agencies, "
            f"{task_force.people:,} active memberships"
        )
        write(
            f"{connection.vendor}, DEBUG {'on (times include query logging)' if settings.DEBUG else 'off'}; "
            f"median of {self.iterations} requests after {self.warmup} warm-up; "
            f"site as {coordinator.email} (coordinator){self.also_as}, admin as {superuser.email}\n"
        )
        columns = ["ms", "queries", "admin ms", "admin q", "× admin", "× bare"]
        header = f"{'page':<30}" + "".join(f"{column:>10}" for column in columns)
        write(header)
        write("-" * len(header))
        for label, page, admin_page in rows:
            write(
                f"{label:<30}{page.milliseconds:>10.1f}{page.queries:>10}"
                f"{admin_page.milliseconds:>10.1f}{admin_page.queries:>10}"
                f"{page.milliseconds / admin_page.milliseconds:>10.2f}"
                f"{page.milliseconds / bare.milliseconds:>10.1f}"
            )
        write(f"{'Bare view (middleware only)':<30}{bare.milliseconds:>10.1f}{bare.queries:>10}")
        write(
            "\nms: median server time. × admin: the page's time over the admin changelist's "
            "(below 1 is faster).\n× bare: over the bare view's, which only passes the middleware."
        )
        write("\nCompared with:")
        for label, page, admin_page in rows:
            write(f"  {label:<28} {page.url}  vs  {admin_page.url}")
        if self.not_measured:
            self.stderr.write(self.style.ERROR("\nNot measured:"))
            for label, why in self.not_measured:
                self.stderr.write(self.style.ERROR(f"  {label}: {why}"))
