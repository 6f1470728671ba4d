"""Fixtures of the campaigns tests: uploads in a temporary MEDIA_ROOT, small PDFs; for the
reminders fixed Beijing clocks, e-mail addresses, Celery broker overrides, and a fake HTTP
endpoint on 127.0.0.1 standing in for WeCom/DingTalk/SMS gateways."""

from __future__ import annotations

import contextlib
import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.progress.demo import tiny_pdf

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _milestone_reminders_only(settings):
    """The reminder machinery's tests count the plan-milestone source's items; the other
    sources (sub-plans, hazards, supervision) have tests of their own that enable them."""
    settings.REMINDER_SOURCES = ["milestone"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pdf():
    """``pdf(name="plan.pdf", text=…)`` → a small valid PDF upload."""

    def _pdf(name="子实施方案.pdf", text="sub-plan"):
        return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")

    return _pdf


def beijing(*args) -> datetime.datetime:
    """An aware datetime on the Beijing wall clock: ``beijing(2025, 12, 28, 8, 30)``."""
    return datetime.datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def with_emails(users):
    """The ``users`` fixture, each with an e-mail address (<username>@yixian.invalid)."""
    for user in users.values():
        user.email = f"{user.username}@yixian.invalid"
        user.save(update_fields=["email"])
    return users


@contextlib.contextmanager
def celery_conf(**overrides):
    """Temporarily change the Celery app's configuration (broker URL, eager mode) and drop its
    cached connections so the change takes effect; restored afterwards."""
    from yixian_safety.celery import app

    saved = {k: app.conf.get(k) for k in overrides}

    def reset_pools():
        # as Celery does after a fork; kombu's global pools are keyed by URL, never closed here
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(overrides)
    reset_pools()
    try:
        yield app
    finally:
        app.conf.update(saved)
        reset_pools()


@pytest.fixture
def eager_celery():
    """Tasks run in-process (as in the embedded default), whatever REDIS_URL says."""
    with celery_conf(
        task_always_eager=True, task_eager_propagates=True, broker_url="memory://"
    ) as app:
        yield app


class FakeEndpoint:
    """Records JSON POSTs; answers with ``self.status`` and ``self.answer`` (a dict)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.answer: dict = {"errcode": 0, "errmsg": "ok"}
        self.hang = threading.Event()  # set → the next request blocks until ``release`` is set
        self.hanging = threading.Event()  # set once a request is being held
        self.release = threading.Event()
        self.lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if endpoint.hang.is_set():
                    endpoint.hang.clear()
                    endpoint.hanging.set()
                    endpoint.release.wait(30)
                    return  # drop the connection without an answer
                with endpoint.lock:
                    endpoint.requests.append(
                        {
                            "path": self.path,
                            "headers": dict(self.headers),
                            "json": json.loads(body or b"null"),
                        }
                    )
                payload = json.dumps(endpoint.answer).encode()
                self.send_response(endpoint.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_endpoint():
    """A local HTTP endpoint (never an external address) recording what channels post."""
    with FakeEndpoint() as endpoint:
        yield endpoint
