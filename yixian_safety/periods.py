"""Reporting periods: months, quarters, half-years and years as Asia/Shanghai date ranges.

Keys: "2026-11" (month), "2026-Q3" (quarter), "2026-H1" (half-year), "2026" (year).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    """How often a recurring obligation falls due (source: 实施方案 tasks 3, 5, 22, 29)."""

    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half_yearly", _("half-yearly")
    YEARLY = "yearly", _("yearly")


_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


@dataclass(frozen=True, order=True)
class Period:
    """One period; ``start``/``end`` inclusive dates."""

    start: datetime.date
    end: datetime.date
    key: str
    frequency: str

    def __str__(self) -> str:
        return self.key


def quarter_index(day: datetime.date) -> int:
    """Running quarter number: year × 4 + (quarter − 1); 2026 Q1 → 8104."""
    return day.year * 4 + (day.month - 1) // 3


def quarter_of_index(index: int) -> tuple[int, int]:
    """(year, quarter 1–4) of a running quarter number."""
    return index // 4, index % 4 + 1


def _month_end(year: int, month: int) -> datetime.date:
    nxt = datetime.date(year + month // 12, month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def period_containing(day: datetime.date, frequency: str) -> Period:
    """The period of ``frequency`` that contains ``day``."""
    months = _MONTHS[frequency]
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    start = datetime.date(day.year, first_month, 1)
    end = _month_end(day.year, last_month)
    if frequency == Frequency.MONTHLY:
        key = f"{day.year}-{day.month:02d}"
    elif frequency == Frequency.QUARTERLY:
        key = f"{day.year}-Q{(first_month - 1) // 3 + 1}"
    elif frequency == Frequency.HALF_YEARLY:
        key = f"{day.year}-H{(first_month - 1) // 6 + 1}"
    else:
        key = f"{day.year}"
    return Period(start, end, key, frequency)


def periods_between(start: datetime.date, end: datetime.date, frequency: str) -> list[Period]:
    """Every period of ``frequency`` overlapping [start, end], in order."""
    periods = []
    day = start
    while day <= end:
        period = period_containing(day, frequency)
        periods.append(period)
        day = period.end + datetime.timedelta(days=1)
    return periods


_KEY_PATTERNS = [
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), Frequency.MONTHLY),
    (re.compile(r"^(\d{4})-Q([1-4])$"), Frequency.QUARTERLY),
    (re.compile(r"^(\d{4})-H([12])$"), Frequency.HALF_YEARLY),
    (re.compile(r"^(\d{4})$"), Frequency.YEARLY),
]


def period_from_key(key: str) -> Period:
    """Parse "2026-11" / "2026-Q3" / "2026-H1" / "2026"; ``ValueError`` otherwise."""
    for pattern, frequency in _KEY_PATTERNS:
        match = pattern.match(key or "")
        if match:
            year = int(match.group(1))
            n = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1
            month = {
                Frequency.MONTHLY: n,
                Frequency.QUARTERLY: (n - 1) * 3 + 1,
                Frequency.HALF_YEARLY: (n - 1) * 6 + 1,
                Frequency.YEARLY: 1,
            }[frequency]
            return period_containing(datetime.date(year, month, 1), frequency)
    raise ValueError(key)


def closed_periods_count(
    start: datetime.date, today: datetime.date, frequency: str, grace_days: int = 0
) -> int:
    """How many periods of ``frequency`` starting at ``start`` ended (plus ``grace_days``)
    before ``today``."""
    return sum(
        1
        for p in periods_between(start, today, frequency)
        if p.end + datetime.timedelta(days=grace_days) < today
    )


_QUARTER_NAMES = {
    1: _("first quarter"),
    2: _("second quarter"),
    3: _("third quarter"),
    4: _("fourth quarter"),
}
_HALF_NAMES = {1: _("first half"), 2: _("second half")}


def quarter_label(year: int, quarter: int) -> str:
    """``2024 年第一季度`` (in the site language; never "2024-Q1" on a page)."""
    return _("%(year)s %(quarter)s") % {"year": year, "quarter": _QUARTER_NAMES[quarter]}


def period_label(key: str) -> str:
    """The words for a period key: ``2026-11`` → 2026 年 11 月, ``2026-Q3`` → 2026 年第三季度,
    ``2026-H1`` → 2026 年上半年, ``2026`` → 2026 年. An unknown key is returned unchanged."""
    try:
        period = period_from_key(key)
    except (ValueError, KeyError):
        return key
    year = period.start.year
    if period.frequency == Frequency.MONTHLY:
        return _("%(year)s, month %(month)s") % {"year": year, "month": period.start.month}
    if period.frequency == Frequency.QUARTERLY:
        return quarter_label(year, (period.start.month - 1) // 3 + 1)
    if period.frequency == Frequency.HALF_YEARLY:
        return _("%(year)s %(half)s") % {
            "year": year,
            "half": _HALF_NAMES[1 if period.start.month == 1 else 2],
        }
    return _("year %(year)s") % {"year": year}
