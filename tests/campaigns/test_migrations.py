"""Moving the counters to the hub loses no number (campaigns 0004, enforcement 0004, hazards 0003)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("campaigns", "0003_notifications"),
    ("enforcement", "0003_status_transition_table"),
    ("hazards", "0002_hazardevent_deadline_extended"),
]
AFTER = [
    ("campaigns", "0004_documentcounter"),
    ("enforcement", "0004_documentcounter_to_hub"),
    ("hazards", "0003_ledger_counter_to_hub"),
]


@pytest.mark.django_db(transaction=True)
def test_ledger_and_document_counters_survive_the_move_to_the_hub():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("hazards", "LedgerCounter").objects.create(year=2025, last=41)
    old.get_model("enforcement", "DocumentCounter").objects.create(
        year=2026, kind="listing", last=7
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(AFTER).apps
    rows = set(
        new.get_model("campaigns", "DocumentCounter").objects.values_list("year", "kind", "last")
    )
    assert rows == {(2025, "hazard_ledger", 41), (2026, "listing", 7)}
