"""Seed the statewide scale of DESIGN.md: 25 task forces, 1,500 agencies, 12,000 people.

Scale data is told apart from everything else by its slugs (`scale-01`…) and its people's
addresses (`…@scale.example.org`): the demo and real records are never read or changed. Rows are
written with bulk_create, and every scale account shares one password hash computed once.
"""

import time
from datetime import date

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from members import access
from members.models import Agency, Membership, Role, Sector, User
from members.signals import scale_deleting, scale_seeded
from taskforce.models import TaskForce

SLUG_PREFIX = "scale-"
EMAIL_DOMAIN = "scale.example.org"
ADMIN_EMAIL = f"admin@{EMAIL_DOMAIN}"
BATCH_SIZE = 1000
STARTED_ON = date(2024, 1, 15)


# fmt: off
AGENCY_KINDS = [
    (Sector.LAW_ENFORCEMENT, Agency.Level.LOCAL, "Police Department"),
    (Sector.LAW_ENFORCEMENT, Agency.Level.COUNTY, "Sheriff's Office"),
    (Sector.PROSECUTION, Agency.Level.COUNTY, "District Attorney's Office"),
    (Sector.VICTIM_SERVICES, Agency.Level.NON_GOVERNMENTAL, "Victim Advocacy Center"),
    (Sector.LABOUR, Agency.Level.STATE, "Labor Standards Office"),
    (Sector.HEALTH, Agency.Level.NON_GOVERNMENTAL, "Community Health Center"),
    (Sector.CHILD_WELFARE, Agency.Level.COUNTY, "Children and Family Services"),
    (Sector.IMMIGRATION, Agency.Level.NON_GOVERNMENTAL, "Immigrant Legal Aid"),
    (Sector.EDUCATION, Agency.Level.LOCAL, "School District"),
    (Sector.FAITH_BASED, Agency.Level.NON_GOVERNMENTAL, "Interfaith Council"),
    (Sector.BUSINESS, Agency.Level.NON_GOVERNMENTAL, "Chamber of Commerce"),
    (Sector.SURVIVOR_LED, Agency.Level.NON_GOVERNMENTAL, "Survivor Network"),
    (Sector.OTHER, Agency.Level.COUNTY, "Community Helpline"),
]
TOWNS = [
    "Ashford", "Brookside", "Cedar Falls", "Dunmore", "Eastport", "Fairview", "Glenwood",
    "Hillcrest", "Ironton", "Juniper", "Kingsley", "Lakeview", "Maple Grove", "Northfield",
]
FIRST_NAMES = [
    "Aaliyah", "Ben", "Carmen", "Deshawn", "Elif", "Farid", "Gloria", "Hiro", "Imani", "Jonas",
    "Keiko", "Lucía", "Malik", "Nadia", "Oscar", "Paola", "Quinn", "Rahul", "Sade", "Tariq",
    "Uma", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Amir", "Bianca", "Chidi", "Dmitri", "Esme",
]
LAST_NAMES = [
    "Abbott", "Baptiste", "Castillo", "Dubois", "Eriksen", "Fofana", "García", "Hoang", "Iyer",
    "Jensen", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Okonkwo", "Pereira", "Quintero",
    "Rossi", "Schmidt", "Tanaka", "Ulloa", "Varga", "Walsh", "Xu", "Yilmaz", "Zielinski", "Ahmed",
    "Brennan", "Cohen", "Delgado", "Evans", "Fischer", "Gupta", "Haddad", "Ivanova", "Jovanović",
    "Kim",
]
JOB_TITLES = {
    Role.COORDINATOR: "Task force coordinator",
    Role.CO_CHAIR: "Co-chair",
    Role.AGENCY_LEAD: "Program director",
    Role.MEMBER: "Investigator",
    Role.OBSERVER: "Policy analyst",
}
# fmt: on


def scale_task_forces():
    return TaskForce.objects.filter(slug__startswith=SLUG_PREFIX)


def scale_people():
    return User.objects.filter(email__iendswith=f"@{EMAIL_DOMAIN}")


def role_for(index, people_per, agencies_per):
    """One coordinator, two co-chairs, a lead per agency, one in sixteen observes, the rest are
    members."""
    if index == 0:
        return Role.COORDINATOR
    if index < 3:
        return Role.CO_CHAIR
    if index < 3 + agencies_per:
        return Role.AGENCY_LEAD
    if index >= people_per - max(1, people_per // 16):
        return Role.OBSERVER
    return Role.MEMBER


class Command(BaseCommand):
    help = "Seeds the statewide scale (25 task forces, 1,500 agencies, 12,000 people) for the bench."

    def add_arguments(self, parser):
        parser.add_argument("--task-forces", type=int, default=25, help="Task forces to seed.")
        parser.add_argument("--agencies-per", type=int, default=60, help="Agencies per task force.")
        parser.add_argument("--people-per", type=int, default=480, help="People per task force.")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the scale data first, then seed it again."
        )
        parser.add_argument(
            "--password",
            default=None,
            help="Give every scale account this password (by default none of them can sign in).",
        )

    def handle(self, *args, task_forces, agencies_per, people_per, reset, password, **options):
        if task_forces < 1 or agencies_per < 1 or people_per < 3 + agencies_per:
            raise CommandError(
                "Need at least one task force, one agency each, and enough people for a "
                "coordinator, two co-chairs and a lead per agency (people-per >= agencies-per + 3)."
            )
        started = time.perf_counter()
        with transaction.atomic():
            if reset:
                self.delete()
            elif self.already_seeded(task_forces, agencies_per, people_per):
                # Each app still adds its part to task forces that lack it (and nothing otherwise).
                self.announce()
                return
            self.seed(task_forces, agencies_per, people_per, password)
            self.announce()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {task_forces} task forces, {task_forces * agencies_per:,} agencies and "
                f"{task_forces * people_per:,} people in {time.perf_counter() - started:.1f} s."
            )
        )

    def already_seeded(self, task_forces, agencies_per, people_per):
        found = scale_task_forces().count()
        if not found and not scale_people().exists():
            return False
        expected_slugs = {f"{SLUG_PREFIX}{number:02d}" for number in range(1, task_forces + 1)}
        if (
            set(scale_task_forces().values_list("slug", flat=True)) == expected_slugs
            and Agency.objects.filter(task_force__in=scale_task_forces()).count()
            == task_forces * agencies_per
            and Membership.objects.active().filter(task_force__in=scale_task_forces()).count()
            == task_forces * people_per
        ):
            self.stdout.write(
                f"The scale data is already there ({task_forces} task forces, "
                f"{task_forces * agencies_per:,} agencies, {task_forces * people_per:,} people): "
                "nothing to do. Use --reset to rebuild it."
            )
            return True
        raise CommandError(
            f"Scale data of another size is there ({found} task forces named {SLUG_PREFIX}…). "
            "Run seed_scale --reset to rebuild it at the size asked for."
        )

    def announce(self):
        """Each app seeds its part of the scale data (meetings, ...) for these task forces."""
        scale_seeded.send(
            sender=self.__class__, task_forces=list(scale_task_forces().order_by("slug")), stdout=self.stdout
        )

    def delete(self):
        """Remove every scale record, with no history rows for the deletions themselves."""
        started = time.perf_counter()
        scale_deleting.send(sender=self.__class__, task_forces=scale_task_forces(), stdout=self.stdout)
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            task_force_ids = list(scale_task_forces().values_list("pk", flat=True))
            people = scale_people()
            Membership.objects.filter(task_force_id__in=task_force_ids).delete()
            Membership.objects.filter(user__in=people).delete()
            scale_task_forces().delete()  # agencies, invitations and their grants go with them
            TaskForce.history.filter(id__in=task_force_ids).delete()
            Agency.history.filter(task_force_id__in=task_force_ids).delete()
            Membership.history.filter(task_force_id__in=task_force_ids).delete()
            User.history.filter(email__iendswith=f"@{EMAIL_DOMAIN}").delete()
            people.delete()
        self.stdout.write(
            f"Deleted the scale data ({len(task_force_ids)} task forces) "
            f"in {time.perf_counter() - started:.1f} s."
        )

    def seed(self, task_forces, agencies_per, people_per, password):
        hashed = make_password(password)  # once: hashing 12,000 times would take an hour
        User.objects.create(
            email=ADMIN_EMAIL,
            full_name="Scale Administrator",
            password=hashed,
            is_staff=True,
            is_superuser=True,
        )
        TaskForce.objects.bulk_create(
            TaskForce(
                slug=f"{SLUG_PREFIX}{number:02d}",
                name=f"Scale County {number:02d} Anti-Trafficking Task Force",
                jurisdiction=f"Scale County {number:02d}",
                mandate=TaskForce.Mandate.STATE,
                mission="Synthetic records for measuring pages at the statewide scale.",
            )
            for number in range(1, task_forces + 1)
        )
        grants_seconds = 0.0
        for number, task_force in enumerate(scale_task_forces().order_by("slug"), start=1):
            agencies = Agency.objects.bulk_create(
                [self.agency(task_force, index) for index in range(agencies_per)],
                batch_size=BATCH_SIZE,
            )
            roles = [role_for(index, people_per, agencies_per) for index in range(people_per)]
            people = User.objects.bulk_create(
                [self.person(number, index, role, hashed) for index, role in enumerate(roles)],
                batch_size=BATCH_SIZE,
            )
            Membership.objects.bulk_create(
                [
                    self.membership(task_force, agencies, person, index, role)
                    for index, (person, role) in enumerate(zip(people, roles, strict=True))
                ],
                batch_size=BATCH_SIZE,
            )
            started = time.perf_counter()
            access.rebuild_grants(task_force)
            grants_seconds += time.perf_counter() - started
        self.stdout.write(f"Grants rebuilt for {task_forces} task forces in {grants_seconds:.1f} s.")

    def agency(self, task_force, index):
        sector, level, kind = AGENCY_KINDS[index % len(AGENCY_KINDS)]
        town = TOWNS[(index // len(AGENCY_KINDS)) % len(TOWNS)]
        rounds = index // (len(AGENCY_KINDS) * len(TOWNS))
        return Agency(
            task_force=task_force,
            name=f"{town} {kind}" + (f" {rounds + 1}" if rounds else ""),
            sector=sector,
            jurisdiction_level=level,
            phone=f"(555) 555-{index % 100 + 100:04d}",
        )

    def person(self, number, index, role, hashed):
        first = FIRST_NAMES[(index + number) % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7 + number) % len(LAST_NAMES)]
        return User(
            email=f"person-{number:02d}-{index:04d}@{EMAIL_DOMAIN}",
            full_name=f"{first} {last}",
            job_title=JOB_TITLES[role],
            password=hashed,
        )

    def membership(self, task_force, agencies, person, index, role):
        # The people after the coordinator and the two co-chairs lead one agency each.
        agency = agencies[index - 3] if role == Role.AGENCY_LEAD else agencies[index % len(agencies)]
        return Membership(task_force=task_force, agency=agency, user=person, role=role, started_on=STARTED_ON)
