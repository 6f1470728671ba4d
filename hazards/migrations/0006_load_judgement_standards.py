"""Step 2 of 3: move the old condensed clauses onto their standards (fixing their numbers
where the new data has the same text), then load hazards/data/judgement_standards.yaml."""

from django.db import migrations


def forwards(apps, schema_editor):
    from hazards.reference import criteria_load, legacy_criteria_adopt

    models = {name: apps.get_model("hazards", name)
              for name in ("JudgementStandard", "HazardCriterion", "CriterionSector", "Hazard")}
    criteria_load(models=models)
    legacy_criteria_adopt(models=models)


def backwards(apps, schema_editor):
    """Before 0004 every clause had a sector: keep the clauses hazards cite (with the first
    sector they apply to), drop the others."""
    Criterion = apps.get_model("hazards", "HazardCriterion")
    Link = apps.get_model("hazards", "CriterionSector")
    Hazard = apps.get_model("hazards", "Hazard")
    Sector = apps.get_model("campaigns", "Sector")
    for crit in Criterion.objects.filter(sector__isnull=True).select_related("standard"):
        link = Link.objects.filter(criterion_id=crit.pk).order_by("pk").first()
        sector = Sector.objects.filter(code=link.sector_code).first() if link else None
        if Hazard.objects.filter(criterion_id=crit.pk).exists() and sector is not None:
            crit.sector = sector
            crit.document = crit.document or f"《{crit.standard.title}》"
            crit.document_number = crit.standard.document_number
            crit.save(update_fields=["sector", "document", "document_number"])
        else:  # raw: the collector trips over the history table's relation in migrations
            Link.objects.filter(criterion_id=crit.pk)._raw_delete(schema_editor.connection.alias)
            Criterion.objects.filter(pk=crit.pk)._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0005_judgement_standards"),
        ("campaigns", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
