"""The beat schedule lives in the database, at 08:30 Beijing time."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from campaigns.notifications.schedules import DAILY_TASK_NAME, FLUSH_TASK_NAME, schedules_setup

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def next_run(task: PeriodicTask, now: datetime.datetime) -> datetime.datetime:
    """When beat would next run ``task`` if the clock showed ``now`` and it last ran just before."""
    schedule = task.schedule
    schedule.nowfun = lambda: now.astimezone(schedule.tz)
    return now + schedule.remaining_estimate(now - datetime.timedelta(seconds=1))


def test_daily_reminders_are_stored_at_0830_beijing_time():
    schedules_setup()
    task = PeriodicTask.objects.get(name=DAILY_TASK_NAME)
    assert task.task == "campaigns.reminders_daily" and task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("8", "30")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    flush = PeriodicTask.objects.get(name=FLUSH_TASK_NAME)
    assert flush.task == "campaigns.outbox_flush"
    assert (flush.interval.every, flush.interval.period) == (5, "minutes")


@pytest.mark.parametrize(
    "now_utc, expected_beijing",
    [
        # 08:00 Beijing → 08:30 the same day (00:30 UTC)
        ((2025, 3, 1, 0, 0), (2025, 3, 1, 8, 30)),
        # 00:30 Beijing (16:30 UTC the day before) → 08:30 that Beijing day
        ((2025, 2, 28, 16, 30), (2025, 3, 1, 8, 30)),
        # 08:31 Beijing → 08:30 the next day
        ((2025, 3, 1, 0, 31), (2025, 3, 2, 8, 30)),
    ],
)
def test_the_next_run_is_0830_beijing(now_utc, expected_beijing):
    schedules_setup()
    task = PeriodicTask.objects.get(name=DAILY_TASK_NAME)
    now = datetime.datetime(*now_utc, tzinfo=datetime.UTC)
    run = next_run(task, now)
    assert run.astimezone(BEIJING).replace(second=0, microsecond=0) == datetime.datetime(
        *expected_beijing, tzinfo=BEIJING
    )


def test_setup_is_idempotent_and_keeps_an_admins_change(capsys):
    call_command("setup_schedules")
    task = PeriodicTask.objects.get(name=DAILY_TASK_NAME)
    task.crontab.hour = "7"
    task.crontab.save()
    call_command("setup_schedules")
    assert "exists" in capsys.readouterr().out
    assert PeriodicTask.objects.filter(name=DAILY_TASK_NAME).count() == 1
    assert PeriodicTask.objects.get(name=DAILY_TASK_NAME).crontab.hour == "7"


def test_beat_uses_the_database_scheduler(settings):
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert settings.CELERY_TASK_ACKS_LATE is True
