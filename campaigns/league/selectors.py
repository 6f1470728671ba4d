"""The league table (“赛马”): townships and lead departments ranked on measurable things only.

The metrics are the entries of the registry (:mod:`campaigns.league.registry`, filled by the
hub's :mod:`campaigns.league.metrics` and each app's ``league.py``). A metric's value is num/den
in [0, 1] (1 when nothing is due); the score is Σ weight × value / Σ weights × 100 over the
available metrics. Weights: :class:`campaigns.models.LeagueWeight` rows (admins edit them in
the Django admin), else each metric's default.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    QuerySet,
)
from django.utils.translation import gettext_lazy as _

from campaigns.league.models import LeagueWeight
from campaigns.league.registry import METRICS, Metric, metric_codes
from campaigns.org.models import Department, Township
from yixian_safety.dates import today_local

TOWNSHIPS = "townships"
DEPARTMENTS = "departments"
KINDS = {TOWNSHIPS: _("townships"), DEPARTMENTS: _("departments")}


def units_of(kind: str) -> QuerySet:
    """The ranked units: all 8 townships, or the lead departments."""
    if kind == TOWNSHIPS:
        return Township.objects.all()
    if kind == DEPARTMENTS:
        return Department.objects.filter(is_lead=True)
    raise ValueError(kind)


def unit_field(kind: str) -> str:
    return "township" if kind == TOWNSHIPS else "department"


def weights() -> dict[str, Decimal]:
    """{metric code: weight} — the admins' LeagueWeight rows over the defaults."""
    stored = dict(
        LeagueWeight.objects.filter(metric__in=metric_codes()).values_list("metric", "weight")
    )
    return {m.code: stored.get(m.code, m.default_weight) for m in METRICS}


@dataclass
class MetricResult:
    metric: Metric
    available: bool
    weight: Decimal
    num: float | None = None
    den: float | None = None
    value: float | None = None  # 0…1
    points: float = 0.0  # contribution to the 0…100 score


@dataclass
class LeagueRow:
    unit: Township | Department
    rank: int
    score: float
    metrics: list[MetricResult]


def league_table(
    kind: str, *, today: datetime.date | None = None, unit_pk: int | None = None
) -> list[LeagueRow]:
    """The ranked table of ``kind`` (townships/departments); one query for all units."""
    today = today or today_local()
    w = weights()
    qs = units_of(kind)
    available: list[Metric] = []
    for metric in METRICS:
        annotated = metric.annotate(qs, kind, today)
        if annotated is not None:  # a metric may have nothing to count (None)
            qs = annotated
            available.append(metric)
    total_weight = sum((w[m.code] for m in available), Decimal(0)) or Decimal(1)
    scale = 100.0 / float(total_weight)
    # Values, score and rank from the fetched num/den (≤ 24 rows): annotating them in SQL
    # repeated every metric's subqueries three times (issue 19).
    scored = []
    for unit in qs:
        values = {
            m.code: _value(getattr(unit, f"{m.code}_num"), getattr(unit, f"{m.code}_den"))
            for m in available
        }
        score = 0.0
        for m in available:
            score = score + values[m.code] * float(w[m.code])
        scored.append((score * scale, unit, values))
    scored.sort(key=lambda row: (-row[0], row[1].order))
    rows = []
    rank = 0
    for position, (score, unit, values) in enumerate(scored, start=1):
        if position == 1 or score != scored[position - 2][0]:
            rank = position  # competition ranking (1, 2, 2, 4), as SQL's RANK()
        if unit_pk is not None and unit.pk != unit_pk:
            continue
        results = []
        for metric in METRICS:
            weight = w[metric.code]
            if metric not in available:
                results.append(MetricResult(metric, False, weight))
                continue
            value = values[metric.code]
            results.append(
                MetricResult(
                    metric,
                    True,
                    weight,
                    num=getattr(unit, f"{metric.code}_num"),
                    den=getattr(unit, f"{metric.code}_den"),
                    value=value,
                    points=value * float(weight) * scale,
                )
            )
        rows.append(LeagueRow(unit, rank, round(score, 1), results))
    return rows


def _value(num, den) -> float:
    """num/den in [0, 1]; 1 when nothing is due (no denominator)."""
    if num is None or not den:
        return 1.0
    return min(float(num) / float(den), 1.0)
