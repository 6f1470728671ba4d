"""The certificate reminder source: 90/60/30/7/1 days before, the last valid day, expired."""

import datetime

import pytest

from campaigns.notifications.sources import Kind, registered_sources, reminders_collect

from .factories import make_certificate

pytestmark = pytest.mark.django_db
D = datetime.date


def test_source_is_discovered():
    assert "certificate" in registered_sources()


@pytest.mark.parametrize(
    "valid_until,kind,overdue",
    [
        (D(2026, 4, 1), Kind.DUE_SOON, 0),
        (D(2026, 1, 31), Kind.DUE_SOON, 0),
        (D(2026, 1, 1), Kind.DUE_TODAY, 0),
        (D(2025, 12, 22), Kind.OVERDUE, 10),
    ],
)
def test_reminds_township_and_lead_departments(users, world, valid_until, kind, overdue):
    cert = make_certificate(users["office"], world["own"], valid_until=valid_until)
    [r] = reminders_collect(D(2026, 1, 1), only=["certificate"])
    assert (r.item_key, r.kind, r.days_overdue) == (f"certificate:{cert.pk}", kind, overdue)
    assert r.townships == (world["own"].township_id,)
    assert users["department"].department_id in r.departments
    assert cert.number in r.text


def test_no_reminder_between_the_steps_or_long_expired(users, world):
    make_certificate(users["office"], world["own"], valid_until=D(2026, 2, 15), number="A")
    make_certificate(users["office"], world["own"], valid_until=D(2025, 10, 1), number="B")
    assert reminders_collect(D(2026, 1, 1), only=["certificate"]) == []


def test_duty_reminder_in_the_last_week_of_the_period(users, world):
    from training import services

    services.drill_record(
        actor=users["office"],
        enterprise=world["own"],
        held_on=D(2025, 3, 1),
        scenario="火灾",
        participants=5,
    )
    reminders = reminders_collect(D(2025, 12, 24), only=["enterprise_duty"])
    drills = {r.item_key: r for r in reminders if r.item_key.startswith("duty:drill:")}
    biyang = world["own"].township_id
    # 2025 (yearly): own done, other (宏村) owes; 2025-H2 (high-risk): high owes
    assert f"duty:drill:2025:township:{biyang}" not in drills
    assert drills[f"duty:drill:2025-H2:township:{biyang}"].text.startswith("1 ")
    hongcun = world["other"].township_id
    assert "status=pending&township=hongcun" in drills[f"duty:drill:2025:township:{hongcun}"].url
    assert reminders_collect(D(2025, 12, 20), only=["enterprise_duty"]) == []


def test_duty_reminder_names_lead_departments(users, world):
    reminders = reminders_collect(D(2025, 12, 31), only=["enterprise_duty"])
    dept = users["department"].department_id  # 县住建局 leads gas (own)
    keys = {r.item_key for r in reminders}
    assert f"duty:drill:2025:department:{dept}" in keys
    assert all(r.kind == Kind.DUE_TODAY for r in reminders)
