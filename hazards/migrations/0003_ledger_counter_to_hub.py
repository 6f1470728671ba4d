"""The ledger's per-year counter becomes a row of the hub's DocumentCounter (kind
``hazard_ledger``): every year's last number is copied, then the old table is dropped."""

from django.db import migrations

KIND = "hazard_ledger"


def forwards(apps, schema_editor):
    LedgerCounter = apps.get_model("hazards", "LedgerCounter")
    DocumentCounter = apps.get_model("campaigns", "DocumentCounter")
    for row in LedgerCounter.objects.all():
        DocumentCounter.objects.update_or_create(year=row.year, kind=KIND,
                                                 defaults={"last": row.last})


def backwards(apps, schema_editor):
    LedgerCounter = apps.get_model("hazards", "LedgerCounter")
    DocumentCounter = apps.get_model("campaigns", "DocumentCounter")
    for row in DocumentCounter.objects.filter(kind=KIND):
        LedgerCounter.objects.update_or_create(year=row.year, defaults={"last": row.last})


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0002_hazardevent_deadline_extended"),
        ("campaigns", "0004_documentcounter"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="LedgerCounter"),
    ]
