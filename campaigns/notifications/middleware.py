"""The embedded mode's daily reminders: without Redis and beat nothing schedules
:func:`campaigns.tasks.reminders_daily`, so the first request of each Asia/Shanghai day runs it
(:func:`campaigns.notifications.digest.reminder_run_once`, guarded by one ``ReminderRun`` row
per day). Only when ``settings.REMINDERS_ON_FIRST_REQUEST`` is on (default: when Celery runs
eagerly, i.e. without Redis). Source: issue 18.
"""

from __future__ import annotations

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


class RemindersOnFirstRequestMiddleware:
    """Before answering the first request of a day, run that day's reminders once.

    Each process remembers the last day it checked, so later requests cost nothing; the
    database row decides between processes. Any error is logged, never shown (no 500)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.checked_day = None

    def __call__(self, request):
        if getattr(settings, "REMINDERS_ON_FIRST_REQUEST", False):
            self._run_once()
        return self.get_response(request)

    def _run_once(self) -> None:
        from campaigns.notifications.digest import local_day, reminder_run_once

        try:
            day = local_day()
            if day == self.checked_day:
                return
            reminder_run_once(day=day)
            self.checked_day = day
        except Exception:  # noqa: BLE001 - e.g. the database away: the request goes on
            logger.exception("reminders on first request: not run")
