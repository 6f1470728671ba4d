"""What the installed ``chinesecalendar`` package knows: the seed of the calendar.

The package copies the 国务院办公厅 notices and ships them in releases (1.11.0: 2004–2026);
a year it does not know yet is entered by an admin instead (:mod:`.services`).
"""

from __future__ import annotations

import datetime
from functools import cache

import chinese_calendar

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"

# The package names holidays in English; the calendar shows the Chinese names of the notices.
_CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def chinese_name(name: str | None) -> str:
    """The Chinese name of one of the package's holiday names (unknown names unchanged)."""
    return _CHINESE_NAMES.get(name or "", name or "")[:50]


@cache
def official_years() -> frozenset[int]:
    """The years the installed package has a schedule for."""
    return frozenset(d.year for d in chinese_calendar.constants.holidays)


@cache
def official_days(year: int) -> tuple[tuple[datetime.date, str, str], ...]:
    """``(date, kind, Chinese name)`` of ``year``'s holidays and make-up workdays, by date;
    empty for a year the package does not know. ``kind``: ``holiday`` | ``makeup_workday``."""
    days = [
        (d, HOLIDAY, chinese_name(n))
        for d, n in chinese_calendar.constants.holidays.items()
        if d.year == year
    ]
    days += [
        (d, MAKEUP_WORKDAY, chinese_name(n))
        for d, n in chinese_calendar.constants.workdays.items()
        if d.year == year
    ]
    return tuple(sorted(days))


def seed_missing_years(calendar_year_model, calendar_day_model) -> list[int]:
    """Store every year the package knows and the database has no row for (``official``).

    Takes the model classes so the data migration can pass its historical models; returns the
    years added. Years already stored (official or entered by an admin) are left alone."""
    stored = set(calendar_year_model.objects.values_list("year", flat=True))
    added = sorted(official_years() - stored)
    for year in added:
        cy = calendar_year_model.objects.create(year=year, source="official")
        calendar_day_model.objects.bulk_create(
            calendar_day_model(calendar_year=cy, date=d, kind=k, name=n)
            for d, k, n in official_days(year)
        )
    return added
