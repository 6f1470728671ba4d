"""Reads of supervision: the slow-progress statistics of task 15 and per-unit figures that feed
the escalation ladder. All figures are computed in the database (``values().annotate()``).

Only major hazards (重大事故隐患) of the ledger count. "Overdue": open and past the
rectification deadline; "days overdue": today − deadline (Asia/Shanghai dates); "past deadline"
(repeat offences): overdue now, or closed after the deadline; "missed reports": past quarters of
a listing's life without a quarterly progress report.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import TruncDate

from campaigns.models import Department, Sector, Township
from hazards.models import OPEN_STATUSES, Enterprise, Hazard, Level, Status, overdue_q
from hazards.selectors import ledger_url
from yixian_safety.dates import today_local

from .models import Listing, TargetKind

# Grouping field on Hazard per kind of unit.
GROUP_FIELDS = {
    "township": "township",
    "sector": "sector",
    TargetKind.DEPARTMENT: "supervising_department",
    TargetKind.ENTERPRISE: "enterprise",
}
UNIT_MODELS = {
    "township": Township,
    "sector": Sector,
    TargetKind.DEPARTMENT: Department,
    TargetKind.ENTERPRISE: Enterprise,
}


def major_hazards(qs=None):
    """The ledger's major hazards (``qs``: an already scoped Hazard queryset)."""
    qs = Hazard.objects.all() if qs is None else qs
    return qs.ledger().filter(level=Level.MAJOR)


def past_deadline_q(today: datetime.date) -> Q:
    """Overdue now, or closed after its deadline (alias ``closed_day`` must be present)."""
    return overdue_q(today) | Q(status=Status.CLOSED, closed_day__gt=F("rectification__deadline"))


def days_overdue_expr(today: datetime.date):
    return ExpressionWrapper(
        Value(today, output_field=DateField()) - F("rectification__deadline"),
        output_field=DurationField(),
    )


@dataclass
class UnitFigures:
    unit: object
    label: str
    open: int
    overdue: int
    max_days_overdue: int
    avg_days_overdue: float | None
    past_deadline: int
    missed_reports: int
    url: str

    @property
    def slow(self) -> bool:
        return bool(self.overdue or self.missed_reports)


def unit_figures(hazards, unit: str, today: datetime.date) -> dict[int, dict]:
    """{unit id: {open, overdue, max_days_overdue, avg_days_overdue, past_deadline,
    missed_reports}} for the major hazards in ``hazards`` grouped by ``unit`` (township, sector,
    department, enterprise). Days are whole days (average: one decimal)."""
    field = GROUP_FIELDS[unit]
    qs = major_hazards(hazards).alias(closed_day=TruncDate("closed_at"))
    days = days_overdue_expr(today)
    rows = (
        qs.values(field)
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=overdue_q(today)),
            max_days=Max(days, filter=overdue_q(today)),
            avg_days=Avg(days, filter=overdue_q(today)),
            past_deadline=Count("pk", filter=past_deadline_q(today)),
        )
        .order_by(field)
    )
    result = {}
    for r in rows:
        result[r[field]] = {
            "open": r["open"],
            "overdue": r["overdue"],
            "max_days_overdue": r["max_days"].days if r["max_days"] is not None else 0,
            "avg_days_overdue": (
                round(r["avg_days"].total_seconds() / 86400, 1)
                if r["avg_days"] is not None
                else None
            ),
            "past_deadline": r["past_deadline"],
            "missed_reports": 0,
        }
    missed = (
        Listing.objects.filter(hazard__in=major_hazards(hazards))
        .with_report_figures(today)
        .values(f"hazard__{field}")
        .annotate(missed=Sum("missed_reports"))
        .order_by(f"hazard__{field}")
    )
    for r in missed:
        result.setdefault(
            r[f"hazard__{field}"],
            {
                "open": 0,
                "overdue": 0,
                "max_days_overdue": 0,
                "avg_days_overdue": None,
                "past_deadline": 0,
                "missed_reports": 0,
            },
        )["missed_reports"] = r["missed"] or 0
    return result


@dataclass
class SlowProgress:
    today: datetime.date
    by_township: list[UnitFigures]
    by_sector: list[UnitFigures]


def _rows(figures: dict[int, dict], unit: str) -> list[UnitFigures]:
    model = UNIT_MODELS[unit]
    units = model.objects.in_bulk(list(figures))
    rows = []
    for pk, f in figures.items():
        obj = units[pk]
        code = getattr(obj, "code", None)
        url = ledger_url(level=Level.MAJOR, overdue="true", **{unit: code}) if code else ""
        rows.append(UnitFigures(unit=obj, label=str(obj), url=url, **f))
    rows = [r for r in rows if r.slow]
    rows.sort(key=lambda r: (-r.overdue, -r.max_days_overdue, -r.missed_reports, r.label))
    return rows


def slow_progress(hazards, *, today: datetime.date | None = None) -> SlowProgress:
    """Task 15's statistics mechanism (分区域、分行业): townships and sectors with overdue major
    hazards or missed quarterly reports, slowest first. ``hazards``: the user's scoped ledger."""
    today = today or today_local()
    return SlowProgress(
        today=today,
        by_township=_rows(unit_figures(hazards, "township", today), "township"),
        by_sector=_rows(unit_figures(hazards, "sector", today), "sector"),
    )


def missed_quarters(listing: Listing, today: datetime.date) -> list[tuple[int, int]]:
    """(year, quarter) of the listing's past quarters without a report (detail page)."""
    filed = set(listing.reports.values_list("year", "quarter"))
    return [q for q in listing.past_quarters(today) if q not in filed]
