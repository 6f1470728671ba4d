"""Chinese working days (法定节假日 and 调休 make-up workdays) via the chinesecalendar package.

The package ships data for a fixed range of years (1.11.0: 2004–2026); asking about a later year
raises :class:`WorkCalendarUnavailable` with a Chinese message instead of guessing.
"""

from __future__ import annotations

import datetime

import chinese_calendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .constants import EXTENSION_MIN_WORKING_DAYS


class WorkCalendarUnavailable(ValidationError):
    """The working-day calendar has no data for a year we need."""


def known_years() -> tuple[int, int]:
    """First and last year the installed chinesecalendar knows holidays for."""
    years = [d.year for d in chinese_calendar.constants.holidays]
    return min(years), max(years)


def _check(day: datetime.date) -> None:
    first, last = known_years()
    if not first <= day.year <= last:
        raise WorkCalendarUnavailable(
            _("The working-day calendar has no data for %(year)s (known: %(first)s–%(last)s). "
              "An administrator must update the chinesecalendar package.")
            % {"year": day.year, "first": first, "last": last}, code="calendar_unavailable")


def is_workday(day: datetime.date) -> bool:
    """A Chinese working day: Monday–Friday that is no statutory holiday, or a make-up day."""
    _check(day)
    return chinese_calendar.is_workday(day)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in [start, end) (``end`` excluded); 0 if end ≤ start."""
    if end <= start:
        return 0
    last = end - datetime.timedelta(days=1)
    _check(start)
    _check(last)
    return len(chinese_calendar.get_workdays(start, last))


def working_days_at_least(start: datetime.date, end: datetime.date, n: int) -> int:
    """Working days in [start, end), but if the calendar ends before ``end`` and ``n`` working
    days are already reached within the known years, return that partial count (≥ n) instead of
    failing: a request filed far ahead of a deadline next year is clearly on time."""
    first, last_year = known_years()
    if end <= start:
        return 0
    if (end - datetime.timedelta(days=1)).year <= last_year:
        return working_days_between(start, end)
    _check(start)
    counted = working_days_between(start, datetime.date(last_year + 1, 1, 1))
    if counted >= n:
        return counted
    _check(end - datetime.timedelta(days=1))  # raises: the answer depends on the unknown year
    return counted  # pragma: no cover


def latest_filing_date(deadline: datetime.date, n: int) -> datetime.date:
    """The last day a request may be filed: the n-th working day before ``deadline``."""
    day, found = deadline, 0
    while found < n:
        day -= datetime.timedelta(days=1)
        if is_workday(day):
            found += 1
    return day


def min_working_days() -> int:
    """N of the extension rule: setting EXTENSION_MIN_WORKING_DAYS (default 15)."""
    return int(getattr(settings, "EXTENSION_MIN_WORKING_DAYS", EXTENSION_MIN_WORKING_DAYS))
