"""Demo data of the working-day calendar (invented — never the real 国务院办公厅 notice).

``build(*, rng)`` follows the ``seed_demo`` contract (``<app>/demo.py: build(*, rng)``).
By default it leaves 2027 *not entered*, so the demo shows the weekends-only notice on the
extension pages and the admins' reminder; with ``DEMO_CALENDAR_2027=entered`` in the
environment it enters the example schedule below as an admin would (source ``admin``, the
notice field saying it is an example), and the stored counts are recounted.
"""

from __future__ import annotations

import datetime
import os

from .models import CalendarYear
from .services import DayEntry, calendar_year_enter

D = datetime.date
HOLIDAY, MAKEUP = "holiday", "makeup_workday"
EXAMPLE_DOCUMENT = "演示数据：2027 年示例安排（非官方），以国务院办公厅通知为准"


def _span(first: D, last: D, name: str) -> list[DayEntry]:
    return [
        DayEntry(first + datetime.timedelta(days=i), HOLIDAY, name)
        for i in range((last - first).days + 1)
    ]


def example_2027() -> list[DayEntry]:
    """A plausible 2027 schedule for the demo (春节 on 2027-02-06): example only."""
    return sorted(
        _span(D(2027, 1, 1), D(2027, 1, 3), "元旦")
        + _span(D(2027, 2, 5), D(2027, 2, 12), "春节")
        + [DayEntry(D(2027, 2, 20), MAKEUP, "春节")]
        + _span(D(2027, 4, 3), D(2027, 4, 5), "清明节")
        + _span(D(2027, 5, 1), D(2027, 5, 5), "劳动节")
        + [DayEntry(D(2027, 4, 25), MAKEUP, "劳动节")]
        + [DayEntry(D(2027, 6, 9), HOLIDAY, "端午节"), DayEntry(D(2027, 9, 15), HOLIDAY, "中秋节")]
        + _span(D(2027, 10, 1), D(2027, 10, 7), "国庆节")
        + [DayEntry(D(2027, 9, 26), MAKEUP, "国庆节"), DayEntry(D(2027, 10, 9), MAKEUP, "国庆节")],
        key=lambda e: e.date,
    )


def build(*, rng=None, enter_2027: bool | None = None) -> str:
    """Leave 2027 on the weekends-only fallback (default) or enter the example schedule.
    Idempotent; returns one line for ``seed_demo`` to print."""
    if enter_2027 is None:
        enter_2027 = os.environ.get("DEMO_CALENDAR_2027", "") == "entered"
    existing = CalendarYear.objects.filter(year=2027).first()
    if not enter_2027:
        if existing:
            return f"2027: {existing.get_source_display()}"
        return "2027: 按周末计算（未录入；DEMO_CALENDAR_2027=entered 录入示例安排）"
    if existing is None or existing.document == EXAMPLE_DOCUMENT:
        result = calendar_year_enter(
            year=2027, days=example_2027(), actor=None, document=EXAMPLE_DOCUMENT
        )
        return f"2027: 示例安排 {result.days} 天，重新计算 {sum(result.recounted.values())} 条"
    return f"2027: {existing.get_source_display()}（保留）"
