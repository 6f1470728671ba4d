"""The benchmark runner at a small scale (issue 19): it must run, not meet times.

Generates 1,000 hazards with benchmarks/generate.py (COPY, indexes rebuilt) and runs every case
of benchmarks/run.py once for both roles (the quarterly report and the PDF are left to the
real runs: they take seconds whatever the data). No timing is asserted: only that every case
answers, that each has its raw-SQL floor and that the query counts are those of a page.
"""

import io
import sys
from pathlib import Path

import pytest
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

pytestmark = [
    pytest.mark.benchmark,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and pg_trgm"),
]


def test_generator_and_runner_run_on_a_small_dataset():
    import generate
    import run

    written = generate.generate(hazards=1000, enterprises=100, quiet=True)
    assert written["hazards"] == 1000 and written["historical hazards"] > 1000
    out = io.StringIO()
    results = run.run(
        runs=1, export_rows=200, with_report=False, with_pdf=False, warmup=False, out=out
    )
    names = {(r.case.name, r.case.role) for r in results}
    assert ("ledger page 1", "township") in names and ("dashboard cold", "office") in names
    assert len(results) >= 24
    for r in results:
        assert r.raw is not None and r.ours.queries > 0, r.case.name
        assert r.ours.queries < 80, (r.case.name, r.ours.queries)
    assert "ledger keyword search" in out.getvalue()
