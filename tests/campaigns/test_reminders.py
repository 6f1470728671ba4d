"""The daily reminder run: sources, the responsibility ladder, one digest per person per day,
exactly-once sending, and "today" as the Beijing date."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from campaigns.models import Campaign, Digest, DigestSend, NotificationPreference, ReminderItem
from campaigns.notifications.channels import ChannelError, EmailChannel
from campaigns.notifications.digest import digests_build, digests_dispatch, local_day
from campaigns.notifications.sources import _SOURCES, Reminder, register_source
from campaigns.tasks import reminders_daily
from tests.campaigns.conftest import beijing

pytestmark = pytest.mark.django_db

DUE_SOON = beijing(2025, 12, 28, 8, 30)  # 3 days before the 2025-12-31 milestones
OVERDUE_7 = beijing(2026, 1, 7, 8, 30)
OVERDUE_30 = beijing(2026, 1, 30, 8, 30)


def items_of(user, day=None):
    qs = ReminderItem.objects.filter(recipient=user)
    if day:
        qs = qs.filter(day=day)
    return qs


def test_milestone_due_in_three_days_reaches_the_lead_departments_staff(users):
    result = digests_build(now=DUE_SOON, channels=[])
    assert result.day == datetime.date(2025, 12, 28)
    housing = items_of(users["department"])
    # task 19 (燃气/自建房, led by 县住建局 and 县消防救援大队) has two 2025 year-end milestones
    assert sorted(housing.values_list("item_key", flat=True)) == [
        "milestone:t19-fire-water-supply",
        "milestone:t19-self-built-housing",
    ]
    assert {i.kind for i in housing} == {ReminderItem.Kind.DUE_SOON}
    assert {i.level for i in housing} == {ReminderItem.Level.STAFF}
    assert "3" in housing[0].text and "2025-12-31" in housing[0].text
    # the task of the milestone's own campaign (links name it: several campaigns may exist)
    assert housing[0].url == f"/tasks/19/?campaign={Campaign.objects.get(slug='2024-2026').pk}"
    assert items_of(users["other_department"]).count() == 2
    # campaign-wide target and task 3 (led by the safety office) → the safety office
    assert set(items_of(users["office"]).values_list("item_key", flat=True)) == {
        "milestone:target-increment-2025",
        "milestone:t3-training-focus-2025",
    }
    assert not items_of(users["township"]).exists()
    assert Digest.objects.filter(recipient=users["department"]).count() == 1


def test_milestone_texts_are_chinese(users):
    digests_build(now=DUE_SOON, channels=[])
    text = items_of(users["department"]).first().text
    assert "任务 19" in text and "天" in text


def test_no_reminder_on_a_day_that_is_neither_7_3_1_0_days_before_nor_overdue(users):
    assert digests_build(now=beijing(2025, 12, 26, 8, 30), channels=[]).reminders == 0
    assert not Digest.objects.exists()


def test_due_today_and_one_day_overdue_are_named(users):
    digests_build(now=beijing(2025, 12, 31, 8, 30), channels=[])
    digests_build(now=beijing(2026, 1, 1, 8, 30), channels=[])
    kinds = dict(
        items_of(users["department"])
        .filter(item_key="milestone:t19-self-built-housing")
        .values_list("day", "kind")
    )
    assert kinds == {datetime.date(2025, 12, 31): "due_today", datetime.date(2026, 1, 1): "overdue"}


def test_unit_head_gets_the_reminder_only_from_seven_days_overdue(users):
    from campaigns.org.services import user_create

    head = user_create(
        username="housing_head",
        password="x-Yixian-2024",
        role="department_staff",
        department=users["department"].department,
    )
    NotificationPreference.objects.create(user=head, is_unit_head=True)
    digests_build(now=beijing(2026, 1, 6, 8, 30), channels=[])  # 6 days overdue
    assert not items_of(head).exists()
    digests_build(now=OVERDUE_7, channels=[])
    assert set(items_of(head).values_list("level", flat=True)) == {"head"}
    assert set(
        items_of(users["department"], datetime.date(2026, 1, 7)).values_list("level", flat=True)
    ) == {"head"}


def test_safety_office_gets_unit_reminders_at_thirty_days_overdue_marked_office(users):
    digests_build(now=beijing(2026, 1, 29, 8, 30), channels=[])
    assert not items_of(users["office"]).filter(item_key__startswith="milestone:t19").exists()
    digests_build(now=OVERDUE_30, channels=[])
    office_items = items_of(users["office"], datetime.date(2026, 1, 30))
    assert office_items.filter(
        item_key="milestone:t19-self-built-housing", level=ReminderItem.Level.OFFICE
    ).exists()
    assert items_of(users["department"], datetime.date(2026, 1, 30)).count() == 2


def test_the_same_days_run_twice_makes_and_sends_each_digest_once(with_emails, settings):
    settings.NOTIFY_CHANNELS = ["email"]
    first = digests_build(now=DUE_SOON)
    sent = digests_dispatch()
    second = digests_build(now=DUE_SOON)
    sent_again = digests_dispatch()
    assert first.digests_created == 3 and first.items_created == 6 and first.sends_created == 3
    assert (second.digests_created, second.items_created, second.sends_created) == (0, 0, 0)
    assert sent.sent == 3 and sent_again.sent == 0
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dept_fire@yixian.invalid",
        "dept_housing@yixian.invalid",
        "office@yixian.invalid",
    ]
    housing_mail = next(m for m in mail.outbox if m.to == ["dept_housing@yixian.invalid"])
    assert "2025-12-28" in housing_mail.subject and "2" in housing_mail.subject
    assert "/tasks/19/" in housing_mail.body and "/notifications/" in housing_mail.body


def test_the_daily_task_twice_sends_nothing_twice(with_emails, settings, eager_celery):
    settings.NOTIFY_CHANNELS = ["email"]
    first = reminders_daily.delay(DUE_SOON.isoformat()).get()
    second = reminders_daily.delay(DUE_SOON.isoformat()).get()
    assert first["sent"] == 3 and second["sent"] == 0
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(
    "utc_time, day",
    [
        ((2025, 12, 27, 16, 30), datetime.date(2025, 12, 28)),  # 00:30 Beijing
        ((2025, 12, 27, 23, 59), datetime.date(2025, 12, 28)),  # 07:59 Beijing
        ((2025, 12, 27, 15, 59), datetime.date(2025, 12, 27)),  # 23:59 Beijing, the day before
    ],
)
def test_today_is_the_beijing_date_of_the_run(users, utc_time, day):
    now = datetime.datetime(*utc_time, tzinfo=datetime.UTC)
    assert local_day(now) == day
    assert digests_build(now=now, channels=[]).day == day
    if day == datetime.date(2025, 12, 28):
        assert (
            items_of(users["department"]).get(item_key="milestone:t19-self-built-housing").kind
            == "due_soon"
        )
        assert set(Digest.objects.values_list("day", flat=True)) == {day}


@pytest.mark.parametrize("utc_time", [(2025, 12, 27, 16, 30), (2025, 12, 27, 23, 59)])
def test_daily_task_run_at_0030_and_0759_local_records_the_beijing_day(
    users, eager_celery, utc_time
):
    now = datetime.datetime(*utc_time, tzinfo=datetime.UTC)
    assert reminders_daily.delay(now.isoformat()).get()["day"] == "2025-12-28"
    assert set(Digest.objects.values_list("day", flat=True)) == {datetime.date(2025, 12, 28)}


def test_email_switched_off_keeps_the_in_app_digest_only(with_emails, settings):
    settings.NOTIFY_CHANNELS = ["email"]
    NotificationPreference.objects.create(user=with_emails["department"], email_enabled=False)
    digests_build(now=DUE_SOON)
    digests_dispatch()
    assert Digest.objects.filter(recipient=with_emails["department"]).exists()
    assert "dept_housing@yixian.invalid" not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 2


def test_switching_email_off_after_the_build_skips_the_send(with_emails, settings):
    settings.NOTIFY_CHANNELS = ["email"]
    digests_build(now=DUE_SOON)
    NotificationPreference.objects.create(user=with_emails["department"], email_enabled=False)
    assert digests_dispatch().skipped == 1
    assert DigestSend.objects.filter(status="skipped").count() == 1


def test_a_failing_channel_is_retried_on_the_next_pass_then_given_up(
    with_emails, settings, monkeypatch
):
    settings.NOTIFY_CHANNELS = ["email"]
    digests_build(now=DUE_SOON)

    def broken(self, digest, items):
        raise ChannelError("smtp down")

    monkeypatch.setattr(EmailChannel, "send", broken)
    assert digests_dispatch().failed == 3  # each tried once per pass, no busy loop
    assert set(DigestSend.objects.values_list("status", "attempts")) == {("pending", 1)}
    for _ in range(DigestSend.MAX_ATTEMPTS - 1):
        digests_dispatch()
    assert set(DigestSend.objects.values_list("status", flat=True)) == {"failed"}
    assert DigestSend.objects.first().last_error == "smtp down"
    monkeypatch.undo()
    assert digests_dispatch().sent == 0  # failed rows are not retried automatically


def test_a_crash_during_sending_leaves_the_send_pending_for_the_next_pass(
    with_emails, settings, monkeypatch
):
    settings.NOTIFY_CHANNELS = ["email"]
    digests_build(now=DUE_SOON)

    def crash(self, digest, items):
        raise KeyboardInterrupt  # stands for the worker dying mid-send

    monkeypatch.setattr(EmailChannel, "send", crash)
    with pytest.raises(KeyboardInterrupt):
        digests_dispatch()
    assert set(DigestSend.objects.values_list("status", "attempts")) == {("pending", 0)}
    monkeypatch.undo()
    assert digests_dispatch().sent == 3
    assert len(mail.outbox) == 3


def test_a_new_source_plugs_in_with_one_function(users, settings):
    settings.REMINDER_SOURCES = []
    township_id = users["township"].township_id

    @register_source("test_hazard")
    def hazards(today):
        yield Reminder(
            item_key="hazard:42",
            kind="overdue",
            text="重大事故隐患 42 逾期 8 天",
            url="/hazards/42/",
            due_on=today - datetime.timedelta(days=8),
            days_overdue=8,
            townships=(township_id,),
        )

    try:
        digests_build(now=DUE_SOON, sources=["test_hazard"], channels=[])
    finally:
        del _SOURCES["test_hazard"]
    item = items_of(users["township"]).get()
    assert (item.item_key, item.level, item.url) == ("hazard:42", "head", "/hazards/42/")
    assert not items_of(users["other_township"]).exists()


def test_a_malformed_reminder_is_refused(users, settings):
    settings.REMINDER_SOURCES = []

    @register_source("test_bad")
    def bad(today):
        yield Reminder(item_key="x:1", kind="whatever", text="?")

    try:
        with pytest.raises(ValueError, match="unknown kind"):
            digests_build(now=DUE_SOON, sources=["test_bad"], channels=[])
    finally:
        del _SOURCES["test_bad"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_make_and_send_each_digest_once(with_emails, settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    settings.NOTIFY_CHANNELS = ["email"]
    barrier = threading.Barrier(3)
    errors = []

    def run():
        from django.db import connections

        try:
            barrier.wait(10)
            digests_build(now=DUE_SOON)
            digests_dispatch()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert Digest.objects.count() == 3
    assert ReminderItem.objects.count() == 6
    assert DigestSend.objects.filter(status="sent").count() == 3
    assert len(mail.outbox) == 3


def test_the_periodic_sweep_sends_what_a_killed_run_left_pending(
    with_emails, settings, eager_celery
):
    from campaigns.tasks import outbox_flush

    settings.NOTIFY_CHANNELS = ["email"]
    digests_build(now=DUE_SOON)  # built, then the worker died before dispatching
    assert outbox_flush.delay().get()["sent"] == 3
    assert outbox_flush.delay().get()["sent"] == 0
    assert len(mail.outbox) == 3


def test_seed_demo_creates_schedules_and_demo_digests_once(db, capsys):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("seed_demo")
    counts = (PeriodicTask.objects.count(), Digest.objects.count(), ReminderItem.objects.count())
    call_command("seed_demo")
    assert set(PeriodicTask.objects.values_list("task", flat=True)) == {
        "campaigns.reminders_daily",
        "campaigns.outbox_flush",
        "hazards.figures_refresh",  # the dashboard/statistics summary (issue 19)
        "enforcement.tasks.propose_escalations",
        "campaigns.reports_quarterly",
        "campaigns.reports_sweep",
    }
    assert counts[1] > 0
    assert (
        PeriodicTask.objects.count(),
        Digest.objects.count(),
        ReminderItem.objects.count(),
    ) == counts
    assert not DigestSend.objects.exists()  # demo digests are in-app only: no demo e-mails
