"""Celery tasks of supervision: the daily run of the escalation rules (proposals only)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(
    bind=True,
    max_retries=3,
    default_retry_delay=300,
    retry_backoff=True,
    time_limit=600,
    soft_time_limit=540,
)
def propose_escalations(self) -> int:
    """Evaluate the active escalation rules for today (Asia/Shanghai) and propose steps;
    idempotent (no duplicate open proposal). Returns the number of new proposals."""
    from .services import escalation_evaluate

    try:
        return len(escalation_evaluate())
    except OperationalError as exc:  # database briefly unavailable
        raise self.retry(exc=exc) from exc
