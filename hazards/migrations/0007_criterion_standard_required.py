"""Step 3 of 3: every clause belongs to a standard; the old per-sector columns go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0006_load_judgement_standards"),
    ]

    operations = [
        migrations.RemoveField(model_name="hazardcriterion", name="sector"),
        migrations.AlterField(
            model_name="hazardcriterion", name="document",
            field=models.CharField(blank=True, max_length=200, verbose_name="standard document")),
        migrations.RemoveField(model_name="hazardcriterion", name="document_number"),
        migrations.AlterField(
            model_name="hazardcriterion", name="standard",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                    related_name="clauses", to="hazards.judgementstandard",
                                    verbose_name="standard")),
        migrations.AlterModelOptions(
            name="hazardcriterion",
            options={"ordering": ["standard__order", "order", "pk"],
                     "verbose_name": "hazard criterion", "verbose_name_plural": "hazard criteria"}),
        migrations.AddConstraint(
            model_name="hazardcriterion",
            constraint=models.UniqueConstraint(fields=("standard", "clause"),
                                               name="criterion_unique_clause")),
    ]
