"""Celery tasks of supervision: the daily run of the escalation rules (proposals only)."""

from celery import shared_task
from django.db import OperationalError

DAILY_TASK_NAME = "enforcement: propose escalation steps (daily)"


@shared_task(bind=True, max_retries=3, default_retry_delay=300, retry_backoff=True,
             time_limit=600, soft_time_limit=540)
def propose_escalations(self) -> int:
    """Evaluate the active escalation rules for today (Asia/Shanghai) and propose steps;
    idempotent (no duplicate open proposal). Returns the number of new proposals."""
    from .services import escalation_evaluate

    try:
        return len(escalation_evaluate())
    except OperationalError as exc:  # database briefly unavailable
        raise self.retry(exc=exc) from exc


def schedule_daily(hour: int = 6) -> None:
    """Register the daily run in django-celery-beat (idempotent; editable by admins)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="15", hour=str(hour), day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai")
    PeriodicTask.objects.get_or_create(name=DAILY_TASK_NAME, defaults={
        "task": "enforcement.tasks.propose_escalations", "crontab": crontab})
