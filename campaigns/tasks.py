"""Celery tasks of the campaigns app: the daily reminder run and the outbox/dispatch sweep.

Both are safe to run any number of times, concurrently, or again after a worker was killed
(acks_late, see settings): every step is idempotent (see :mod:`campaigns.notifications.digest`).
No ETA/countdown longer than a minute: the daily scan finds what is due.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError

from campaigns.notifications.digest import digests_build, digests_dispatch
from campaigns.notifications.outbox import outbox_flush as outbox_flush_service

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 60,
    "max_retries": 5,
    "acks_late": True,
    "soft_time_limit": 10 * 60,
    "time_limit": 11 * 60,
}


@shared_task(name="campaigns.reminders_daily", **RETRY)
def reminders_daily(now_iso: str | None = None, source: str = "beat") -> dict:
    """Build today's digests (Asia/Shanghai date of ``now_iso``, default now), send them,
    flush the outbox. Returns counts, and records them on the day's ``ReminderRun`` with
    ``source`` (``beat``, the default: the schedule calls it without arguments;
    ``first_request``; ``manual``) — a failed run records its error and raises."""
    from django.utils import timezone

    from campaigns.notifications.digest import local_day, reminder_run_record

    now = datetime.datetime.fromisoformat(now_iso) if now_iso else None
    started_at = timezone.now()
    try:
        built = digests_build(now=now)
        sent = digests_dispatch()
        flushed = outbox_flush_service()
    except Exception as exc:
        reminder_run_record(
            day=local_day(now),
            source=source,
            started_at=started_at,
            error=f"{type(exc).__name__}: {exc}",
        )
        raise
    result = {
        "day": built.day.isoformat(),
        "digests_created": built.digests_created,
        "items_created": built.items_created,
        "sent": sent.sent,
        "failed": sent.failed,
        "outbox_dispatched": flushed["dispatched"],
    }
    reminder_run_record(day=built.day, source=source, started_at=started_at, result=result)
    return result


@shared_task(name="campaigns.outbox_flush", **RETRY)
def outbox_flush() -> dict:
    """Every few minutes: re-dispatch outbox messages left by a broker outage and send digest
    sends left pending (failed channel, killed worker)."""
    flushed = outbox_flush_service()
    sent = digests_dispatch()
    return {**flushed, "sent": sent.sent, "failed": sent.failed}


# The built reports' tasks live with their concern; imported here so Celery's autodiscovery
# (which looks for ``<app>.tasks``) registers them.
from campaigns.reports.tasks import (  # noqa: E402, F401
    report_build_task,
    reports_quarterly,
    reports_sweep,
)
