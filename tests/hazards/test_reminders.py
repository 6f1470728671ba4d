"""The hazard ledger's reminder source: rectification deadlines due soon or missed."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from campaigns.models import ReminderItem
from campaigns.notifications.digest import digests_build

from .factories import make_enterprise, rectifying_hazard

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def run(day: datetime.date):
    digests_build(
        now=datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=BEIJING),
        sources=["hazard"],
        channels=[],
    )


def items(user):
    return ReminderItem.objects.filter(recipient=user)


def test_deadline_in_three_days_reaches_township_and_supervising_department(users):
    office = users["office"]
    hazard = rectifying_hazard(
        office,
        make_enterprise(office, township="biyang", sectors=("gas",)),
        deadline=datetime.date(2026, 3, 4),
    )
    run(datetime.date(2026, 3, 1))
    for who in ("township", "department"):
        item = items(users[who]).get()
        assert (item.item_key, item.kind, item.level) == (
            f"hazard:{hazard.pk}",
            "due_soon",
            "staff",
        )
        assert hazard.ledger_number in item.text and "2026-03-04" in item.text
        assert item.url == hazard.get_absolute_url()
    assert not items(users["other_township"]).exists()
    assert not items(users["other_department"]).exists()


def test_no_reminder_on_other_days_before_the_deadline(users):
    office = users["office"]
    rectifying_hazard(office, make_enterprise(office), deadline=datetime.date(2026, 3, 10))
    run(datetime.date(2026, 3, 1))  # 9 days before
    assert not ReminderItem.objects.exists()


def test_overdue_hazard_is_listed_daily_and_escalates_to_the_office_at_30_days(users):
    office = users["office"]
    hazard = rectifying_hazard(office, make_enterprise(office), deadline=datetime.date(2026, 1, 31))
    run(datetime.date(2026, 2, 2))
    run(datetime.date(2026, 3, 2))  # 30 days overdue
    township_items = items(users["township"]).order_by("day")
    assert [(i.kind, i.level) for i in township_items] == [
        ("overdue", "staff"),
        ("overdue", "office"),
    ]
    assert "30" in township_items[1].text
    assert items(users["office"]).filter(item_key=f"hazard:{hazard.pk}", level="office").exists()


def test_closed_hazards_are_not_reminded(users):
    from hazards.models import Hazard, Status

    office = users["office"]
    hazard = rectifying_hazard(office, make_enterprise(office), deadline=datetime.date(2026, 1, 31))
    Hazard.objects.filter(pk=hazard.pk).update(status=Status.CLOSED)
    run(datetime.date(2026, 2, 2))
    assert not ReminderItem.objects.exists()
