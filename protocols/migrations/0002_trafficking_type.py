"""A document's two ticks (covers sex / labour trafficking) become one trafficking type from the
shared taxonomy: both ticked → both, one → that one, neither → blank. Reversible."""

from django.db import migrations, models
from django.db.models import Case, Q, Value, When

SEX, LABOUR, BOTH = "sex", "labour", "both"
MODELS = ("Document", "HistoricalDocument")


def ticks_to_type(apps, schema_editor):
    sex, labour = Q(covers_sex_trafficking=True), Q(covers_labour_trafficking=True)
    for name in MODELS:
        apps.get_model("protocols", name).objects.update(
            trafficking_type=Case(
                When(sex & labour, then=Value(BOTH)),
                When(sex, then=Value(SEX)),
                When(labour, then=Value(LABOUR)),
                default=Value(""),
            )
        )


def type_to_ticks(apps, schema_editor):
    for name in MODELS:
        apps.get_model("protocols", name).objects.update(
            covers_sex_trafficking=Case(
                When(trafficking_type__in=[SEX, BOTH], then=Value(True)), default=Value(False)
            ),
            covers_labour_trafficking=Case(
                When(trafficking_type__in=[LABOUR, BOTH], then=Value(True)), default=Value(False)
            ),
        )


def field():
    return models.CharField(
        blank=True,
        choices=[("sex", "Sex trafficking"), ("labour", "Labour trafficking"), ("both", "Both sex and labour")],
        default="both",
        max_length=10,
        verbose_name="trafficking it covers",
    )


class Migration(migrations.Migration):
    dependencies = [("protocols", "0001_initial")]

    operations = [
        migrations.AddField(model_name="document", name="trafficking_type", field=field()),
        migrations.AddField(model_name="historicaldocument", name="trafficking_type", field=field()),
        migrations.RunPython(ticks_to_type, type_to_ticks),
    ]
