"""Taking the next number of a numbered document (one way for the ledger and every 文号)."""

from django.db import transaction

from campaigns.numbering.models import DocumentCounter


def number_next(*, kind: str, year: int) -> int:
    """The next number (1, 2, …) of ``kind`` in ``year``. Safe under concurrency: the counter row
    stays locked (SELECT … FOR UPDATE) until the caller's transaction ends, so two requests never
    get the same number and a rolled-back request gives its number back. Must run inside a
    transaction (raises ``TransactionManagementError`` otherwise)."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("number_next needs a transaction")
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(year=year, kind=kind, last=0)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(year=year, kind=kind)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def number_set_at_least(*, kind: str, year: int, last: int) -> None:
    """Make sure the next number of ``kind`` in ``year`` is above ``last`` (demo and imports
    that write numbered rows themselves)."""
    counter, _created = DocumentCounter.objects.get_or_create(year=year, kind=kind)
    if counter.last < last:
        counter.last = last
        counter.save(update_fields=["last"])
