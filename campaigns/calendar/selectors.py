"""Working days from the calendar: counts, single days, and the "not entered" notices.

A year's schedule comes from, in order: its :class:`~.models.CalendarYear` row (seeded from the
package or entered by an admin), else the installed ``chinesecalendar`` package (a release newer
than the seed), else the weekends-only fallback (Monday–Friday are working days). Every count
works across year boundaries: each day is judged by its own year's schedule.

Each public function costs at most two queries (the years, then their days).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from . import official
from .constants import FIRST_YEAR, LAST_YEAR, MAX_RANGE_DAYS
from .models import CalendarDay, CalendarYear

Source = CalendarYear.Source
Kind = CalendarDay.Kind
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """The schedule of the years ``first_year``…``last_year``: ``sources`` {year: Source value},
    ``special`` {date: Kind value} of the days that depart from Monday–Friday."""

    first_year: int
    last_year: int
    sources: dict[int, str]
    special: dict[datetime.date, str] = field(default_factory=dict)

    def _covers(self, day: datetime.date) -> None:
        if not self.first_year <= day.year <= self.last_year:
            raise ValueError(f"{day} is outside {self.first_year}–{self.last_year}")

    def is_workday(self, day: datetime.date) -> bool:
        """Monday–Friday that is no holiday, or a make-up workday."""
        self._covers(day)
        kind = self.special.get(day)
        if kind is not None:
            return kind == Kind.MAKEUP_WORKDAY
        return day.weekday() < 5

    def count(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in [start, end) (``end`` excluded); 0 if end ≤ start."""
        if end <= start:
            return 0
        self._covers(start)
        self._covers(end - ONE_DAY)
        total = _weekdays(start, end)
        for day, kind in self.special.items():
            if start <= day < end:
                weekday = day.weekday() < 5
                if kind == Kind.HOLIDAY and weekday:
                    total -= 1
                elif kind == Kind.MAKEUP_WORKDAY and not weekday:
                    total += 1
        return total

    def fallback_years(self) -> list[int]:
        """The covered years counted by weekends only, ascending."""
        return [y for y, s in sorted(self.sources.items()) if s == Source.FALLBACK]


def _weekdays(start: datetime.date, end: datetime.date) -> int:
    """Monday–Friday in [start, end), without looping over every day."""
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    total = weeks * 5
    first = start.weekday()
    total += sum(1 for i in range(rest) if (first + i) % 7 < 5)
    return total


def _check_years(first_year: int, last_year: int) -> None:
    if first_year < FIRST_YEAR or last_year > LAST_YEAR:
        raise ValidationError(
            _("The working-day calendar covers the years %(first)s–%(last)s only.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="calendar_out_of_range",
        )


def load_calendar(first_year: int, last_year: int) -> WorkCalendar:
    """The schedule of the years ``first_year``…``last_year`` (two queries at most).

    Raises ValidationError for years outside the supported range (constants)."""
    _check_years(first_year, last_year)
    stored = dict(
        CalendarYear.objects.filter(year__gte=first_year, year__lte=last_year).values_list(
            "year", "source"
        )
    )
    sources: dict[int, str] = {}
    special: dict[datetime.date, str] = {}
    for year in range(first_year, last_year + 1):
        if year in stored:
            sources[year] = stored[year]
        elif year in official.official_years():
            sources[year] = Source.OFFICIAL
            special.update({d: k for d, k, _n in official.official_days(year)})
        else:
            sources[year] = Source.FALLBACK
    if stored:
        special.update(
            CalendarDay.objects.filter(calendar_year__year__in=list(stored)).values_list(
                "date", "kind"
            )
        )
    return WorkCalendar(first_year, last_year, sources, special)


def _bounded(start: datetime.date, end: datetime.date) -> None:
    if (end - start).days > MAX_RANGE_DAYS:
        raise ValidationError(
            _("At most %(n)s days can be counted at once.") % {"n": MAX_RANGE_DAYS},
            code="calendar_range_too_long",
        )


def is_workday(day: datetime.date) -> bool:
    """A Chinese working day: Monday–Friday that is no statutory holiday, or a make-up day."""
    return load_calendar(day.year, day.year).is_workday(day)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in [start, end) (``end`` excluded); 0 if end ≤ start. Years not entered
    count weekends only (see :func:`fallback_notices`)."""
    if end <= start:
        return 0
    _bounded(start, end)
    return load_calendar(start.year, (end - ONE_DAY).year).count(start, end)


def latest_filing_date(deadline: datetime.date, n: int) -> datetime.date:
    """The n-th working day before ``deadline`` (``deadline`` itself not counted)."""
    # n working days fit in 2n + 30 calendar days even around 春节 and 国庆.
    earliest = deadline - datetime.timedelta(days=2 * n + 30)
    calendar = load_calendar(earliest.year, deadline.year)
    day, found = deadline, 0
    while found < n:
        day -= ONE_DAY
        if calendar.is_workday(day):
            found += 1
    return day


def year_sources(first_year: int, last_year: int) -> dict[int, str]:
    """{year: ``official`` | ``admin`` | ``fallback``} for the years given (one query)."""
    _check_years(first_year, last_year)
    stored = dict(
        CalendarYear.objects.filter(year__gte=first_year, year__lte=last_year).values_list(
            "year", "source"
        )
    )
    return {
        y: stored.get(y) or (Source.OFFICIAL if y in official.official_years() else Source.FALLBACK)
        for y in range(first_year, last_year + 1)
    }


def year_source(year: int) -> str:
    """``official``, ``admin`` or ``fallback`` for one year."""
    return year_sources(year, year)[year]


def fallback_notice(year: int) -> str:
    """The notice shown wherever a count uses a year not entered yet."""
    return _("%(year)s holidays not entered yet: working days are counted by weekends only.") % {
        "year": str(year)
    }


def fallback_notices(*dates: datetime.date | None) -> list[str]:
    """One notice per year counted by weekends only among the years spanned by ``dates``
    (the earliest to the latest given; ``None`` ignored); [] if none. One query."""
    given = [d for d in dates if d is not None]
    if not given:
        return []
    first, last = min(given).year, max(given).year
    first, last = max(first, FIRST_YEAR), min(last, LAST_YEAR)
    if first > last:
        return []
    return [
        fallback_notice(y) for y, s in year_sources(first, last).items() if s == Source.FALLBACK
    ]


def all_year_sources() -> dict[int, str]:
    """{year: source} of every supported year (one query): for lists that judge many rows."""
    return year_sources(FIRST_YEAR, LAST_YEAR)


def notices_from_sources(
    sources: dict[int, str], start: datetime.date | None, end: datetime.date | None
) -> list[str]:
    """:func:`fallback_notices` of [start, end] from :func:`all_year_sources` (no query)."""
    if not start or not end:
        return []
    lo, hi = min(start, end), max(start, end)
    return [
        fallback_notice(y) for y in range(lo.year, hi.year + 1) if sources.get(y) == Source.FALLBACK
    ]


def fallback_notices_for_ranges(ranges: Iterable[tuple[datetime.date, datetime.date]]) -> list[str]:
    """Notices for a list of (start, end) ranges (e.g. the rows of a page); one query."""
    years: set[int] = set()
    for start, end in ranges:
        if start and end:
            lo, hi = min(start, end), max(start, end)
            years.update(range(max(lo.year, FIRST_YEAR), min(hi.year, LAST_YEAR) + 1))
    if not years:
        return []
    sources = year_sources(min(years), max(years))
    return [fallback_notice(y) for y in sorted(years) if sources[y] == Source.FALLBACK]


def calendar_overview(today: datetime.date) -> list[dict]:
    """Rows of the calendar page, newest year first: every stored year, every year the package
    knows, this year and next. Each row: ``year``, ``source`` (value), ``source_label``,
    ``holidays`` and ``makeups`` (days of each kind), ``entry`` (the CalendarYear or None).
    Three queries (years, their day counts grouped in the database, sources)."""
    stored = {cy.year: cy for cy in CalendarYear.objects.select_related("entered_by")}
    years = set(stored) | set(official.official_years()) | {today.year, today.year + 1}
    years = {y for y in years if FIRST_YEAR <= y <= LAST_YEAR}
    counts: dict[int, dict[str, int]] = {}
    for row in (
        CalendarDay.objects.values("calendar_year__year", "kind").annotate(n=Count("pk")).order_by()
    ):
        counts.setdefault(row["calendar_year__year"], {})[row["kind"]] = row["n"]
    sources = year_sources(min(years), max(years))
    rows = []
    for year in sorted(years, reverse=True):
        days = counts.get(year, {})
        if year not in stored:
            for _d, kind, _n in official.official_days(year):
                days[kind] = days.get(kind, 0) + 1
        rows.append(
            {
                "year": year,
                "source": sources[year],
                "source_label": Source(sources[year]).label,
                "holidays": days.get(Kind.HOLIDAY, 0),
                "makeups": days.get(Kind.MAKEUP_WORKDAY, 0),
                "entry": stored.get(year),
            }
        )
    return rows
