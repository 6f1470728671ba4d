"""The sub-plan reminder source: units that never submitted, or were returned and have not
resubmitted."""

import datetime

import pytest

from campaigns.models import ReminderItem
from campaigns.notifications.digest import digests_build
from campaigns.services.subplans import subplan_create, subplan_return, subplan_submit
from tests.campaigns.conftest import beijing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _subplan_source(settings):
    settings.REMINDER_SOURCES = ["subplan"]


def keys(user):
    return set(ReminderItem.objects.filter(recipient=user).values_list("item_key", "kind"))


def test_units_without_a_submitted_sub_plan_are_reminded(users, pdf):
    tw, other = users["township"], users["other_township"]
    plan = subplan_create(actor=tw, title="碧阳镇方案", summary="s", contact_name="c",
                          contact_phone="1", document=pdf())
    subplan_submit(sub_plan=plan, actor=tw, today=datetime.date(2024, 3, 10))
    digests_build(now=beijing(2024, 4, 1, 8, 30), channels=[])
    assert keys(tw) == set()
    missing = ReminderItem.objects.get(recipient=other)
    assert missing.kind == "missing" and "2024-03-15" in missing.text
    assert missing.level == "head"  # 17 days overdue
    assert ReminderItem.objects.filter(recipient=users["department"], kind="missing").exists()


def test_a_returned_sub_plan_is_reminded_until_resubmitted(users, pdf):
    tw = users["township"]
    plan = subplan_create(actor=tw, title="碧阳镇方案", summary="s", contact_name="c",
                          contact_phone="1", document=pdf())
    subplan_submit(sub_plan=plan, actor=tw, today=datetime.date(2024, 3, 10))
    subplan_return(sub_plan=plan, actor=users["office"], comment="请补充任务分工")
    digests_build(now=beijing(2026, 12, 1, 8, 30), channels=[])
    assert keys(tw) == {(f"subplan:{plan.pk}:returned", "missing")}
