"""Chinese working days (法定节假日 and 调休 make-up workdays) for the extension rule — a thin
user of the calendar in :mod:`campaigns.calendar` (kept in the database: seeded from
chinesecalendar, later years entered by an admin, else weekends only, said out loud by
:func:`campaigns.calendar.selectors.fallback_notices`).

Also registers the recount of the stored ``ExtensionRequest.working_days_before`` for when a
year's schedule is entered later (found by :mod:`campaigns.calendar.recount`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Q

from campaigns.calendar import official
from campaigns.calendar import selectors as calendar
from campaigns.calendar.constants import FIRST_YEAR, LAST_YEAR
from campaigns.calendar.recount import register_recount

from .constants import EXTENSION_MIN_WORKING_DAYS


class WorkCalendarUnavailable(ValidationError):
    """Kept for callers that catch it: the calendar no longer refuses a year (a year not
    entered counts weekends only), so nothing raises it any more."""


def known_years() -> tuple[int, int]:
    """First and last year the installed chinesecalendar knows holidays for."""
    years = official.official_years()
    return min(years), max(years)


def is_workday(day: datetime.date) -> bool:
    """A Chinese working day: Monday–Friday that is no statutory holiday, or a make-up day."""
    return calendar.is_workday(day)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in [start, end) (``end`` excluded); 0 if end ≤ start; across years."""
    return calendar.working_days_between(start, end)


def working_days_at_least(start: datetime.date, end: datetime.date, n: int) -> int:
    """Working days in [start, end). (Once a partial count when the next year was unknown; the
    calendar now always answers, so this is :func:`working_days_between`; ``n`` is unused.)"""
    return calendar.working_days_between(start, end)


def latest_filing_date(deadline: datetime.date, n: int) -> datetime.date:
    """The last day a request may be filed: the n-th working day before ``deadline``."""
    return calendar.latest_filing_date(deadline, n)


def min_working_days() -> int:
    """N of the extension rule: setting EXTENSION_MIN_WORKING_DAYS (default 15)."""
    return int(getattr(settings, "EXTENSION_MIN_WORKING_DAYS", EXTENSION_MIN_WORKING_DAYS))


@register_recount("extension")
def recount_extensions(years: frozenset[int]) -> int:
    """Re-count ``working_days_before`` of every extension request whose counted range
    [filed_on, current_deadline) touches one of ``years``; returns the rows changed.

    Only the figure changes: a decision already taken stays (its note says what it was based
    on). One query to read, one calendar load, one bulk update."""
    from .models import ExtensionRequest

    if not years:
        return 0
    touches = Q()
    for year in years:
        touches |= Q(
            filed_on__lte=datetime.date(year, 12, 31),
            current_deadline__gt=datetime.date(year, 1, 1),
        )
    rows = list(
        ExtensionRequest.objects.filter(
            touches,
            filed_on__lt=F("current_deadline"),
            filed_on__year__gte=FIRST_YEAR,
            current_deadline__year__lte=LAST_YEAR,
        ).only("pk", "filed_on", "current_deadline", "working_days_before")
    )
    if not rows:
        return 0
    first = min(r.filed_on for r in rows).year
    last = max(r.current_deadline - datetime.timedelta(days=1) for r in rows).year
    cal = calendar.load_calendar(first, last)
    changed = []
    for r in rows:
        days = cal.count(r.filed_on, r.current_deadline)
        if days != r.working_days_before:
            r.working_days_before = days
            changed.append(r)
    ExtensionRequest.objects.bulk_update(changed, ["working_days_before"])
    return len(changed)
