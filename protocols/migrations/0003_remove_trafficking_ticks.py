from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("protocols", "0002_trafficking_type")]

    operations = [
        migrations.RemoveField(model_name="document", name="covers_labour_trafficking"),
        migrations.RemoveField(model_name="document", name="covers_sex_trafficking"),
        migrations.RemoveField(model_name="historicaldocument", name="covers_labour_trafficking"),
        migrations.RemoveField(model_name="historicaldocument", name="covers_sex_trafficking"),
    ]
