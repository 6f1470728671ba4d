"""The sub-plan reminder source: units that never submitted, or were returned and have not
resubmitted."""

import datetime

import pytest

from campaigns.models import ReminderItem
from campaigns.notifications.digest import digests_build
from campaigns.subplans.services import subplan_create, subplan_return, subplan_submit
from tests.campaigns.conftest import beijing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _subplan_source(settings):
    settings.REMINDER_SOURCES = ["subplan"]


def keys(user):
    return set(ReminderItem.objects.filter(recipient=user).values_list("item_key", "kind"))


def test_units_without_a_submitted_sub_plan_are_reminded(users, pdf):
    tw, other = users["township"], users["other_township"]
    plan = subplan_create(
        actor=tw,
        title="碧阳镇方案",
        summary="s",
        contact_name="c",
        contact_phone="1",
        document=pdf(),
    )
    subplan_submit(sub_plan=plan, actor=tw, today=datetime.date(2024, 3, 10))
    digests_build(now=beijing(2024, 4, 1, 8, 30), channels=[])
    assert keys(tw) == set()
    missing = ReminderItem.objects.get(recipient=other)
    assert missing.kind == "missing" and "2024-03-15" in missing.text
    assert missing.level == "head"  # 17 days overdue
    assert ReminderItem.objects.filter(recipient=users["department"], kind="missing").exists()


def test_a_returned_sub_plan_is_reminded_until_resubmitted(users, pdf):
    tw = users["township"]
    plan = subplan_create(
        actor=tw,
        title="碧阳镇方案",
        summary="s",
        contact_name="c",
        contact_phone="1",
        document=pdf(),
    )
    subplan_submit(sub_plan=plan, actor=tw, today=datetime.date(2024, 3, 10))
    subplan_return(sub_plan=plan, actor=users["office"], comment="请补充任务分工")
    digests_build(now=beijing(2026, 12, 1, 8, 30), channels=[])
    assert keys(tw) == {(f"subplan:{plan.pk}:returned", "missing")}


def test_missing_progress_reports_are_one_reminder_per_unit_and_period(users, settings):
    from campaigns.models import Task
    from campaigns.progress.services import progress_report_submit

    settings.REMINDER_SOURCES = ["progress"]
    tw = users["township"]
    # Q3 2026 reports are due 2026-10-10 (quarter end + 10 grace days): 3 days before
    progress_report_submit(
        actor=tw,
        task=Task.objects.get(number=16),
        period="2026-Q3",
        status="on_track",
        text="数据库运行管理机制已建立",
        today=datetime.date(2026, 10, 5),
    )
    digests_build(now=beijing(2026, 10, 7, 8, 30), channels=[])
    item = ReminderItem.objects.get(recipient=tw)
    assert (item.item_key, item.kind) == (f"progress:t{tw.township_id}:2026-Q3", "due_soon")
    assert "29" in item.text and "2026-10-10" in item.text  # 30 tasks, one reported
    housing = ReminderItem.objects.get(recipient=users["department"])
    assert housing.item_key.endswith(":2026-Q3")


def test_progress_reports_missed_escalate_and_stop_after_the_window(users, settings):
    settings.REMINDER_SOURCES = ["progress"]
    digests_build(now=beijing(2026, 10, 18, 8, 30), channels=[])  # 8 days late
    assert ReminderItem.objects.get(recipient=users["township"]).level == "head"
    ReminderItem.objects.all().delete()
    digests_build(now=beijing(2026, 11, 25, 8, 30), channels=[])  # 46 days late, Q4 not due
    assert not ReminderItem.objects.exists()


def test_obligation_period_about_to_end_unrecorded_is_reminded(users, settings):
    settings.REMINDER_SOURCES = ["obligation"]
    digests_build(now=beijing(2026, 12, 28, 8, 30), channels=[])  # Q4 and 2026 end in 3 days
    keys_tw = {k for k, _ in keys(users["township"])}
    assert any(k.startswith("obligation:") and ":2026-Q4:" in k for k in keys_tw)
    office = {k for k, _ in keys(users["office"])}
    assert any(k.startswith("obligation:t29") for k in office), office  # quarterly warning film
    ReminderItem.objects.all().delete()
    digests_build(now=beijing(2026, 12, 20, 8, 30), channels=[])  # 11 days before: nothing
    assert not ReminderItem.objects.exists()
