"""Celery tasks of the built reports (imported by ``campaigns/tasks.py`` so the worker finds
them). They take ids and call the services; safe to run again (see :func:`report_build`)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

# A report of the county with 20,000 hazards takes about a minute; the limits bound a runaway.
REPORT_LIMITS = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 60,
    "max_retries": 3,
    "acks_late": True,
    "soft_time_limit": 20 * 60,
    "time_limit": 21 * 60,
}


@shared_task(name="campaigns.report_build", **REPORT_LIMITS)
def report_build_task(report_id: int) -> dict:
    """Build report ``report_id`` (see :func:`campaigns.reports.services.report_build`)."""
    from campaigns.reports.services import report_build

    report = report_build(report_id=report_id)
    return {"report": report_id, "status": report.status if report else "missing"}


@shared_task(name="campaigns.reports_quarterly", **REPORT_LIMITS)
def reports_quarterly() -> dict:
    """Beat, the 5th day after each quarter: request the county's and the units' reports of the
    quarter just ended (each built by its own :func:`report_build_task`)."""
    from campaigns.reports.services import reports_quarterly_schedule

    return {"requested": len(reports_quarterly_schedule())}


@shared_task(name="campaigns.reports_sweep", **REPORT_LIMITS)
def reports_sweep() -> dict:
    """Mark builds stuck "building" (killed worker) failed so they can be retried."""
    from campaigns.reports.services import reports_sweep as sweep

    return {"failed": sweep()}
