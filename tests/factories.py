import factory
from django.utils import timezone

from members import access
from members.models import Agency, Membership, Role, Sector, User
from taskforce.models import TaskForce

PASSWORD = "correct-horse-battery"


class TaskForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskForce

    name = factory.Sequence(lambda n: f"County {n} Anti-Trafficking Task Force")
    slug = factory.Sequence(lambda n: f"county-{n}")
    jurisdiction = factory.Sequence(lambda n: f"County {n}")
    mission = "Identify and serve every victim of human trafficking, sex and labour alike."
    purpose = "Coordinate investigation, prosecution and victim services across agencies."


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    task_force = factory.SubFactory(TaskForceFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = Sector.VICTIM_SERVICES
    jurisdiction_level = Agency.Level.COUNTY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    job_title = "Investigator"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    """A membership whose grants are in place, as the services would leave them."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    task_force = factory.SelfAttribute("agency.task_force")
    role = Role.MEMBER
    started_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=30))

    @factory.post_generation
    def grants(self, create, extracted, **kwargs):
        if create:
            access.sync_grants(self.user, self.task_force)


def member_of(agency, role=Role.MEMBER, **user_fields):
    """A new person with one active membership of `agency`, in `role`."""
    return MembershipFactory(agency=agency, role=role, user=UserFactory(**user_fields)).user
