"""Transactional outbox: Celery work asked for by a request is never lost when Redis is down.

Use :func:`enqueue` instead of ``task.delay`` everywhere:

    from campaigns.notifications import enqueue
    enqueue(send_hazard_notification, notification.pk)  # hazards.services

It writes an :class:`~campaigns.models.OutboxMessage` in the caller's transaction; after COMMIT
it tries to hand the task to the broker. If the broker is unreachable the error is logged (the
page keeps working) and :func:`outbox_flush` — run every few minutes by beat and by the daily
run — sends it later. Delivery is at-least-once: tasks must be idempotent (take ids, check state).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from campaigns.constants import OUTBOX_KEEP_DAYS
from campaigns.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> OutboxMessage:
    """Record ``task(*args)`` in the outbox now and dispatch it after the transaction commits.

    ``task``: a Celery task (or its registered name); ``args``: JSON-serialisable (ids, strings).
    Outside a transaction it dispatches immediately. Never raises for broker errors.
    """
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(task_name=name, args=list(args))
    transaction.on_commit(lambda: outbox_dispatch(message.pk))
    return message


def _task(name: str):
    from yixian_safety.celery import app

    app.loader.import_default_modules()  # make sure every app's tasks are registered
    return app.tasks[name]


def outbox_dispatch(message_id: int) -> bool:
    """Hand one outbox message to the broker; ``True`` if it is (now or already) dispatched.

    Row-locked (SKIP LOCKED) so two flushers never publish the same message twice."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        )
        if message is None:
            return False  # another flusher holds it
        if message.dispatched_at is not None:
            return True
        # Marked first (still uncommitted, row locked): an eager task that flushes the outbox
        # itself in this same transaction must not publish this message again.
        message.attempts += 1
        message.dispatched_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "dispatched_at", "last_error"])
        try:
            # retry=False: a dead broker raises within the connection timeout instead of hanging.
            _task(message.task_name).apply_async(args=message.args, retry=False)
        except Exception as exc:  # broker down, unknown task, eager task failure
            logger.warning("outbox %s (%s) not dispatched: %s", message.pk, message.task_name, exc)
            message.dispatched_at = None
            message.last_error = str(exc)[:500]
            message.save(update_fields=["dispatched_at", "last_error"])
            return False
        return True


def outbox_flush(*, limit: int = 500) -> dict[str, int]:
    """Dispatch undispatched outbox messages, oldest first; stops at the first failure (the
    broker is probably still down). Dispatched messages older than
    :data:`~campaigns.constants.OUTBOX_KEEP_DAYS` are deleted.
    Returns ``{"dispatched": n, "pending": m}``."""
    OutboxMessage.objects.filter(
        dispatched_at__lt=timezone.now() - datetime.timedelta(days=OUTBOX_KEEP_DAYS)
    ).delete()
    ids = list(
        OutboxMessage.objects.filter(dispatched_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    dispatched = 0
    for pk in ids:
        if not outbox_dispatch(pk):
            break
        dispatched += 1
    pending = OutboxMessage.objects.filter(dispatched_at__isnull=True).count()
    return {"dispatched": dispatched, "pending": pending}
