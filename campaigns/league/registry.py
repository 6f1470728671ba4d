"""League metrics: the registry every app fills from its ``league.py``.

A :class:`Metric` scores townships and lead departments on one measurable thing. Contract:

- ``annotate(units: QuerySet, kind: str, today: date) -> QuerySet | None`` — annotate the
  queryset of units (``Township`` or ``Department``, ``kind`` is ``"townships"`` or
  ``"departments"``) with ``<code>_num`` and ``<code>_den``, computed in the database (subqueries
  and aggregates; no Python loop over records). The value is num/den in [0, 1] (1 when nothing
  is due). Return ``None`` when the metric has nothing to count yet.
- ``default_weight`` — used until an admin stores a :class:`~campaigns.league.models.LeagueWeight`.
- ``order`` — the column order of the table.

The hub's own metrics are in :mod:`campaigns.league.metrics`; hazards adds its two in
``hazards/league.py``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    description: str
    default_weight: Decimal
    annotate: Callable[[QuerySet, str, datetime.date], QuerySet | None]
    order: int = 100


# Kept in table order; the same list object for the life of the process.
METRICS: list[Metric] = []


def register_metric(metric: Metric) -> Metric:
    """Add (or replace, by ``code``) a metric, keeping :data:`METRICS` in ``order``."""
    METRICS[:] = sorted(
        [m for m in METRICS if m.code != metric.code] + [metric], key=lambda m: (m.order, m.code)
    )
    return metric


def metric_codes() -> list[str]:
    return [m.code for m in METRICS]
