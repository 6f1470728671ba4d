"""Report sections: the registry of the quarterly and final reports (季度工作进展报告), filled by
each app from its ``report.py`` — a new app adds its section without touching the report code.

Contract: ``build(period, scope) -> SectionData`` returns the figures only (rendering is the
hub's): ``period`` is a :class:`yixian_safety.periods.Period` (a quarter, or the whole campaign
for the final report), ``scope`` the user or unit the report is for (start from
``visible_to``). A section with nothing to report yet returns ``SectionData(empty=True, note=…)``
so the report says so rather than leaving the section out. Sections appear in ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SectionData:
    """What a section shows: ``tables`` as (title, header row, rows), ``figures`` as
    (label, value) pairs, ``charts`` as SVG-ready series; ``empty`` + ``note`` when no data."""

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
    build: Callable[[Any, Any], SectionData]


SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> Section:
    """Add (or replace, by ``key``) a report section."""
    SECTIONS[section.key] = section
    return section


def sections() -> list[Section]:
    """The registered sections in report order."""
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))
