"""Reminder source of the working-day calendar: next year's holidays not entered yet.

From 1 December, while next year counts weekends only (not in chinesecalendar, not entered),
every admin (role 系统管理员, or a superuser) is reminded daily to enter the 国务院办公厅 notice;
from 1 January the year is the current one and the reminder is overdue, so the ladder adds the
safety office after 30 days. Registered with
:func:`campaigns.notifications.sources.register_source` under ``calendar``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.notifications.sources import Kind, Reminder, register_source
from campaigns.org.models import Role, User

from .constants import REMIND_FROM_DECEMBER_DAY
from .models import CalendarYear
from .selectors import year_sources


def _admin_ids() -> tuple[int, ...]:
    return tuple(
        User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@register_source("calendar")
def holidays_not_entered(today: datetime.date) -> Iterator[Reminder]:
    """Next year (from 1 December) or this year not entered: one reminder per year. Two
    queries when something is missing, one otherwise."""
    years = [today.year]
    if (today.month, today.day) >= (12, REMIND_FROM_DECEMBER_DAY):
        years.append(today.year + 1)
    sources = year_sources(years[0], years[-1])
    missing = [y for y in years if sources[y] == CalendarYear.Source.FALLBACK]
    if not missing:
        return
    admins = _admin_ids()
    for year in missing:
        starts = datetime.date(year, 1, 1)
        text = _(
            "The %(year)s holidays (国务院办公厅's notice) are not entered: working days "
            "of %(year)s are counted by weekends only. Enter them in the working-day "
            "calendar."
        ) % {"year": str(year)}
        yield Reminder(
            item_key=f"calendar:{year}",
            kind=Kind.MISSING,
            text=text[:500],
            url=reverse("campaigns:calendar:year", args=[year]),
            due_on=starts,
            days_overdue=max(0, (today - starts).days),
            recipient_ids=admins,
        )
