"""Load a fictional demo: Harbor County's task force, a smaller regional one, and six sign-ins.

Every name, address and number here is made up (example.org addresses, 555-01xx numbers), and
there is no victim data: the demo is about agencies and the people who serve on task forces.
Running it again changes nothing; it only restores what someone changed or deleted.
"""

from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from members import access
from members.models import Agency, Invitation, Membership, Role, Sector, User
from members.signals import demo_loaded
from taskforce.models import TaskForce
from taskforce.reminders import demo as reminders_demo
from taskforce.taxonomy import Population, TraffickingType

DEMO_PASSWORD = "taskforce-demo"
LEVEL = Agency.Level

HARBOR, RIDGE = "harbor-county", "ridge-valley"
COORDINATOR, CO_CHAIR, LEAD = Role.COORDINATOR, Role.CO_CHAIR, Role.AGENCY_LEAD
MEMBER, OBSERVER = Role.MEMBER, Role.OBSERVER

# fmt: off

# slug, name, jurisdiction, mandate, legal citation, founded on, mission, purpose
TASK_FORCES = [
    (
        HARBOR,
        "Harbor County Anti-Trafficking Task Force",
        "Harbor County",
        TaskForce.Mandate.STATE,
        "Human Trafficking Response Act of 2016, § 7 (county task forces)",
        date(2017, 3, 15),
        "To identify and serve every victim of human trafficking in Harbor County, sex and labor "
        "trafficking alike, and to hold traffickers accountable through a coordinated, "
        "victim-centered and trauma-informed response.",
        "We bring law enforcement, prosecutors, victim service providers, labor inspectors, "
        "health, child welfare, schools, faith and business partners to one table. We keep shared "
        "protocols and MOUs, train front-line staff to recognise trafficking, share de-identified "
        "trends, and coordinate services so that no survivor has to tell their story more often "
        "than needed.",
    ),
    (
        RIDGE,
        "Ridge Valley Regional Task Force",
        "Ridge, Valley and Stone counties",
        TaskForce.Mandate.REGIONAL,
        "",
        date(2021, 9, 1),
        "To coordinate a regional response to labor and sex trafficking across the rural Ridge "
        "Valley, with a focus on agriculture, forestry and roadside businesses.",
        "Three small counties share one investigator pool, one advocacy network and one "
        "training calendar, so that a call from a farm, a truck stop or a clinic reaches the "
        "right partner the same day.",
    ),
]

# task force, key, name, sector, level, address, phone (555-01xx), website host (.example.org)
AGENCIES = [
    (HARBOR, "sheriff", "Harbor County Sheriff's Office", Sector.LAW_ENFORCEMENT, LEVEL.COUNTY,
     "400 Courthouse Square, Port City", "0110", "sheriff.harborcounty"),
    (HARBOR, "port-city-pd", "Port City Police Department", Sector.LAW_ENFORCEMENT, LEVEL.LOCAL,
     "75 Water Street, Port City", "0111", "police.portcity"),
    (HARBOR, "state-police", "State Police Troop C, Special Investigations Unit",
     Sector.LAW_ENFORCEMENT, LEVEL.STATE, "2200 Turnpike Road, Millbrook", "0112", "troopc.statepolice"),
    (HARBOR, "da", "Harbor County District Attorney's Office", Sector.PROSECUTION, LEVEL.COUNTY,
     "410 Courthouse Square, Port City", "0113", "da.harborcounty"),
    (HARBOR, "advocacy", "Safe Harbor Advocacy Center", Sector.VICTIM_SERVICES, LEVEL.NON_GOVERNMENTAL,
     "18 Chapel Street, Suite 200, Port City", "0114", "safeharbor"),
    (HARBOR, "labor", "State Department of Labor, Wage and Hour Division", Sector.LABOUR, LEVEL.STATE,
     "90 Commerce Plaza, Port City", "0115", "wagehour.labor"),
    (HARBOR, "workforce", "Harbor County Workforce Development Board", Sector.LABOUR, LEVEL.COUNTY,
     "12 Mill Street, Port City", "0116", "workforce.harborcounty"),
    (HARBOR, "hospital", "Harbor General Hospital", Sector.HEALTH, LEVEL.COUNTY,
     "1 Hospital Drive, Port City", "0117", "harborgeneral"),
    (HARBOR, "public-health", "Harbor County Health Department", Sector.HEALTH, LEVEL.COUNTY,
     "55 Elm Street, Port City", "0118", "health.harborcounty"),
    (HARBOR, "cfs", "Harbor County Children and Family Services", Sector.CHILD_WELFARE, LEVEL.COUNTY,
     "300 Main Street, Port City", "0119", "cfs.harborcounty"),
    (HARBOR, "immigration", "Harbor Immigrant Legal Services", Sector.IMMIGRATION,
     LEVEL.NON_GOVERNMENTAL, "27 Harbor View Avenue, Port City", "0120", "immigrantlegal"),
    (HARBOR, "schools", "Harbor County Public Schools", Sector.EDUCATION, LEVEL.COUNTY,
     "600 School Street, Port City", "0121", "schools.harborcounty"),
    (HARBOR, "interfaith", "Interfaith Council of Harbor County", Sector.FAITH_BASED,
     LEVEL.NON_GOVERNMENTAL, "9 Church Street, Port City", "0122", "interfaith-harbor"),
    (HARBOR, "hospitality", "Harbor Hospitality and Lodging Association", Sector.BUSINESS,
     LEVEL.NON_GOVERNMENTAL, "140 Shore Road, Port City", "0123", "harborhospitality"),
    (HARBOR, "survivors", "Rising Tide Survivor Network", Sector.SURVIVOR_LED, LEVEL.NON_GOVERNMENTAL,
     "PO Box 412, Port City", "0124", "risingtide"),
    (HARBOR, "helpline", "Harbor County 2-1-1 Community Helpline", Sector.OTHER, LEVEL.COUNTY,
     "88 Bridge Street, Port City", "0125", "211.harborcounty"),
    (RIDGE, "state-police", "State Police Troop C, Special Investigations Unit", Sector.LAW_ENFORCEMENT,
     LEVEL.STATE, "2200 Turnpike Road, Millbrook", "0112", "troopc.statepolice"),
    (RIDGE, "prosecutor", "Ridge Valley Regional Prosecutor's Office", Sector.PROSECUTION,
     LEVEL.REGIONAL, "5 Court Street, Ridgefield", "0130", "prosecutor.ridgevalley"),
    (RIDGE, "family-services", "Valley Family Services", Sector.VICTIM_SERVICES, LEVEL.NON_GOVERNMENTAL,
     "210 Main Street, Ridgefield", "0131", "valleyfamily"),
    (RIDGE, "farmworker", "Ridge Valley Farmworker Outreach", Sector.LABOUR, LEVEL.NON_GOVERNMENTAL,
     "44 Orchard Lane, Stonebridge", "0132", "farmworker-ridge"),
    (RIDGE, "clinic", "Ridge Valley Community Health Center", Sector.HEALTH, LEVEL.REGIONAL,
     "18 Clinic Road, Ridgefield", "0133", "rvchc"),
]

# email (an unqualified name means name@example.org), full name, job title, expertise
PEOPLE = [
    ("coordinator@example.org", "Cora Mendez", "Task force coordinator",
     "Task force coordination, grant management and MOU administration. Spanish."),
    ("cochair@example.org", "Dana Whitfield", "Lieutenant, special investigations",
     "Labor and sex trafficking investigations across county lines; victim-centered interviewing."),
    ("renee.okafor", "Renée Okafor", "Executive director",
     "Trauma-informed advocacy for adult and youth survivors; 20 years in victim services."),
    ("lead@example.org", "Marcus Bell", "Sergeant, human trafficking unit",
     "Sex trafficking investigations, online advertisements, hotel and motel outreach."),
    ("tomas.reyes", "Tomás Reyes", "Detective sergeant",
     "Labor exploitation in nail salons, restaurants and domestic work. Spanish."),
    ("ian.mcallister", "Ian McAllister", "Trooper first class",
     "Interstate transport and truck-stop outreach."),
    ("grace.liu", "Grace Liu", "Assistant district attorney, special victims",
     "Prosecution of trafficking, forced labor and the financial crimes around them."),
    ("alma.torres", "Alma Torres", "Director of client services",
     "Crisis response, safety planning and emergency housing referrals."),
    ("peter.novak", "Peter Novak", "Supervising wage and hour investigator",
     "Labor inspections in agriculture, seafood processing and construction. Polish."),
    ("keisha.grant", "Keisha Grant", "Program manager",
     "Job training and placement for survivors; employer outreach."),
    ("samuel.adeyemi", "Samuel Adeyemi", "Emergency physician",
     "Recognising trafficking in emergency care; forensic nurse examiner liaison. Yoruba."),
    ("laura.chen", "Laura Chen", "Public health nurse supervisor",
     "Outreach to migrant and seasonal workers. Mandarin."),
    ("denise.walker", "Denise Walker", "Child protective services supervisor",
     "Screening for child sex trafficking; runaway and foster youth."),
    ("ana.petrovic", "Ana Petrović", "Managing attorney",
     "T and U visa applications and continued presence requests. Serbian, Croatian."),
    ("james.oconnor", "James O'Connor", "Director of student services",
     "School-based prevention curricula and staff training."),
    ("hannah.brooks", "Hannah Brooks", "Council chair",
     "Volunteer networks and congregation-based awareness campaigns."),
    ("victor.salas", "Victor Salas", "Executive director",
     "Hotel staff training and reporting procedures."),
    ("mia.johnson", "Mia Johnson", "Founder and peer mentor",
     "Survivor leadership and peer support; advises on survivor-informed practice."),
    ("robert.kim", "Robert Kim", "Helpline operations manager",
     "24-hour referral line and the county resource directory. Korean."),
    ("member@example.org", "Jordan Avery", "Detective",
     "Digital forensics and online exploitation investigations."),
    ("nina.kowalski", "Nina Kowalski", "Deputy sheriff", "Patrol and community policing. Polish."),
    ("sarah.blake", "Sarah Blake", "Detective",
     "Financial investigations: following the money in labor trafficking cases."),
    ("luis.ortega", "Luis Ortega", "Detective", "Labor trafficking in restaurants and farms. Spanish."),
    ("priya.nair", "Priya Nair", "Crime analyst", "De-identified trend analysis and information sharing."),
    ("ben.harper", "Ben Harper", "Victim-witness coordinator",
     "Court accompaniment and victims' rights notification."),
    ("fatima.haddad", "Fatima Haddad", "Advocate",
     "Advocacy for survivors of labor trafficking. Arabic, French."),
    ("sofia.rossi", "Sofía Rossi", "Youth advocate", "Services for minors and transition-age youth."),
    ("kevin.doyle", "Kevin Doyle", "Wage and hour investigator",
     "Inspections of farms and seasonal worker housing."),
    ("marisol.vega", "Marisol Vega", "Hospital social worker",
     "Hospital social work and discharge planning. Spanish."),
    ("thomas.green", "Thomas Green", "Caseworker", "Foster care placements and missing-child response."),
    ("elena.popescu", "Elena Popescu", "Staff attorney", "Immigration relief for survivors. Romanian."),
    ("david.nguyen", "David Nguyen", "School counselor", "Identifying students at risk. Vietnamese."),
    ("ruth.adler", "Ruth Adler", "Volunteer coordinator", "Donations and volunteer transport."),
    ("carlos.medina", "Carlos Medina", "Peer mentor",
     "Peer support for men who survived labor trafficking. Spanish."),
    ("amara.diallo", "Amara Diallo", "Community health worker",
     "Outreach in agricultural worker housing. French, Wolof."),
    ("owen.price", "Owen Price", "Employer outreach specialist",
     "Employer partnerships and fair recruitment practices."),
    ("hana.sato", "Hana Sato", "Resource specialist", "Keeps the referral directory current. Japanese."),
    ("observer@example.org", "Olivia Park", "Director of risk management",
     "Hotel-sector compliance; attends for information sharing."),
    ("walter.hughes", "Walter Hughes", "Policy analyst", "County budget and grant reporting."),
    ("lina.farouk", "Lina Farouk", "Research fellow", "Program evaluation with de-identified data only."),
    ("george.baptiste", "George Baptiste", "Deacon", "Community liaison. Haitian Creole."),
    ("helen.marsh", "Helen Marsh", "Regional task force coordinator",
     "Rural task force coordination and grant reporting."),
    ("rosa.delgado", "Rosa Delgado", "Program director",
     "Farmworker rights and seasonal visa programs. Spanish, Mixtec."),
    ("william.stone", "William Stone", "Chief investigator", "Forced labor cases in forestry and farming."),
    ("joy.adams", "Joy Adams", "Executive director", "Rural victim services and transport."),
    ("martin.cole", "Martin Cole", "Medical director", "Primary care for uninsured and seasonal workers."),
    ("emily.fischer", "Emily Fischer", "Outreach worker", "Farm and camp outreach. German, Spanish."),
    ("paul.ward", "Paul Ward", "Board member", "Attends for the clinic's board."),
]

# The taxonomy's tags for the people whose expertise names a kind of trafficking or a population.
EXPERTISE_TAGS = {
    "cochair@example.org": (TraffickingType.BOTH, [Population.ADULTS, Population.MINORS]),
    "renee.okafor": ("", [Population.ADULTS, Population.MINORS]),
    "lead@example.org": (TraffickingType.SEX, [Population.ADULTS]),
    "tomas.reyes": (TraffickingType.LABOUR, [Population.ADULTS, Population.FOREIGN_NATIONALS]),
    "grace.liu": (TraffickingType.BOTH, []),
    "peter.novak": (TraffickingType.LABOUR, [Population.ADULTS]),
    "laura.chen": (TraffickingType.LABOUR, [Population.FOREIGN_NATIONALS]),
    "denise.walker": (TraffickingType.SEX, [Population.MINORS]),
    "ana.petrovic": (TraffickingType.BOTH, [Population.FOREIGN_NATIONALS]),
    "member@example.org": (TraffickingType.SEX, []),
    "sarah.blake": (TraffickingType.LABOUR, []),
    "luis.ortega": (TraffickingType.LABOUR, [Population.ADULTS]),
    "fatima.haddad": (TraffickingType.LABOUR, [Population.FOREIGN_NATIONALS]),
    "sofia.rossi": ("", [Population.MINORS, Population.LGBTQ]),
    "thomas.green": ("", [Population.MINORS]),
    "elena.popescu": ("", [Population.FOREIGN_NATIONALS]),
    "carlos.medina": (TraffickingType.LABOUR, [Population.MEN_AND_BOYS]),
}

# task force, email, agency key, role: active memberships
MEMBERSHIPS = [
    (HARBOR, "coordinator@example.org", "da", COORDINATOR),
    (HARBOR, "cochair@example.org", "state-police", CO_CHAIR),
    (HARBOR, "renee.okafor", "advocacy", CO_CHAIR),
    (HARBOR, "lead@example.org", "sheriff", LEAD),
    (HARBOR, "tomas.reyes", "port-city-pd", LEAD),
    (HARBOR, "ian.mcallister", "state-police", LEAD),
    (HARBOR, "grace.liu", "da", LEAD),
    (HARBOR, "alma.torres", "advocacy", LEAD),
    (HARBOR, "peter.novak", "labor", LEAD),
    (HARBOR, "keisha.grant", "workforce", LEAD),
    (HARBOR, "samuel.adeyemi", "hospital", LEAD),
    (HARBOR, "laura.chen", "public-health", LEAD),
    (HARBOR, "denise.walker", "cfs", LEAD),
    (HARBOR, "ana.petrovic", "immigration", LEAD),
    (HARBOR, "james.oconnor", "schools", LEAD),
    (HARBOR, "hannah.brooks", "interfaith", LEAD),
    (HARBOR, "victor.salas", "hospitality", LEAD),
    (HARBOR, "mia.johnson", "survivors", LEAD),
    (HARBOR, "robert.kim", "helpline", LEAD),
    (HARBOR, "member@example.org", "sheriff", MEMBER),
    (HARBOR, "nina.kowalski", "sheriff", MEMBER),
    (HARBOR, "sarah.blake", "sheriff", MEMBER),
    (HARBOR, "luis.ortega", "port-city-pd", MEMBER),
    (HARBOR, "priya.nair", "state-police", MEMBER),
    (HARBOR, "ben.harper", "da", MEMBER),
    (HARBOR, "fatima.haddad", "advocacy", MEMBER),
    (HARBOR, "sofia.rossi", "advocacy", MEMBER),
    (HARBOR, "kevin.doyle", "labor", MEMBER),
    (HARBOR, "marisol.vega", "hospital", MEMBER),
    (HARBOR, "thomas.green", "cfs", MEMBER),
    (HARBOR, "elena.popescu", "immigration", MEMBER),
    (HARBOR, "david.nguyen", "schools", MEMBER),
    (HARBOR, "ruth.adler", "interfaith", MEMBER),
    (HARBOR, "carlos.medina", "survivors", MEMBER),
    (HARBOR, "amara.diallo", "public-health", MEMBER),
    (HARBOR, "owen.price", "workforce", MEMBER),
    (HARBOR, "hana.sato", "helpline", MEMBER),
    (HARBOR, "observer@example.org", "hospitality", OBSERVER),
    (HARBOR, "walter.hughes", "helpline", OBSERVER),
    (HARBOR, "lina.farouk", "public-health", OBSERVER),
    (HARBOR, "george.baptiste", "interfaith", OBSERVER),
    (RIDGE, "helen.marsh", "prosecutor", COORDINATOR),
    (RIDGE, "rosa.delgado", "farmworker", CO_CHAIR),
    (RIDGE, "cochair@example.org", "state-police", MEMBER),  # one person in two task forces
    (RIDGE, "william.stone", "prosecutor", LEAD),
    (RIDGE, "joy.adams", "family-services", LEAD),
    (RIDGE, "martin.cole", "clinic", LEAD),
    (RIDGE, "emily.fischer", "farmworker", MEMBER),
    (RIDGE, "paul.ward", "clinic", OBSERVER),
]

# task force, email, agency key, role, started on, ended on, reason: memberships that ended
ENDED_MEMBERSHIPS = [
    (HARBOR, "sarah.blake", "port-city-pd", MEMBER, date(2018, 2, 1), date(2024, 6, 28),
     "Transferred to the Sheriff's Office human trafficking unit."),
]
# Start dates that the spread below would get wrong: Sarah joined the Sheriff's Office later.
STARTED_ON = {(HARBOR, "sarah.blake"): date(2024, 7, 1)}

# task force, email, name, agency key, role, invited by: pending invitations
INVITATIONS = [
    (HARBOR, "ines.carvalho", "Inês Carvalho", "advocacy", MEMBER, "alma.torres"),
    (HARBOR, "michael.brennan", "Michael Brennan", "hospital", OBSERVER, "coordinator@example.org"),
    (HARBOR, "t.whitehorse", "", "schools", MEMBER, "james.oconnor"),
    (RIDGE, "kwame.osei", "Kwame Osei", "state-police", LEAD, "helen.marsh"),
]

ADMIN = ("admin@example.org", "Ada Administrator", "System administrator")
SIGN_INS = [
    ("coordinator@example.org", "coordinator of Harbor County"),
    ("cochair@example.org", "co-chair of Harbor County, member of Ridge Valley"),
    ("lead@example.org", "agency lead of Harbor County Sheriff's Office"),
    ("member@example.org", "member of Harbor County"),
    ("observer@example.org", "observer in Harbor County"),
    ("admin@example.org", "administrator (Django admin), no task force"),
]
# fmt: on


def email_of(name):
    return name if "@" in name else f"{name}@example.org"


def upsert(model, lookup, values, create_only=None):
    """get_or_create on a natural key, then save only the fields that differ: a second run
    writes nothing, so neither versions nor history move."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values, **(create_only or {})), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    extra = [name for name in ("version", "updated_at") if hasattr(obj, name)]
    if "version" in extra:
        obj.version += 1
    obj.save(update_fields=changed + extra)
    return obj, "updated"


class Command(BaseCommand):
    help = "Loads a fictional demo task force and six demo sign-ins (only with DEBUG on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo only runs with DEBUG on: it creates accounts whose password "
                f"({DEMO_PASSWORD}) is published. Run `DEBUG=True manage.py load_demo` on a laptop, "
                "never against a real installation."
            )
        self.tally = Counter()
        with transaction.atomic():
            task_forces = self.load()
            # Last, once every app has added its part: the reminders all of it makes due.
            self.reminders = reminders_demo.load(self.people)
        self.report(task_forces)

    def upsert(self, model, lookup, values, create_only=None):
        obj, outcome = upsert(model, lookup, values, create_only)
        self.tally[outcome] += 1
        return obj

    def load(self):
        password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo person
        task_forces = {}
        for slug, name, jurisdiction, mandate, citation, founded_on, mission, purpose in TASK_FORCES:
            values = {
                "name": name,
                "jurisdiction": jurisdiction,
                "mandate": mandate,
                "legal_citation": citation,
                "founded_on": founded_on,
                "mission": mission,
                "purpose": purpose,
                "time_zone": "America/New_York",
            }
            task_forces[slug] = self.upsert(TaskForce, {"slug": slug}, values)

        agencies = {}
        for slug, key, name, sector, level, address, phone, host in AGENCIES:
            values = {
                "sector": sector,
                "jurisdiction_level": level,
                "address": address,
                "phone": f"(410) 555-{phone}",
                "website": f"https://{host}.example.org",
            }
            agencies[slug, key] = self.upsert(Agency, {"task_force": task_forces[slug], "name": name}, values)

        # A person's work phone is the main number of the agency they first serve.
        home_agency = {}
        for slug, name, key, _ in MEMBERSHIPS:
            home_agency.setdefault(email_of(name), agencies[slug, key])
        people = {}
        for name, full_name, job_title, expertise in PEOPLE:
            email = email_of(name)
            trafficking_type, populations = EXPERTISE_TAGS.get(name, ("", []))
            values = {
                "full_name": full_name,
                "job_title": job_title,
                "expertise": expertise,
                "expertise_trafficking_type": trafficking_type,
                "expertise_populations": populations,
                "work_phone": f"{home_agency[email].phone} ext. {200 + len(people)}",
                "is_active": True,
            }
            people[email] = self.upsert(User, {"email": email}, values, {"password": password})
        admin_email, admin_name, admin_title = ADMIN
        people[admin_email] = self.upsert(
            User,
            {"email": admin_email},
            {
                "full_name": admin_name,
                "job_title": admin_title,
                "is_active": True,
                "is_staff": True,
                "is_superuser": True,
            },
            {"password": password},
        )
        self.restore_passwords(people.values(), password)
        self.people = people

        for index, (slug, name, key, role) in enumerate(MEMBERSHIPS):
            task_force = task_forces[slug]
            spread = timedelta(days=(index * 47) % 1500)  # joined over the years, leaders first
            started_on = STARTED_ON.get((slug, name), task_force.founded_on + spread)
            self.upsert(
                Membership,
                {
                    "user": people[email_of(name)],
                    "task_force": task_force,
                    "agency": agencies[slug, key],
                    "ended_on": None,
                },
                {"role": role, "started_on": started_on},
            )
        for slug, name, key, role, started_on, ended_on, reason in ENDED_MEMBERSHIPS:
            self.upsert(
                Membership,
                {
                    "user": people[email_of(name)],
                    "task_force": task_forces[slug],
                    "agency": agencies[slug, key],
                    "ended_on": ended_on,
                },
                {"role": role, "started_on": started_on, "end_reason": reason},
            )

        for slug, name, full_name, key, role, invited_by in INVITATIONS:
            invitation = self.upsert(
                Invitation,
                {
                    "email": email_of(name),
                    "task_force": task_forces[slug],
                    "agency": agencies[slug, key],
                    "accepted_at": None,
                    "revoked_at": None,
                },
                {"full_name": full_name, "role": role, "invited_by_id": people[email_of(invited_by)].pk},
                {"expires_at": self.invitation_expiry()},
            )
            if invitation.get_status() == "expired":  # a demo loaded last month: pending again
                invitation.expires_at = self.invitation_expiry()
                invitation.save(update_fields=["expires_at"])
                self.tally["updated"] += 1

        for slug, email in {(row[0], email_of(row[1])) for row in MEMBERSHIPS + ENDED_MEMBERSHIPS}:
            access.sync_grants(people[email], task_forces[slug])
        # Each app adds its part of the demo (meetings, …) to these task forces and people.
        demo_loaded.send(sender=self.__class__, task_forces=task_forces, people=people)
        return task_forces.values()

    def invitation_expiry(self):
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    def restore_passwords(self, people, password):
        """Give back the demo password to anyone who changed it; each stored hash is checked
        once (every demo person shares one), so a second run costs one hash, not fifty."""
        verified = {password: True}
        for person in people:
            if person.password not in verified:
                verified[person.password] = check_password(DEMO_PASSWORD, person.password)
            if not verified[person.password]:
                person.password = password
                person.save(update_fields=["password"])
                self.tally["updated"] += 1

    def report(self, task_forces):
        tally = self.tally
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data is ready: {tally['created']} records created, {tally['updated']} updated, "
                f"{tally['unchanged']} already in place."
            )
        )
        for task_force in task_forces:
            people = (
                Membership.objects.active().filter(task_force=task_force).values("user").distinct().count()
            )
            self.stdout.write(
                f"  {task_force.name} (/tf/{task_force.slug}/): {task_force.agencies.count()} agencies, "
                f"{people} people, {task_force.invitations.pending().count()} pending invitations"
            )
        recorded, delivered = self.reminders
        self.stdout.write(f"  Reminders: {recorded} due, {delivered} delivered by this run (see Notices)")
        self.stdout.write(f"Sign in with the password {DEMO_PASSWORD} (every demo person has it) as:")
        for email, what in SIGN_INS:
            self.stdout.write(f"  {email:<26} {what}")
