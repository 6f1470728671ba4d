"""Supervision's reminder sources: extensions awaiting a decision, quarterly reports due."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from campaigns.models import ReminderItem
from campaigns.notifications.digest import digests_build
from enforcement import services
from enforcement.models import ExtensionRequest
from tests.hazards.factories import rectifying_hazard

pytestmark = pytest.mark.django_db
D = datetime.date


def run(day, *sources):
    digests_build(
        now=datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=ZoneInfo("Asia/Shanghai")),
        sources=list(sources),
        channels=[],
    )


def keys(user):
    return set(ReminderItem.objects.filter(recipient=user).values_list("item_key", "kind"))


def test_extension_awaiting_decision_reaches_the_supervising_department(users, world):
    hazard = rectifying_hazard(users["township"], world["own"], D(2026, 12, 31))
    ext = ExtensionRequest.objects.create(
        hazard=hazard,
        current_deadline=D(2026, 12, 31),
        requested_deadline=D(2027, 3, 31),
        reason="设备到货延迟",
        filed_on=D(2026, 11, 2),
        working_days_before=40,
        requested_by=users["township"],
    )
    run(D(2026, 11, 12), "extension")
    item = ReminderItem.objects.get(recipient=users["department"])  # 住建局 supervises gas
    assert (item.item_key, item.kind, item.level) == (
        f"extension:{ext.pk}",
        "awaiting_decision",
        "head",
    )
    assert hazard.ledger_number in item.text
    assert not keys(users["township"])


def test_listed_hazard_report_due_and_missing(users, world):
    office = users["office"]
    hazard = rectifying_hazard(users["township"], world["own"], D(2026, 12, 31))
    listing = services.listing_create(
        hazard=hazard,
        actor=office,
        listing_body="safety_office",
        listed_on=D(2026, 7, 1),
        required_completion=D(2026, 12, 31),
        responsible_unit="碧阳镇人民政府",
    )
    run(D(2026, 9, 27), "listing_report")  # 3 days before Q3 ends
    assert keys(users["township"]) == {(f"listing:{listing.pk}:2026-Q3", "due_soon")}
    run(D(2026, 10, 2), "listing_report")  # Q3 ended without a report
    assert (f"listing:{listing.pk}:2026-Q3", "missing") in keys(users["department"])
    ReminderItem.objects.all().delete()
    run(D(2026, 10, 20), "listing_report")  # after a week: the escalation ladder's business
    assert not ReminderItem.objects.exists()
