"""Trigram (pg_trgm) indexes for the ledger's keyword box (issue 19), PostgreSQL only.

Django's ``icontains`` is ``UPPER(col::text) LIKE UPPER('%…%')``, so the GIN indexes are on
that expression; ``credit_code__iexact`` is ``UPPER(col::text) = UPPER(…)`` (a btree). With
them the search is a BitmapOr of index scans instead of two sequential scans of the ledger
(the count and the page). SQLite (embedded mode) gets nothing: both operations skip other
vendors.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "hazard_q_ledger_number_trgm": (
        "hazards_hazard",
        "USING gin ((UPPER(ledger_number::text)) gin_trgm_ops)",
    ),
    "hazard_q_location_trgm": (
        "hazards_hazard",
        "USING gin ((UPPER(location::text)) gin_trgm_ops)",
    ),
    "hazard_q_description_trgm": (
        "hazards_hazard",
        "USING gin ((UPPER(description::text)) gin_trgm_ops)",
    ),
    "enterprise_q_name_trgm": (
        "hazards_enterprise",
        "USING gin ((UPPER(name::text)) gin_trgm_ops)",
    ),
    "enterprise_q_credit_code_upper": ("hazards_enterprise", "((UPPER(credit_code::text)))"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, definition) in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" {definition}')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("hazards", "0007_criterion_standard_required")]

    operations = [
        TrigramExtension(),  # CREATE EXTENSION pg_trgm (skipped on SQLite)
        migrations.RunPython(create, drop, elidable=False),
    ]
