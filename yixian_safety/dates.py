"""The project's one "today": every deadline, phase and period is a local date."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone


def demo_today() -> datetime.date | None:
    """The demo's date override (setting ``DEMO_TODAY``, e.g. ``DEMO_TODAY=2027-01-15 make
    run``), honoured only outside production (``HTTPS`` off, or ``DEBUG``); production refuses
    to start with it set (system check ``yixian.E001``). ``None`` when not overriding."""
    value = getattr(settings, "DEMO_TODAY", None)
    if value is None or (getattr(settings, "HTTPS", False) and not settings.DEBUG):
        return None
    return value


def today_local() -> datetime.date:
    """Today's date in Asia/Shanghai — the campaign's deadlines are all local dates. Under a
    demo override (:func:`demo_today`) that date instead; clock times stay real."""
    return demo_today() or timezone.localdate()
