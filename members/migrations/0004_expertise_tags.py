"""Members' expertise becomes the taxonomy's tags (trafficking type and populations) beside the free
text, which stays as it was. The tags start from what the text says in so many words (a cautious
reading: "sex trafficking", "forced labor", "youth", "T and U visa"…); the person corrects them on
their profile. Reversing clears the tags; the text was never touched."""

import re

from django.db import migrations, models

SEX = re.compile(r"\bsex(ual)? (trafficking|exploitation)\b|\bcommercial sex\b", re.I)
LABOUR = re.compile(
    r"\blabou?r (and sex )?(trafficking|exploitation|inspections?)\b|\bforced labou?r\b", re.I
)
POPULATIONS = {
    "adults": re.compile(r"\badults?\b", re.I),
    "minors": re.compile(r"\b(minors?|child(ren)?|youth|juveniles?|adolescents?)\b", re.I),
    "foreign_nationals": re.compile(
        r"\b(foreign[- ]nationals?|immigra\w*|visas?|refugees?|asylum)\b", re.I
    ),
    "domestic": re.compile(r"\bU\.?S\.? (citizens?|residents?)\b", re.I),
    "lgbtq": re.compile(r"\bLGBT", re.I),
    "men_and_boys": re.compile(r"\bmen and boys\b", re.I),
    "indigenous": re.compile(r"\b(indigenous|native american|tribal)\b", re.I),
    "disabilities": re.compile(r"\bdisabilit(y|ies)\b", re.I),
}
BATCH = 1000


def tags_of(text):
    """The trafficking type and populations a free text names outright."""
    sex, labour = bool(SEX.search(text)), bool(LABOUR.search(text))
    kind = "both" if sex and labour else "sex" if sex else "labour" if labour else ""
    return kind, [code for code, pattern in POPULATIONS.items() if pattern.search(text)]


def text_to_tags(apps, schema_editor):
    for name in ("User", "HistoricalUser"):
        model = apps.get_model("members", name)
        changed = []
        for row in model.objects.exclude(expertise="").only("pk", "expertise").iterator(BATCH):
            row.expertise_trafficking_type, row.expertise_populations = tags_of(row.expertise)
            if row.expertise_trafficking_type or row.expertise_populations:
                changed.append(row)
        model.objects.bulk_update(
            changed, ["expertise_trafficking_type", "expertise_populations"], batch_size=BATCH
        )


def clear_tags(apps, schema_editor):
    for name in ("User", "HistoricalUser"):
        apps.get_model("members", name).objects.update(expertise_trafficking_type="", expertise_populations=[])


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0003_committees'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaluser',
            name='expertise_populations',
            field=models.JSONField(blank=True, default=list, help_text='Victim populations served.', verbose_name='populations worked with'),
        ),
        migrations.AddField(
            model_name='historicaluser',
            name='expertise_trafficking_type',
            field=models.CharField(blank=True, choices=[('sex', 'Sex trafficking'), ('labour', 'Labour trafficking'), ('both', 'Both sex and labour')], max_length=10, verbose_name='trafficking expertise'),
        ),
        migrations.AddField(
            model_name='user',
            name='expertise_populations',
            field=models.JSONField(blank=True, default=list, help_text='Victim populations served.', verbose_name='populations worked with'),
        ),
        migrations.AddField(
            model_name='user',
            name='expertise_trafficking_type',
            field=models.CharField(blank=True, choices=[('sex', 'Sex trafficking'), ('labour', 'Labour trafficking'), ('both', 'Both sex and labour')], max_length=10, verbose_name='trafficking expertise'),
        ),
        migrations.RunPython(text_to_tags, clear_tags),
    ]
