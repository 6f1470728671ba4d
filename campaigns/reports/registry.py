"""Report sections: the registry of the quarterly and final reports (季度工作进展报告, 三年行动总结
评估报告), filled by each app from its ``report.py`` — a new app adds its section without touching
the report code.

Contract: ``build(period, scope) -> SectionData`` returns the figures only (rendering, PDF and
Excel, is the hub's):

- ``period`` is a :class:`yixian_safety.periods.Period`: a quarter (``key`` "2026-Q3",
  ``frequency`` "quarterly") or, for the final report, the whole campaign (``key`` "final",
  ``frequency`` :data:`CAMPAIGN`, 2024-01-01 … 2026-12-31; sections give figures year by year);
- ``scope`` is a :class:`ReportScope`: the county, one township or one department. Pass
  ``scope.viewer`` to any ``visible_to(...)`` — it sees exactly what a user of that unit sees
  (the county: everything) — and use ``scope.as_of(period)`` as the day the figures stand at
  (the period's end, or today while the period runs).

A section with nothing to report yet returns ``SectionData(empty=True, note=…)`` so the report says
so rather than leaving the section out. Sections appear in ``order``. Tables should stay below
:data:`MAX_TABLE_ROWS` rows (split them, or give totals): each row costs ~10 ms of PDF rendering.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from yixian_safety.periods import Period

CAMPAIGN = "campaign"
CAMPAIGN_START = datetime.date(2024, 1, 1)
CAMPAIGN_END = datetime.date(2026, 12, 31)
FINAL_PERIOD = Period(CAMPAIGN_START, CAMPAIGN_END, "final", CAMPAIGN)
MAX_TABLE_ROWS = 300


@dataclass
class SectionData:
    """What a section shows: ``tables`` as (title, header row, rows), ``figures`` as
    (label, value) pairs, ``charts`` as SVG-ready series; ``empty`` + ``note`` when no data.

    A chart is ``{"title": str, "labels": [str, …], "series": [{"name": str, "values":
    [number, …]}, …]}`` — drawn as a grouped bar chart (one bar per series and label)."""

    figures: list[tuple[str, Any]] = field(default_factory=list)
    tables: list[tuple[str, list[str], list[list[Any]]]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    empty: bool = False
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    build: Callable[[Period, ReportScope], SectionData]


class ScopeViewer:
    """A stand-in user with the scope of a report's unit, for ``visible_to(viewer)``: the county
    sees everything, a township its own records, a department its own and its led sectors'."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_staff = False
    pk = id = None

    def __init__(
        self, *, role: str, township_id: int | None = None, department_id: int | None = None
    ) -> None:
        self.role = role
        self.township_id = township_id
        self.department_id = department_id

    def has_perm(self, perm: str) -> bool:  # pragma: no cover - not a real user
        return False


@dataclass(frozen=True)
class ReportScope:
    """The unit a report is for. ``key``: ``"county"``, ``"township:<code>"`` or
    ``"department:<code>"``; ``label``: its Chinese name (黟县 / the unit's name)."""

    kind: str  # county | township | department
    key: str
    label: str
    township_id: int | None = None
    department_id: int | None = None
    today: datetime.date | None = None  # the build day (Asia/Shanghai); None: today

    @cached_property
    def viewer(self) -> ScopeViewer:
        from campaigns.org.models import Role

        if self.kind == "township":
            return ScopeViewer(role=Role.TOWNSHIP_OFFICIAL, township_id=self.township_id)
        if self.kind == "department":
            return ScopeViewer(role=Role.DEPARTMENT_STAFF, department_id=self.department_id)
        return ScopeViewer(role=Role.SAFETY_OFFICE)

    @property
    def is_county(self) -> bool:
        return self.kind == "county"

    def build_day(self) -> datetime.date:
        from yixian_safety.dates import today_local

        return self.today or today_local()

    def as_of(self, period: Period) -> datetime.date:
        """The day the report's figures stand at: the period's last day, or today if earlier."""
        return min(period.end, self.build_day())


SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> Section:
    """Add (or replace, by ``key``) a report section."""
    SECTIONS[section.key] = section
    return section


def sections() -> list[Section]:
    """The registered sections in report order."""
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))


def years_of(period: Period) -> list[int]:
    """The calendar years a period covers (the final report: 2024, 2025, 2026)."""
    return list(range(period.start.year, period.end.year + 1))
