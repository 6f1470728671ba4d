"""Judgement standards as documents with dated facts and sources; clauses keyed on
standard + clause and linked to plan sectors by code (so they load before the plan);
a perceptual hash on photos. Step 1 of 3: new tables and nullable columns."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0004_ledger_order_index"),
        ("campaigns", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="JudgementStandard",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("short_name", models.CharField(blank=True, max_length=40,
                                                verbose_name="short name")),
                ("document_number", models.CharField(blank=True, max_length=80,
                                                     verbose_name="document number")),
                ("issued_by", models.CharField(blank=True, max_length=120,
                                               verbose_name="issued by")),
                ("issued_on", models.DateField(blank=True, null=True, verbose_name="issued on")),
                ("effective_on", models.DateField(blank=True, null=True,
                                                  verbose_name="effective on")),
                ("superseded_on", models.DateField(blank=True, null=True,
                                                   verbose_name="superseded on")),
                ("source", models.TextField(blank=True, verbose_name="source")),
                ("source_url", models.URLField(blank=True, max_length=300,
                                               verbose_name="source URL")),
                ("verified", models.BooleanField(default=False, verbose_name="verified")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("superseded_by", models.ForeignKey(
                    blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                    related_name="supersedes", to="hazards.judgementstandard",
                    verbose_name="superseded by")),
            ],
            options={"verbose_name": "judgement standard",
                     "verbose_name_plural": "judgement standards",
                     "ordering": ["order", "code"]},
        ),
        migrations.RemoveConstraint(model_name="hazardcriterion", name="criterion_unique_clause"),
        migrations.AlterField(
            model_name="hazardcriterion", name="sector",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="hazard_criteria", to="campaigns.sector",
                                    verbose_name="sector")),
        migrations.AddField(
            model_name="hazardcriterion", name="standard",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="clauses", to="hazards.judgementstandard",
                                    verbose_name="standard")),
        migrations.AddField(model_name="hazardcriterion", name="article",
                            field=models.CharField(blank=True, max_length=40,
                                                   verbose_name="article")),
        migrations.AddField(model_name="hazardcriterion", name="item",
                            field=models.CharField(blank=True, max_length=40,
                                                   verbose_name="item number")),
        migrations.AddField(model_name="hazardcriterion", name="topic",
                            field=models.CharField(blank=True, max_length=60,
                                                   verbose_name="topic")),
        migrations.AddField(
            model_name="hazardcriterion", name="short_title",
            field=models.BooleanField(default=False, help_text="The text is a faithful short "
                                      "title, not the full official wording.",
                                      verbose_name="short title")),
        migrations.AddField(model_name="hazardcriterion", name="verified",
                            field=models.BooleanField(default=False, verbose_name="verified")),
        migrations.AddField(model_name="hazardcriterion", name="note",
                            field=models.TextField(blank=True, verbose_name="note")),
        migrations.AddField(model_name="hazardcriterion", name="order",
                            field=models.PositiveIntegerField(default=0, verbose_name="order")),
        migrations.AlterField(model_name="hazardcriterion", name="clause",
                              field=models.CharField(max_length=60, verbose_name="clause")),
        migrations.CreateModel(
            name="CriterionSector",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("sector_code", models.CharField(db_index=True, max_length=40,
                                                 verbose_name="sector code")),
                ("criterion", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                related_name="sector_links",
                                                to="hazards.hazardcriterion")),
            ],
            options={"verbose_name": "sector of a criterion",
                     "verbose_name_plural": "sectors of criteria",
                     "constraints": [models.UniqueConstraint(fields=("criterion", "sector_code"),
                                                             name="criterion_sector_once")]},
        ),
        migrations.AddField(
            model_name="attachment", name="perceptual_hash",
            field=models.CharField(blank=True, max_length=16, verbose_name="perceptual hash")),
    ]
