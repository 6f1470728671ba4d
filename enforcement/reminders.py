"""Reminder sources of supervision: extension requests awaiting a decision, and listed hazards
whose quarterly progress report is due or missing (tasks 5, 15, 16).

Registered with :func:`campaigns.notifications.sources.register_source` and collected by the
daily run. Recipients follow who decides / who reports:

- an extension of a listed hazard is decided by the listing body (the safety office), any other
  by the hazard's supervising department; the wait counts as ``days_overdue`` (unit head after 7
  days, safety office after 30);
- a listed hazard's township and supervising department report each quarter: reminded 7, 3 and
  1 days before the quarter ends while this quarter's report is missing, and for a week after a
  quarter ended without one (a past quarter cannot be reported late; the escalation ladder's
  "missed quarterly reports" trigger takes it from there).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils.translation import gettext as _

from campaigns.constants import REMIND_DAYS_BEFORE
from campaigns.models import Department
from campaigns.notifications.sources import Kind, Reminder, register_source
from yixian_safety.periods import quarter_index, quarter_of_index

from .constants import MISSED_REPORT_REMINDER_DAYS
from .models import ExtensionRequest, Inspection, Listing


def _quarter_end(index: int) -> datetime.date:
    year, quarter = quarter_of_index(index + 1)
    return datetime.date(year, quarter * 3 - 2, 1) - datetime.timedelta(days=1)


@register_source("extension")
def extensions_awaiting_decision(today: datetime.date) -> Iterator[Reminder]:
    """Extension requests still ``requested``. Two queries."""
    office_id = (
        Department.objects.filter(code=Department.SAFETY_OFFICE_CODE)
        .values_list("pk", flat=True)
        .first()
    )
    pending = (
        ExtensionRequest.objects.filter(status=ExtensionRequest.Status.REQUESTED)
        .select_related("hazard", "listing")
        .order_by("filed_on", "pk")
    )
    for ext in pending:
        listed = ext.listing_id is not None and ext.listing.status == Listing.Status.LISTED
        deciders = (office_id,) if listed and office_id else (ext.hazard.supervising_department_id,)
        waiting = (today - ext.filed_on).days
        text = _(
            "Extension request for %(number)s (to %(date)s) awaits a decision since %(filed)s"
        ) % {
            "number": ext.hazard.ledger_number,
            "date": f"{ext.requested_deadline:%Y-%m-%d}",
            "filed": f"{ext.filed_on:%Y-%m-%d}",
        }
        yield Reminder(
            item_key=f"extension:{ext.pk}",
            kind=Kind.AWAITING_DECISION,
            text=text,
            url=ext.get_absolute_url(),
            due_on=ext.current_deadline,
            days_overdue=max(0, waiting),
            departments=deciders,
        )


@register_source("listing_report")
def listing_reports_due(today: datetime.date) -> Iterator[Reminder]:
    """Active listings whose report for this quarter is due soon, or for the quarter just
    ended is missing. Two queries."""
    current = quarter_index(today)
    end = _quarter_end(current)
    days_left = (end - today).days
    listings = (
        Listing.objects.filter(status=Listing.Status.LISTED)
        .select_related("hazard")
        .prefetch_related("reports")
    )
    for listing in listings:
        filed = {(r.year, r.quarter) for r in listing.reports.all()}
        units = {
            "townships": (listing.hazard.township_id,),
            "departments": (listing.hazard.supervising_department_id,),
        }
        year, quarter = quarter_of_index(current - 1)
        since = _quarter_end(current - 1)
        if (
            (year, quarter) in listing.past_quarters(today)
            and (year, quarter) not in filed
            and (today - since).days <= MISSED_REPORT_REMINDER_DAYS
        ):
            text = _(
                "Listed hazard %(number)s: the progress report for %(year)s Q%(q)s is missing"
            ) % {"number": listing.hazard.ledger_number, "year": year, "q": quarter}
            yield Reminder(
                item_key=f"listing:{listing.pk}:{year}-Q{quarter}",
                kind=Kind.MISSING,
                text=text,
                url=listing.get_absolute_url(),
                due_on=since,
                days_overdue=max(0, (today - since).days),
                **units,
            )
        if days_left in REMIND_DAYS_BEFORE and quarter_of_index(current) not in filed:
            year, quarter = quarter_of_index(current)
            text = _(
                "Listed hazard %(number)s: the progress report for %(year)s Q%(q)s is due "
                "by %(end)s"
            ) % {
                "number": listing.hazard.ledger_number,
                "year": year,
                "q": quarter,
                "end": f"{end:%Y-%m-%d}",
            }
            yield Reminder(
                item_key=f"listing:{listing.pk}:{year}-Q{quarter}",
                kind=Kind.DUE_SOON,
                text=text,
                url=listing.get_absolute_url(),
                due_on=end,
                **units,
            )


@register_source("planned_inspection")
def planned_inspections_overdue(today: datetime.date) -> Iterator[Reminder]:
    """Planned inspections (e.g. from a 双随机 draw) past their planned date and still neither
    completed nor cancelled: the inspecting department and the drawn inspectors are reminded.
    Two queries."""
    late = (
        Inspection.objects.overdue_planned(today)
        .select_related("enterprise")
        .prefetch_related("inspectors")
        .order_by("inspected_on", "pk")
    )
    for insp in late:
        text = _(
            "Planned inspection of %(enterprise)s (%(date)s) is not recorded as carried out"
        ) % {"enterprise": insp.enterprise.name, "date": f"{insp.inspected_on:%Y-%m-%d}"}
        yield Reminder(
            item_key=f"inspection:{insp.pk}",
            kind=Kind.OVERDUE,
            text=text,
            url=insp.get_absolute_url(),
            due_on=insp.inspected_on,
            days_overdue=(today - insp.inspected_on).days,
            departments=(insp.department_id,),
            recipient_ids=tuple(u.pk for u in insp.inspectors.all()),
        )
