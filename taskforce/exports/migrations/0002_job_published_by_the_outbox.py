"""Export tasks are published by the outbox: the jobs still queued get an outbox row (published
by the next beat), the jobs' own publication column goes, and the beat entry that published
them gives way to exports-requeue-stuck (created after migrate by taskforce.schedule)."""

from django.db import migrations

RENDER_TASK = "taskforce.exports.tasks.render_export"


def queue_through_the_outbox(apps, schema_editor):
    ExportJob = apps.get_model("exports", "ExportJob")
    QueuedTask = apps.get_model("taskforce", "QueuedTask")
    queued = ExportJob.objects.filter(status="queued").values_list("pk", flat=True)
    QueuedTask.objects.bulk_create([QueuedTask(task=RENDER_TASK, args=[pk]) for pk in queued])
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name="exports-publish-pending").delete()


def back_to_the_jobs(apps, schema_editor):
    QueuedTask = apps.get_model("taskforce", "QueuedTask")
    QueuedTask.objects.filter(task=RENDER_TASK, done_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_initial"),
        ("taskforce", "0003_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(queue_through_the_outbox, back_to_the_jobs),
        migrations.RemoveField(model_name="exportjob", name="published_at"),
    ]
