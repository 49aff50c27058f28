import factory

from protocols.models import Document, Kind, Signatory, Status, Version

from ..factories import TaskForceFactory


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document; its status follows its versions once a VersionFactory adds one."""

    class Meta:
        model = Document
        skip_postgeneration_save = True

    task_force = factory.SubFactory(TaskForceFactory)
    kind = Kind.PROTOCOL
    category = "referral"
    title = factory.Sequence(lambda n: f"Referral protocol {n}")
    summary = "How member agencies refer a potential victim to services."


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Version
        skip_postgeneration_save = True

    document = factory.SubFactory(DocumentFactory)
    number = factory.LazyAttribute(lambda o: o.document.versions.count() + 1)
    body = (
        "# Purpose\n\nEvery agency refers a potential victim within **24 hours**.\n\n"
        "- Call the hotline\n- Tell the coordinator\n"
    )
    change_summary = "First text."
    status = Status.DRAFT

    @factory.post_generation
    def refresh(self, create, extracted, **kwargs):
        if create:
            self.document.refresh_status()


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    version = factory.SubFactory(VersionFactory, document__kind=Kind.MOU)
    agency = factory.SubFactory(
        "tests.factories.AgencyFactory", task_force=factory.SelfAttribute("..version.document.task_force")
    )
