"""Real Celery worker on Redis against the test PostgreSQL database.

A worker subprocess (``celery -A yixian_safety worker -P solo``) consumes a queue of its own on
``REDIS_URL`` and connects to the *test* database (its name passed in ``DATABASE_URL``), so the
tests see what it commits (``transaction=True``). Channels: the webhook backend pointed at a
fake endpoint on 127.0.0.1.

Without ``REDIS_URL`` (embedded SQLite run) these tests are skipped — except in CI (``CI=true``),
where a missing Redis or PostgreSQL is a failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from campaigns.models import Digest, DigestSend, ReminderItem
from campaigns.tasks import reminders_daily
from tests.campaigns.conftest import beijing, celery_conf

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
RUN_AT = beijing(2025, 12, 28, 8, 30).isoformat()  # 3 days before the 2025-12-31 milestones


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(why: str):
    if _in_ci():
        pytest.fail(f"CI must run the real-worker tests: {why}")
    pytest.skip(why)


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        _unavailable("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        _unavailable("the worker needs the PostgreSQL test database (DATABASE_URL)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis at {url} is not reachable: {exc}")
    return url


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """A celery worker subprocess on its own queue; always terminated by the fixture."""

    def __init__(self, redis_url: str, queue: str, extra_env: dict[str, str]):
        self.queue = queue
        self.log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER")
        }
        self.env.update(
            {
                "DATABASE_URL": _test_database_url(),
                "REDIS_URL": redis_url,
                # redeliver an unacknowledged task 2 s after the worker holding it died
                "CELERY_VISIBILITY_TIMEOUT": "2",
                "CELERY_UNACKED_RESTORE_INTERVAL": "1",
                "CELERY_UNACKED_RESTORE_THROTTLE": "1",
                "NOTIFY_HTTP_TIMEOUT": "20",
                "REMINDER_SOURCES": "milestone",
                **extra_env,
            }
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "yixian_safety",
                "worker",
                "-P",
                "solo",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-4000:]


@pytest.fixture
def workers(redis_url, fake_endpoint, users):
    """``workers.start()`` → a new :class:`Worker` on this test's queue; all stopped at the end.
    ``workers.send(task, *args)`` publishes to that queue through the real broker."""
    queue = f"test-reminders-{uuid.uuid4().hex[:8]}"
    started: list[Worker] = []
    env = {"NOTIFY_CHANNELS": "in_app,webhook", "NOTIFY_WEBHOOK_URL": fake_endpoint.url}

    class Workers:
        def start(self) -> Worker:
            worker = Worker(redis_url, queue, env).start()
            started.append(worker)
            return worker

        def send(self, task, *args):
            return task.apply_async(args=args, queue=queue, retry=False)

        def logs(self) -> str:
            return "\n----\n".join(w.output() for w in started)

    with celery_conf(broker_url=redis_url, task_always_eager=False) as app:
        try:
            yield Workers()
        finally:
            for worker in started:
                worker.stop()
            with app.connection_for_write() as conn:
                conn.default_channel.client.delete(queue)
            for worker in started:
                os.unlink(worker.log.name)


def wait_for(condition, timeout: float, what: str, logs=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n{logs()}")


def sent_count() -> int:
    return DigestSend.objects.filter(status=DigestSend.Status.SENT).count()


def test_two_workers_and_two_beats_send_each_digest_once(workers, fake_endpoint):
    workers.start()
    workers.start()
    # Two beats (or a beat and a retry) publish the same day's run twice; two workers take them.
    workers.send(reminders_daily, RUN_AT)
    workers.send(reminders_daily, RUN_AT)
    wait_for(lambda: sent_count() == 3, 30, "3 digests sent", workers.logs)
    wait_for(
        lambda: workers.logs().count("succeeded in") >= 2, 30, "both runs to finish", workers.logs
    )
    assert Digest.objects.count() == 3  # dept_housing, dept_fire, office
    assert ReminderItem.objects.count() == 6
    assert len(fake_endpoint.requests) == 3
    assert any("任务 19" in r["json"]["text"]["content"] for r in fake_endpoint.requests)


def test_a_worker_killed_mid_run_finishes_the_work_after_restart(workers, fake_endpoint):
    fake_endpoint.hang.set()  # the first webhook call never answers: the worker is mid-send
    first = workers.start()
    workers.send(reminders_daily, RUN_AT)
    if not fake_endpoint.hanging.wait(30):
        pytest.fail("worker never reached the webhook\n" + workers.logs())
    first.kill()  # SIGKILL: no ack (acks_late), its DB transaction is rolled back
    fake_endpoint.release.set()
    assert sent_count() == 0
    assert DigestSend.objects.filter(status=DigestSend.Status.PENDING).count() == 3
    workers.start()  # redelivered after the 2 s visibility timeout
    wait_for(lambda: sent_count() == 3, 40, "the redelivered run to send 3 digests", workers.logs)
    assert len(fake_endpoint.requests) == 3  # each digest accepted exactly once
    assert Digest.objects.count() == 3 and ReminderItem.objects.count() == 6
