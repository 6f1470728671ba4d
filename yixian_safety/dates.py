"""Reads across the plan's models: today's phase, upcoming milestones, the overview."""

from __future__ import annotations

import datetime

from django.utils import timezone


def today_local() -> datetime.date:
    """Today's date in Asia/Shanghai — the campaign's deadlines are all local dates."""
    return timezone.localdate()
