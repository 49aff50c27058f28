"""The move to one trafficking taxonomy keeps every record's meaning: a document's two ticks in
each combination, each old population value, and the people's expertise text, on the records and
their history rows, forward and back. Real migrations on the test database (slower than most
tests: they rebuild two apps' tables a few times)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from taskforce.taxonomy import Population, TraffickingType

pytestmark = pytest.mark.django_db(transaction=True)

PROTOCOLS_BEFORE = ("protocols", "0001_initial")
PROTOCOLS_AFTER = ("protocols", "0003_remove_trafficking_ticks")
MEMBERS_BEFORE = ("members", "0003_committees")
MEMBERS_AFTER = ("members", "0004_expertise_tags")

# (covers sex, covers labour) → the one trafficking type
TICKS = {(True, True): "both", (True, False): "sex", (False, True): "labour", (False, False): ""}
# protocols.models.Population before the move, as it was written
OLD_POPULATIONS = {
    "adults": "Adults",
    "minors": "Minors",
    "foreign_nationals": "Foreign nationals",
    "domestic": "U.S. citizens and residents",
    "lgbtq": "LGBTQ+ people",
    "men_and_boys": "Men and boys",
    "indigenous": "Indigenous people",
    "disabilities": "People with disabilities",
}
EXPERTISE = {
    "Labor and sex trafficking investigations; victim-centered interviewing.": ("both", []),
    "Sex trafficking investigations, online advertisements.": ("sex", []),
    "Prosecution of forced labor cases. Spanish.": ("labour", []),
    "Screening for child sex trafficking; runaway and foster youth.": ("sex", ["minors"]),
    "Advocacy for adult and youth survivors.": ("", ["adults", "minors"]),
    "T and U visa applications; LGBTQ+ youth; clients with a disability.": (
        "",
        ["minors", "foreign_nationals", "lgbtq", "disabilities"],
    ),
    "Outreach to men and boys in tribal lands; U.S. citizens too.": (
        "",
        ["domestic", "men_and_boys", "indigenous"],
    ),
    "Grant management. Korean.": ("", []),
    "": ("", []),
}


@pytest.fixture
def migrate():
    def to(*targets):
        executor = MigrationExecutor(connection)
        executor.migrate(list(targets))
        return executor.loader.project_state(list(targets)).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the schema the rest of the suite expects


def test_every_document_keeps_what_it_covers_forward_and_back(migrate):
    apps = migrate(PROTOCOLS_BEFORE)
    TaskForce = apps.get_model("taskforce", "TaskForce")
    Document = apps.get_model("protocols", "Document")
    HistoricalDocument = apps.get_model("protocols", "HistoricalDocument")
    task_force = TaskForce.objects.create(slug="harbor", name="Harbor", mission="Every victim.")
    populations = [[], list(OLD_POPULATIONS), *([code] for code in OLD_POPULATIONS)]
    titles = {}
    for index, ((sex, labour), populations_of) in enumerate(
        (ticks, populations_of) for ticks in TICKS for populations_of in populations
    ):
        fields = dict(
            task_force_id=task_force.pk,
            kind="protocol",
            title=f"Document {index}",
            covers_sex_trafficking=sex,
            covers_labour_trafficking=labour,
            populations=populations_of,
        )
        document = Document.objects.create(**fields)
        HistoricalDocument.objects.create(
            **fields, id=document.pk, code=document.code, history_date=timezone.now(), history_type="+"
        )
        titles[fields["title"]] = (sex, labour, populations_of)

    apps = migrate(PROTOCOLS_AFTER)
    for name in ("Document", "HistoricalDocument"):
        rows = apps.get_model("protocols", name).objects.values_list(
            "title", "trafficking_type", "populations"
        )
        assert {title: (kind, codes) for title, kind, codes in rows} == {
            title: (TICKS[sex, labour], codes) for title, (sex, labour, codes) in titles.items()
        }
    assert {code: Population(code).label for code in OLD_POPULATIONS} == OLD_POPULATIONS
    assert [TraffickingType.kinds(TICKS[ticks]) for ticks in TICKS] == [
        ["sex", "labour"],
        ["sex"],
        ["labour"],
        [],
    ]

    apps = migrate(PROTOCOLS_BEFORE)
    for name in ("Document", "HistoricalDocument"):
        rows = apps.get_model("protocols", name).objects.values_list(
            "title", "covers_sex_trafficking", "covers_labour_trafficking", "populations"
        )
        assert {title: (sex, labour, codes) for title, sex, labour, codes in rows} == titles


def test_every_persons_expertise_text_stays_and_starts_their_tags(migrate):
    apps = migrate(MEMBERS_BEFORE)
    User = apps.get_model("members", "User")
    HistoricalUser = apps.get_model("members", "HistoricalUser")
    for index, text in enumerate(EXPERTISE):
        fields = dict(email=f"person{index}@example.org", full_name=f"Person {index}", expertise=text)
        user = User.objects.create(**fields, password="!")
        HistoricalUser.objects.create(
            **fields, id=user.pk, code=user.code, history_date=timezone.now(), history_type="+"
        )

    apps = migrate(MEMBERS_AFTER)
    for name in ("User", "HistoricalUser"):
        rows = apps.get_model("members", name).objects.values_list(
            "expertise", "expertise_trafficking_type", "expertise_populations"
        )
        assert {text: (kind, codes) for text, kind, codes in rows} == EXPERTISE
    assert {code for _, codes in EXPERTISE.values() for code in codes} <= set(Population.values)

    apps = migrate(MEMBERS_BEFORE)
    for name in ("User", "HistoricalUser"):
        rows = apps.get_model("members", name).objects.values_list("expertise", flat=True)
        assert sorted(rows) == sorted(EXPERTISE)
