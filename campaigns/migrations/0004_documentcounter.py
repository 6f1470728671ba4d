"""The per-year document counter moves to the hub (issue 10: one counter for the ledger and every
文号). The table of enforcement's DocumentCounter is kept (state moved, then renamed): no row is
copied, none can be lost. hazards' LedgerCounter rows are copied in by hazards 0003."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0003_notifications"),
        ("enforcement", "0003_status_transition_table"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DocumentCounter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        ("kind", models.CharField(max_length=30, verbose_name="kind")),
                        ("last", models.PositiveIntegerField(default=0,
                                                             verbose_name="last number")),
                    ],
                    options={
                        "verbose_name": "document counter",
                        "verbose_name_plural": "document counters",
                        "db_table": "enforcement_documentcounter",
                        "constraints": [models.UniqueConstraint(
                            fields=("year", "kind"), name="document_counter_year_kind")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="documentcounter", table=None),
    ]
