"""The shared trafficking vocabulary: what each value covers, the form field's two ticks, and the
balance counted in one query."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from protocols.models import Document
from taskforce.taxonomy import Population, TraffickingType, TraffickingTypeField, balance
from tests.protocols.factories import DocumentFactory


class TestTraffickingType:
    @pytest.mark.parametrize(
        "sex, labour, value",
        [(True, True, "both"), (True, False, "sex"), (False, True, "labour"), (False, False, "")],
    )
    def test_the_two_ticks_make_one_value_and_back(self, sex, labour, value):
        assert TraffickingType.from_flags(sex, labour) == value
        assert TraffickingType.kinds(value) == [kind for kind, on in (("sex", sex), ("labour", labour)) if on]

    def test_both_counts_for_each_kind(self):
        assert TraffickingType.covering("sex") == ["sex", "both"]
        assert TraffickingType.covering("labour") == ["labour", "both"]


class TestTraffickingTypeField:
    class Form(forms.Form):
        trafficking = TraffickingTypeField()

    @pytest.mark.parametrize("ticked, value", [(["sex", "labour"], "both"), (["labour"], "labour"), ([], "")])
    def test_it_cleans_the_ticks_to_one_value(self, ticked, value):
        form = self.Form({"trafficking": ticked})
        assert form.is_valid() and form.cleaned_data["trafficking"] == value

    def test_it_shows_a_stored_value_as_its_ticks(self):
        html = str(self.Form(initial={"trafficking": "both"})["trafficking"])
        assert html.count("checked") == 2 and "Labour trafficking" in html

    def test_an_unchanged_value_is_not_a_change(self):
        form = self.Form({"trafficking": ["sex", "labour"]}, initial={"trafficking": "both"})
        assert not form.has_changed()


def test_the_balance_counts_types_and_populations_in_one_query(db, task_force):
    for kind, populations in [
        ("sex", ["minors"]),
        ("labour", ["adults", "foreign_nationals"]),
        ("both", ["minors", "adults"]),
        ("", []),
    ]:
        DocumentFactory(task_force=task_force, trafficking_type=kind, populations=populations)
    with CaptureQueriesContext(connection) as queries:
        counts = balance(Document.objects.filter(task_force=task_force), populations_field="populations")
    assert len(queries) == 1
    assert (counts["sex"], counts["labour"]) == (2, 2)
    assert counts["populations"] == {code: 0 for code in Population.values} | {
        "minors": 2,
        "adults": 2,
        "foreign_nationals": 1,
    }
