"""Celery tasks of the hazard ledger: take ids, call services, idempotent."""

from celery import shared_task


@shared_task(
    bind=True,
    max_retries=5,
    default_retry_delay=60,
    retry_backoff=True,
    time_limit=120,
    soft_time_limit=100,
)
def send_hazard_notification(self, notification_id: int) -> str:
    """Deliver one :class:`HazardNotification` (no-op if already sent)."""
    from .services import NotificationRetry, notification_send

    try:
        return notification_send(
            notification_id=notification_id, final=self.request.retries >= self.max_retries
        )
    except NotificationRetry as exc:  # network or gateway: try again later (backoff)
        raise self.retry(exc=exc) from exc


@shared_task(name="hazards.figures_refresh", time_limit=600, soft_time_limit=540)
def figures_refresh() -> str:
    """Rebuild the figures summary if a hazard or rectification changed or the day turned
    (beat, every minute; a no-op of two look-ups otherwise)."""
    from .services import hazard_figures_refresh

    stamp = hazard_figures_refresh()
    return f"{stamp.day} {stamp.refreshed_at:%H:%M:%S} ({stamp.seconds:.1f} s)"
