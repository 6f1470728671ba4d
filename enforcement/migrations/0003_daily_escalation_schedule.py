"""The daily run of the escalation rules as a django-celery-beat entry (editable in the admin)."""

from django.db import migrations

NAME = "enforcement: propose escalation steps (daily)"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(
        minute="15", hour="6", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai")
    Periodic.objects.get_or_create(name=NAME, defaults={
        "task": "enforcement.tasks.propose_escalations", "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0002_default_escalation_rules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
