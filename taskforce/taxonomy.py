"""The trafficking taxonomy: one vocabulary of trafficking types and victim populations that every
app tags its records with (trend briefs, protocols, members' expertise, then training and goals),
so that the balance view can count them side by side. It names no app.

A record's trafficking type is one value (sex, labour, both, or blank for neither), because two
kinds of trafficking make four states that one column holds exactly, and counting by type is one
`values(field).annotate(Count(...))`. Its populations are a list of codes (a JSON list, empty for
"everyone"); `balance()` counts both in one query on SQLite and PostgreSQL alike.
"""

from django import forms
from django.db import models
from django.db.models import Count, Q


class TraffickingType(models.TextChoices):
    SEX = "sex", "Sex trafficking"
    LABOUR = "labour", "Labour trafficking"
    # Covers both kinds (a protocol for every victim; a brief of mixed or not yet told cases).
    BOTH = "both", "Both sex and labour"

    @classmethod
    def covering(cls, kind):
        """The values that count for `kind` (sex or labour): "both" counts for each."""
        return [kind, cls.BOTH]

    @classmethod
    def from_flags(cls, sex, labour):
        """The value for "covers sex trafficking" and "covers labour trafficking"; blank for neither."""
        if sex and labour:
            return cls.BOTH
        if sex:
            return cls.SEX
        if labour:
            return cls.LABOUR
        return ""

    @classmethod
    def kinds(cls, value):
        """The kinds a value covers, sex first: "both" is [SEX, LABOUR], blank is []."""
        return [kind for kind in (cls.SEX, cls.LABOUR) if value in cls.covering(kind)]


class Population(models.TextChoices):
    ADULTS = "adults", "Adults"
    MINORS = "minors", "Minors"
    FOREIGN_NATIONALS = "foreign_nationals", "Foreign nationals"
    DOMESTIC = "domestic", "U.S. citizens and residents"
    LGBTQ = "lgbtq", "LGBTQ+ people"
    MEN_AND_BOYS = "men_and_boys", "Men and boys"
    INDIGENOUS = "indigenous", "Indigenous people"
    DISABILITIES = "disabilities", "People with disabilities"

    @classmethod
    def labels_of(cls, codes):
        labels = dict(cls.choices)
        return [labels.get(code, code) for code in codes]


def trafficking_type_field(verbose_name="trafficking type", **options):
    """The model field that holds a TraffickingType (blank allowed for "neither" unless told)."""
    options.setdefault("blank", True)
    return models.CharField(verbose_name, max_length=10, choices=TraffickingType.choices, **options)


def has_population(field, code):
    """A filter for records whose JSON list `field` holds `code`: a quoted match on the JSON
    text, because `__contains` on a JSON list does not work on SQLite."""
    return Q(**{f"{field}__icontains": f'"{code}"'})


def balance(queryset, *, type_field="trafficking_type", populations_field=None):
    """How many records cover each trafficking type (and population), in one query:
    {"sex": n, "labour": n, "populations": {code: n}}; "both" counts for each type."""
    counts = {
        kind: Count("pk", filter=Q(**{f"{type_field}__in": TraffickingType.covering(kind)}))
        for kind in (TraffickingType.SEX, TraffickingType.LABOUR)
    }
    if populations_field:
        counts.update(
            {
                f"population_{code}": Count("pk", filter=has_population(populations_field, code))
                for code in Population.values
            }
        )
    row = queryset.order_by().aggregate(**counts)
    result = {kind: row[kind] for kind in (TraffickingType.SEX, TraffickingType.LABOUR)}
    if populations_field:
        result["populations"] = {code: row[f"population_{code}"] for code in Population.values}
    return result


class TraffickingTypeField(forms.MultipleChoiceField):
    """Ticks for sex and labour trafficking that clean to one TraffickingType value."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kinds = (TraffickingType.SEX, TraffickingType.LABOUR)
        super().__init__(choices=[(kind, TraffickingType(kind).label) for kind in kinds], **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return TraffickingType.kinds(value)
        return value

    def clean(self, value):
        kinds = super().clean(value)
        return TraffickingType.from_flags(TraffickingType.SEX in kinds, TraffickingType.LABOUR in kinds)

    def has_changed(self, initial, data):
        return set(self.prepare_value(initial or "")) != set(data or [])


class PopulationsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=Population.choices, **kwargs)
