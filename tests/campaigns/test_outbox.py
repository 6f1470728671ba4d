"""Outbox: work a request enqueues survives a dead broker and goes out when it is back."""

from __future__ import annotations

import time

import pytest

from campaigns.models import Digest, OutboxMessage
from campaigns.notifications import enqueue, outbox_flush
from campaigns.tasks import reminders_daily
from tests.campaigns.conftest import celery_conf

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(unreachable_redis_url):
    with celery_conf(broker_url=unreachable_redis_url, task_always_eager=False) as app:
        yield app


def test_a_request_with_the_broker_down_keeps_working_and_keeps_the_work(
    users, client, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(users["office"])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/notifications/run/")
    assert response.status_code == 302
    assert time.monotonic() - started < 10  # fails fast, no hang
    message = OutboxMessage.objects.get()
    assert message.task_name == "campaigns.reminders_daily"
    assert message.dispatched_at is None and message.attempts == 1
    assert message.last_error
    assert client.get("/notifications/").status_code == 200  # pages keep working
    assert outbox_flush() == {"dispatched": 0, "pending": 1}  # still down: kept


def test_the_flush_sends_it_once_the_broker_is_back(
    users, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(reminders_daily, "2025-12-28T08:30:00+08:00")
    assert OutboxMessage.objects.get().dispatched_at is None
    with celery_conf(task_always_eager=True, broker_url="memory://"):  # broker back, runs here
        assert outbox_flush() == {"dispatched": 1, "pending": 0}
        assert outbox_flush() == {"dispatched": 0, "pending": 0}  # never twice
    assert OutboxMessage.objects.get().dispatched_at is not None
    assert Digest.objects.filter(recipient=users["department"]).exists()


def test_nothing_is_dispatched_before_the_transaction_commits(
    users, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue(reminders_daily, "2025-12-28T08:30:00+08:00")
        assert not Digest.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert Digest.objects.exists()
    assert OutboxMessage.objects.get().dispatched_at is not None


def test_a_rolled_back_request_leaves_no_outbox_message(users, eager_celery):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(reminders_daily)
        raise RuntimeError("validation failed")
    assert not OutboxMessage.objects.exists()


def test_run_now_is_for_the_safety_office_only(users, client):
    client.force_login(users["township"])
    assert client.post("/notifications/run/").status_code == 403
    assert not OutboxMessage.objects.exists()


def test_the_flush_deletes_old_dispatched_messages_only(db):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    old = OutboxMessage.objects.create(task_name="x", dispatched_at=now - datetime.timedelta(31))
    recent = OutboxMessage.objects.create(task_name="x", dispatched_at=now)
    outbox_flush()
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.filter(pk=recent.pk).exists()
