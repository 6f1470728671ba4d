"""Demo reminders: the beat schedules, and the digests the daily run would have made on three
days around the 2025 year-end milestones (in-app only — no demo e-mails are sent), each
recorded as that day's beat run (``ReminderRun``, shown on the safety office's reminders page)."""

import datetime
from zoneinfo import ZoneInfo

from campaigns.notifications.digest import digests_build, reminder_run_record
from campaigns.notifications.models import ReminderRun
from campaigns.notifications.schedules import schedules_setup

BEIJING = ZoneInfo("Asia/Shanghai")
# 3 days before 2025-12-31, then 7 days (unit head) and 30 days (safety office) overdue.
DEMO_RUNS = [
    datetime.datetime(2025, 12, 28, 8, 30, tzinfo=BEIJING),
    datetime.datetime(2026, 1, 7, 8, 30, tzinfo=BEIJING),
    datetime.datetime(2026, 1, 30, 8, 30, tzinfo=BEIJING),
]


def build(*, rng) -> str:
    """Idempotent: schedules are created once, digests are unique per recipient and day."""
    created = sum(1 for made in schedules_setup().values() if made)
    digests = 0
    for now in DEMO_RUNS:
        built = digests_build(now=now, channels=[])
        digests += built.digests_created
        if not ReminderRun.objects.filter(day=built.day).exists():
            reminder_run_record(
                day=built.day,
                source=ReminderRun.Source.BEAT,
                started_at=now,
                result={
                    "day": built.day.isoformat(),
                    "digests_created": built.digests_created,
                    "items_created": built.items_created,
                },
            )
    return f"{created} schedules, {digests} reminder digests created"
