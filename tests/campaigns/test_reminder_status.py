"""The UI says whether the daily reminders run (issue 18): every run of the daily job — by beat,
by the first request of the day (embedded mode) or by "run now" — is recorded on the day's
ReminderRun; the safety office's notifications page shows the last one (day, time, how many
made, by what) and warns 定时任务未运行 when none is from today or yesterday."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from freezegun import freeze_time

import campaigns.tasks
from campaigns.models import ReminderRun
from campaigns.notifications.digest import reminder_run_once
from tests.campaigns.conftest import beijing

pytestmark = pytest.mark.django_db

DUE_SOON = beijing(2025, 12, 28, 8, 30)  # 3 days before the 2025-12-31 milestones
DAY = datetime.date(2025, 12, 28)


def _page(user):
    client = Client()
    client.force_login(user)
    response = client.get("/notifications/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_beat_run_is_recorded_with_its_counts(users):
    with freeze_time(DUE_SOON):
        result = campaigns.tasks.reminders_daily()  # as beat calls it: no arguments
    run = ReminderRun.objects.get()
    assert run.day == DAY and run.source == ReminderRun.Source.BEAT
    assert run.result == result and result["items_created"] > 0
    assert run.finished_at is not None and run.error == ""


def test_a_day_beat_already_ran_is_not_run_again_on_first_request(users, monkeypatch):
    with freeze_time(DUE_SOON):
        campaigns.tasks.reminders_daily()
        calls = []
        monkeypatch.setattr(campaigns.tasks, "digests_build", lambda **kw: calls.append(kw))
        assert reminder_run_once() is False
    assert calls == []
    assert ReminderRun.objects.get().source == ReminderRun.Source.BEAT


def test_a_first_request_run_is_recorded_as_such(users):
    with freeze_time(DUE_SOON):
        assert reminder_run_once() is True
    run = ReminderRun.objects.get()
    assert run.source == ReminderRun.Source.FIRST_REQUEST and run.result["items_created"] > 0


def test_a_failed_beat_run_records_its_error(users, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("source exploded")

    monkeypatch.setattr(campaigns.tasks, "digests_build", broken)
    with freeze_time(DUE_SOON), pytest.raises(RuntimeError):
        campaigns.tasks.reminders_daily.run()
    run = ReminderRun.objects.get()
    assert run.source == ReminderRun.Source.BEAT and run.error == "RuntimeError: source exploded"


def test_safety_office_sees_the_last_run_and_how_many_it_made(users):
    with freeze_time(DUE_SOON):
        result = campaigns.tasks.reminders_daily()
        html = _page(users["office"])
    assert 'data-testid="reminders-last-run"' in html
    assert "2025-12-28" in html and "定时任务（beat）" in html
    assert f"{result['digests_created']} 份摘要、{result['items_created']} 条提醒" in html
    assert "08:30" in html  # finished at, Beijing time
    assert "reminders-stale" not in html


def test_a_run_yesterday_is_not_a_warning_yet(users):
    with freeze_time(DUE_SOON):
        reminder_run_once()
    with freeze_time(DUE_SOON + datetime.timedelta(days=1)):
        html = _page(users["admin"])
    assert "当日首个请求" in html and "reminders-stale" not in html


def test_safety_office_is_warned_when_the_reminders_have_not_run_today_or_yesterday(users):
    with freeze_time(DUE_SOON):
        reminder_run_once()
    with freeze_time(DUE_SOON + datetime.timedelta(days=2)):
        html = _page(users["office"])
    assert 'data-testid="reminders-stale"' in html
    assert "定时任务未运行" in html and "2025-12-28" in html


def test_safety_office_is_warned_when_the_reminders_never_ran(users):
    html = _page(users["office"])
    assert 'data-testid="reminders-stale"' in html and "从未运行" in html


def test_a_township_official_does_not_see_the_scheduler_status(users):
    html = _page(users["township"])
    assert "reminders-last-run" not in html and "reminders-stale" not in html


def test_the_api_lists_the_runs_for_the_safety_office_only(users):
    from rest_framework.test import APIClient

    with freeze_time(DUE_SOON):
        result = campaigns.tasks.reminders_daily()
    office = APIClient()
    office.force_authenticate(users["office"])
    body = office.get("/api/v1/reminder-runs/?source=beat").json()
    assert [(r["day"], r["source"], r["result"]) for r in body["results"]] == [
        ("2025-12-28", "beat", result)
    ]
    assert office.get("/api/v1/reminder-runs/?source=manual").json()["results"] == []
    township = APIClient()
    township.force_authenticate(users["township"])
    assert township.get("/api/v1/reminder-runs/").status_code == 403


def test_run_now_is_recorded_as_a_manual_run(
    users, eager_celery, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(users["office"])
    with freeze_time(DUE_SOON), django_capture_on_commit_callbacks(execute=True):
        assert client.post("/notifications/run/").status_code == 302
    assert ReminderRun.objects.get().source == ReminderRun.Source.MANUAL


def test_the_demo_records_its_reminder_days_as_beat_runs_once(users):
    import random

    from campaigns.notifications import demo

    demo.build(rng=random.Random(1))
    demo.build(rng=random.Random(1))
    runs = list(ReminderRun.objects.order_by("day"))
    assert [r.day.isoformat() for r in runs] == ["2025-12-28", "2026-01-07", "2026-01-30"]
    assert {r.source for r in runs} == {ReminderRun.Source.BEAT}
    assert runs[0].result["digests_created"] > 0
