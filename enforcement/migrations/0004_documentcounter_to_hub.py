"""DocumentCounter now belongs to the hub (campaigns 0004 took over its table)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("enforcement", "0003_status_transition_table"),
        ("campaigns", "0004_documentcounter"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DocumentCounter")],
            database_operations=[],
        ),
    ]
