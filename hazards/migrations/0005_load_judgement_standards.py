"""Step 2 of 3: move the old condensed clauses onto their standards (fixing their numbers
where the new data has the same text), then load hazards/data/judgement_standards.yaml."""

from django.db import migrations


def forwards(apps, schema_editor):
    from hazards.reference import criteria_load, legacy_criteria_adopt

    models = {name: apps.get_model("hazards", name)
              for name in ("JudgementStandard", "HazardCriterion", "CriterionSector")}
    criteria_load(models=models)
    legacy_criteria_adopt(models=models)


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0004_judgement_standards"),
        ("campaigns", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
