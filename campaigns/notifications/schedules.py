"""The beat schedule, stored in the database (django-celery-beat) so admins can change it.

:func:`schedules_setup` creates, once, the daily reminder run at 08:30 Asia/Shanghai and the
outbox/dispatch sweep every 5 minutes. It never overwrites an existing task's schedule (an admin
may have moved it); run it from ``manage.py setup_schedules`` (deploy) and ``seed_demo``.
"""

from __future__ import annotations

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from ..constants import OUTBOX_FLUSH_EVERY_MINUTES, REMINDERS_DAILY_AT

TIME_ZONE = "Asia/Shanghai"
DAILY_TASK_NAME = "每日逾期提醒 (reminders_daily)"
FLUSH_TASK_NAME = "发件箱与提醒补发 (outbox_flush)"


@transaction.atomic
def schedules_setup() -> dict[str, bool]:
    """Create the two periodic tasks if missing. Returns ``{name: created}``."""
    hour, minute = REMINDERS_DAILY_AT
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=str(minute), hour=str(hour), day_of_week="*", day_of_month="*",
        month_of_year="*", timezone=TIME_ZONE)
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=OUTBOX_FLUSH_EVERY_MINUTES, period=IntervalSchedule.MINUTES)
    _, daily = PeriodicTask.objects.get_or_create(
        name=DAILY_TASK_NAME,
        defaults={"task": "campaigns.reminders_daily", "crontab": crontab,
                  "description": "每天 08:30（北京时间）汇总到期、逾期事项，每人每天一份提醒摘要。"})
    _, flush = PeriodicTask.objects.get_or_create(
        name=FLUSH_TASK_NAME,
        defaults={"task": "campaigns.outbox_flush", "interval": interval,
                  "description": "补发 Redis 不可用时积压的任务和未发出的提醒摘要。"})
    return {DAILY_TASK_NAME: daily, FLUSH_TASK_NAME: flush}
