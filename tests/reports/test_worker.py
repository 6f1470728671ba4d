"""Reports built by a real Celery worker on Redis against the test PostgreSQL database (as
``tests/campaigns/test_worker.py``): requested through the outbox, built by the worker; a worker
killed mid-build leaves a report that the sweep marks failed and a retry builds — never a
half-written file."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from campaigns.reports.models import Report
from campaigns.reports.services import report_request, report_retry, reports_sweep
from tests.campaigns.conftest import celery_conf
from tests.campaigns.test_worker import Worker, redis_url, wait_for  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_queue(redis_url, users, settings, tmp_path):  # noqa: F811
    queue = f"test-reports-{uuid.uuid4().hex[:8]}"
    started: list[Worker] = []
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media

    class Workers:
        def start(self) -> Worker:
            worker = Worker(redis_url, queue, {"MEDIA_ROOT": str(media)}).start()
            started.append(worker)
            return worker

        def logs(self) -> str:
            return "\n----\n".join(w.output() for w in started)

    # the outbox publishes to the default queue: make it this test's own
    with celery_conf(
        broker_url=redis_url, task_always_eager=False, task_default_queue=queue
    ) as app:
        try:
            yield Workers()
        finally:
            for worker in started:
                worker.stop()
            with app.connection_for_write() as conn:
                conn.default_channel.client.delete(queue)


def _status(pk: int) -> str:
    return Report.objects.get(pk=pk).status


def test_worker_builds_a_report_requested_through_the_outbox(worker_queue, users):
    worker_queue.start()
    report = report_request(
        kind="quarterly", period_key="2026-Q3", scope_key="township:biyang", actor=users["office"]
    )
    wait_for(
        lambda: _status(report.pk) == Report.Status.READY,
        180,
        "the report to be built",
        worker_queue.logs,
    )
    report.refresh_from_db()
    assert report.pdf.read(5) == b"%PDF-" and report.sections_done == report.sections_total


def test_a_killed_worker_leaves_a_failed_report_that_a_retry_builds(worker_queue, users):
    first = worker_queue.start()
    report = report_request(
        kind="quarterly", period_key="2026-Q3", scope_key="county", actor=users["office"]
    )
    wait_for(
        lambda: _status(report.pk) == Report.Status.BUILDING,
        120,
        "the build to start",
        worker_queue.logs,
    )
    first.kill()  # SIGKILL mid-build
    report.refresh_from_db()
    assert report.status == Report.Status.BUILDING and not report.pdf and not report.xlsx
    assert reports_sweep(now=timezone.now() + datetime.timedelta(hours=1)) == 1
    assert _status(report.pk) == Report.Status.FAILED
    report_retry(report=report, actor=users["office"])
    worker_queue.start()  # gets the retry (and the killed run's redelivered message: a no-op)
    wait_for(
        lambda: _status(report.pk) == Report.Status.READY,
        180,
        "the retried build",
        worker_queue.logs,
    )
    report.refresh_from_db()
    assert report.version == 1 and report.pdf.read(5) == b"%PDF-"
