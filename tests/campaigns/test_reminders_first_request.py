"""Embedded mode (no Redis, no beat): the first request of a day runs the day's reminders once
(issue 18). The guard is one ReminderRun row per Asia/Shanghai day."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from freezegun import freeze_time

import campaigns.tasks
from campaigns.models import Digest, ReminderItem, ReminderRun
from tests.campaigns.conftest import beijing

pytestmark = pytest.mark.django_db

DUE_SOON = beijing(2025, 12, 28, 8, 30)  # 3 days before the 2025-12-31 milestones


@pytest.fixture
def counted_builds(monkeypatch):
    """Count the runs of the daily job's build step (the real one still runs)."""
    calls = []
    real = campaigns.tasks.digests_build

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(campaigns.tasks, "digests_build", spy)
    return calls


def test_first_request_of_the_day_makes_the_days_reminders_once(users, settings, counted_builds):
    settings.REMINDERS_ON_FIRST_REQUEST = True
    with freeze_time(DUE_SOON):
        assert Client().get("/").status_code < 500
        day = datetime.date(2025, 12, 28)
        run = ReminderRun.objects.get()
        assert run.day == day and run.finished_at is not None and run.error == ""
        assert run.result["day"] == "2025-12-28" and run.result["items_created"] > 0
        items = ReminderItem.objects.filter(day=day).count()
        assert items == run.result["items_created"]
        assert Digest.objects.filter(recipient=users["department"], day=day).exists()
        # a second request — same process or another (a fresh client: a fresh middleware)
        client = Client()
        client.force_login(users["office"])
        assert client.get("/").status_code < 500
        assert Client().get("/").status_code < 500
    assert len(counted_builds) == 1
    assert ReminderRun.objects.count() == 1
    assert ReminderItem.objects.filter(day=day).count() == items
    # the next day's first request runs the next day's
    with freeze_time(DUE_SOON + datetime.timedelta(days=1)):
        Client().get("/")
    assert len(counted_builds) == 2
    assert sorted(ReminderRun.objects.values_list("day", flat=True)) == [
        day,
        day + datetime.timedelta(days=1),
    ]


def test_setting_off_nothing_happens(users, settings, counted_builds):
    settings.REMINDERS_ON_FIRST_REQUEST = False
    with freeze_time(DUE_SOON):
        assert Client().get("/").status_code < 500
    assert counted_builds == []
    assert not ReminderRun.objects.exists()
    assert not ReminderItem.objects.exists()


def test_a_failing_run_is_logged_never_a_500(users, settings, monkeypatch, caplog):
    settings.REMINDERS_ON_FIRST_REQUEST = True

    def broken(**kwargs):
        raise RuntimeError("source exploded")

    monkeypatch.setattr(campaigns.tasks, "digests_build", broken)
    with freeze_time(DUE_SOON):
        assert Client().get("/").status_code < 500
        assert Client().get("/").status_code < 500
    run = ReminderRun.objects.get()
    assert run.error == "RuntimeError: source exploded"
    assert "reminder run on first request" in caplog.text
