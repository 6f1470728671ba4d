"""Reads of enforcement: statistics per department per quarter with the 零处罚 flag, the
"双下降" accident figures, and the task-28 expert-pool milestone.

Every figure is a database aggregate over what the user may see, and carries the URL of the
list filtered to exactly the rows behind it (the list's count equals the figure).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse

from campaigns.models import Department, Sector

from .models import Accident, EnforcementAction, Expert, Inspection


def list_url(name: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def quarter_bounds(year: int, quarter: int | None) -> tuple[datetime.date, datetime.date]:
    """First and last day of the quarter (or of the year when ``quarter`` is None)."""
    if quarter is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start = datetime.date(year, quarter * 3 - 2, 1)
    nxt = datetime.date(year + (quarter == 4), 1 if quarter == 4 else quarter * 3 + 1, 1)
    return start, nxt - datetime.timedelta(days=1)


@dataclass
class DepartmentRow:
    department: Department
    inspections: int = 0
    enterprises: int = 0
    with_findings: int = 0
    hazards: int = 0
    zero_penalty: int = 0
    actions: int = 0
    fines: Decimal = Decimal("0")
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        """只检查不处罚: inspected with findings, no enforcement action in the period."""
        return self.with_findings > 0 and self.actions == 0


@dataclass
class Statistics:
    start: datetime.date
    end: datetime.date
    rows: list[DepartmentRow]
    totals: DepartmentRow | None = None

    @property
    def flagged(self) -> list[DepartmentRow]:
        return [r for r in self.rows if r.flagged]


def department_statistics(user, *, year: int, quarter: int | None = None) -> Statistics:
    """Per department (of the visible records): inspections carried out in the period,
    distinct enterprises inspected, with findings, hazards raised, 零处罚 inspections (findings
    and no action), enforcement actions decided in the period and fines (元, enterprise +
    person). Three queries."""
    start, end = quarter_bounds(year, quarter)
    acted = Exists(EnforcementAction.objects.filter(inspection=OuterRef("pk")))
    insp = (
        Inspection.objects.visible_to(user)
        .done()
        .filter(inspected_on__gte=start, inspected_on__lte=end)
        .annotate(acted=acted)
        .values("department")
        .annotate(
            n=Count("pk", distinct=True),
            ent=Count("enterprise", distinct=True),
            findings=Count("pk", filter=Q(has_findings=True), distinct=True),
            hz=Count("hazards", distinct=True),
            zero=Count("pk", filter=Q(has_findings=True, acted=False), distinct=True),
        )
        .order_by()
    )
    acts = (
        EnforcementAction.objects.visible_to(user)
        .filter(decided_on__gte=start, decided_on__lte=end)
        .values("department")
        .annotate(
            n=Count("pk"),
            fines=Coalesce(Sum("fine_amount"), Decimal("0"))
            + Coalesce(Sum("person_fine_amount"), Decimal("0")),
        )
        .order_by()
    )
    by_dept: dict[int, dict] = {}
    for r in insp:
        by_dept.setdefault(r["department"], {}).update(
            inspections=r["n"],
            enterprises=r["ent"],
            with_findings=r["findings"],
            hazards=r["hz"],
            zero_penalty=r["zero"],
        )
    for r in acts:
        by_dept.setdefault(r["department"], {}).update(actions=r["n"], fines=r["fines"])
    departments = Department.objects.in_bulk(list(by_dept))
    rows = []
    span = {"inspected_from": start.isoformat(), "inspected_to": end.isoformat()}
    decided = {"decided_from": start.isoformat(), "decided_to": end.isoformat()}
    for pk, values in by_dept.items():
        dept = departments[pk]
        row = DepartmentRow(department=dept, **values)
        base = "enforcement:inspection_list"
        row.urls = {
            "inspections": list_url(base, status="done", department=dept.code, **span),
            "with_findings": list_url(
                base, status="done", department=dept.code, findings=1, **span
            ),
            "zero_penalty": list_url(base, department=dept.code, zero_penalty=1, **span),
            "actions": list_url("enforcement:action_list", department=dept.code, **decided),
        }
        rows.append(row)
    rows.sort(key=lambda r: (r.department.order, r.department.pk))
    totals = DepartmentRow(department=None)
    for r in rows:
        for name in ("inspections", "with_findings", "hazards", "zero_penalty", "actions", "fines"):
            setattr(totals, name, getattr(totals, name) + getattr(r, name))
    totals.enterprises = (
        Inspection.objects.visible_to(user)
        .done()
        .filter(inspected_on__gte=start, inspected_on__lte=end)
        .values("enterprise")
        .distinct()
        .count()
    )
    totals.urls = {
        "inspections": list_url("enforcement:inspection_list", status="done", **span),
        "with_findings": list_url("enforcement:inspection_list", status="done", findings=1, **span),
        "zero_penalty": list_url("enforcement:inspection_list", zero_penalty=1, **span),
        "actions": list_url("enforcement:action_list", **decided),
    }
    return Statistics(start=start, end=end, rows=rows, totals=totals)


@dataclass
class YearAccidents:
    year: int
    accidents: int
    deaths: int
    url: str
    fatal_url: str
    accidents_down: bool | None = None  # vs the year before (None: no year before shown)
    deaths_down: bool | None = None

    @property
    def double_decline(self) -> bool | None:
        """双下降: both the number of accidents and the deaths fell from the year before."""
        if self.accidents_down is None:
            return None
        return self.accidents_down and self.deaths_down


def double_decline(user, *, years: tuple[int, ...]) -> list[YearAccidents]:
    """Accidents and deaths per year (of ``years``, ascending) with the year-on-year "双下降"
    comparison. One query."""
    counts = {
        r["y"]: r
        for r in Accident.objects.visible_to(user)
        .filter(occurred_on__year__gte=min(years), occurred_on__year__lte=max(years))
        .annotate(y=ExtractYear("occurred_on"))
        .values("y")
        .annotate(n=Count("pk"), d=Coalesce(Sum("deaths"), 0))
        .order_by()
    }
    out: list[YearAccidents] = []
    for year in sorted(years):
        r = counts.get(year, {"n": 0, "d": 0})
        row = YearAccidents(
            year=year,
            accidents=r["n"],
            deaths=r["d"],
            url=list_url("enforcement:accident_list", year=year),
            fatal_url=list_url("enforcement:accident_list", year=year, fatal=1),
        )
        if out:
            prev = out[-1]
            row.accidents_down = row.accidents < prev.accidents or (
                row.accidents == 0 and prev.accidents == 0
            )
            row.deaths_down = row.deaths < prev.deaths or (row.deaths == 0 and prev.deaths == 0)
        out.append(row)
    return out


def expert_pool_coverage() -> tuple[bool, list[Sector]]:
    """Task 28 milestone: met when every high-risk sector has an available expert. Returns
    (met, high-risk sectors without one). One query."""
    missing = list(
        Sector.objects.filter(high_risk=True).exclude(
            Exists(Expert.objects.available().filter(sectors=OuterRef("pk")))
        )
    )
    return (not missing and Sector.objects.filter(high_risk=True).exists()), missing
