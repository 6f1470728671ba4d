"""文号 under concurrency: one counter row per (year, kind), locked with SELECT … FOR UPDATE."""

import threading

import pytest
from django.db import connection, connections, transaction

from enforcement.services import document_number_allocate


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_get_distinct_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    barrier = threading.Barrier(6)
    numbers, errors = [], []

    def allocate():
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(document_number_allocate(kind="formal_letter", year=2026))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers, key=lambda n: int(n.split("〕")[1][:-1])) == [
        f"黟安函〔2026〕{i}号" for i in range(1, 7)
    ]
