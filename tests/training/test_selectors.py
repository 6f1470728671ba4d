"""Compliance figures agree with the records behind them (drills, inspections, coverage)."""

import datetime

import pytest

from training import selectors, services
from training.constants import Audience, Flag
from training.models import Attendance

pytestmark = pytest.mark.django_db

D = datetime.date


def drill(user, ent, day):
    return services.drill_record(
        actor=user, enterprise=ent, held_on=day, scenario="火灾疏散", participants=20
    )


def test_drill_periods_follow_yearly_and_half_yearly(users, world, monkeypatch):
    office = users["office"]
    monkeypatch.setattr("training.services.today_local", lambda: D(2025, 9, 1))
    drill(office, world["own"], D(2025, 3, 1))  # yearly: met
    drill(office, world["high"], D(2025, 8, 1))  # H1 missed, H2 met
    rows = {
        e.pk: e
        for e in selectors.duty_enterprises(
            office, selectors.DRILL_DUTY, year=2025, today=D(2025, 9, 1)
        )
    }
    own, high, other = rows[world["own"].pk], rows[world["high"].pk], rows[world["other"].pk]
    assert (own.duty_started, own.duty_met, own.duty_missed, own.duty_pending) == (1, 1, 0, 0)
    assert (high.duty_started, high.duty_met, high.duty_missed, high.duty_pending) == (2, 1, 1, 0)
    assert (other.duty_started, other.duty_met, other.duty_missed, other.duty_pending) == (
        1,
        0,
        0,
        1,
    )


def test_drill_figures_by_township_match_rows(users, world, monkeypatch):
    office = users["office"]
    monkeypatch.setattr("training.services.today_local", lambda: D(2026, 1, 10))
    drill(office, world["own"], D(2025, 3, 1))
    today = D(2026, 1, 10)
    figs = selectors.duty_compliance(office, selectors.DRILL_DUTY, year=2025, today=today)
    assert (figs["total"].started, figs["total"].met, figs["total"].missed) == (4, 1, 3)
    biyang = next(f for f in figs["townships"] if f.key == "biyang")
    assert (biyang.started, biyang.met, biyang.missed, biyang.pending) == (3, 1, 2, 0)
    assert biyang.rate == pytest.approx(33.3)
    missed = selectors.duty_enterprises(
        office, selectors.DRILL_DUTY, year=2025, today=today, status="missed"
    )
    assert {e.pk for e in missed} == {world["high"].pk, world["other"].pk}
    metal = next(f for f in figs["sectors"] if f.key == "metal_smelting")
    assert (metal.started, metal.missed) == (2, 2)


def test_inspections_quarterly_or_monthly(users, world, monkeypatch):
    office = users["office"]
    monkeypatch.setattr("training.services.today_local", lambda: D(2025, 5, 15))
    for day in (D(2025, 1, 5), D(2025, 2, 5), D(2025, 2, 20)):
        services.inspection_record(
            actor=office, enterprise=world["high"], inspected_on=day, leader_name="王某"
        )
    services.inspection_record(
        actor=office, enterprise=world["own"], inspected_on=D(2025, 4, 2), leader_name="李某"
    )
    rows = {
        e.pk: e
        for e in selectors.duty_enterprises(
            office, selectors.INSPECTION_DUTY, year=2025, today=D(2025, 5, 15)
        )
    }
    high, own = rows[world["high"].pk], rows[world["own"].pk]
    # monthly: Jan met, Feb met, Mar missed, Apr missed, May pending
    assert (high.duty_started, high.duty_met, high.duty_missed, high.duty_pending) == (5, 2, 2, 1)
    # quarterly: Q1 missed, Q2 met
    assert (own.duty_started, own.duty_met, own.duty_missed, own.duty_pending) == (2, 1, 1, 0)
    periods = selectors.duty_periods(
        [high], selectors.INSPECTION_DUTY, year=2025, today=D(2025, 5, 15)
    )[high.pk]
    assert [p.status for p in periods] == ["met", "met", "missed", "missed", "pending"]


def test_focus_coverage_counts_passed_responsible_persons(users, world, monkeypatch):
    office = users["office"]
    monkeypatch.setattr("training.services.today_local", lambda: D(2025, 12, 1))
    services.flag_set(enterprise=world["own"], flag=Flag.KEY_HERITAGE, actor=office)
    session = services.session_create(
        actor=office,
        title="冶金负责人培训",
        audience=Audience.METAL_SMELTING,
        held_on=D(2025, 6, 1),
    )
    services.attendance_add(
        session=session,
        actor=office,
        person_name="张某",
        enterprise=world["high"],
        result=Attendance.Result.PASSED,
    )
    heritage = services.session_create(
        actor=office,
        title="文保单位消防培训",
        audience=Audience.HERITAGE_FIRE,
        held_on=D(2025, 7, 1),
    )
    services.attendance_add(
        session=heritage,
        actor=office,
        person_name="刘某",
        enterprise=world["own"],
        result=Attendance.Result.FAILED,
    )
    covs = {
        c.audience: c for c in selectors.focus_coverage(office, year=2025, today=D(2025, 12, 1))
    }
    assert (covs["metal_smelting"].total, covs["metal_smelting"].trained) == (1, 1)
    assert covs["metal_smelting"].met
    assert (covs["heritage_fire"].total, covs["heritage_fire"].trained) == (1, 0)
    untrained = selectors.focus_enterprises(
        office, audience="heritage_fire", year=2025, today=D(2025, 12, 1), trained=False
    )
    assert list(untrained) == [world["own"]]
    assert selectors.focus_year_met(2025, D(2025, 12, 1)) is False


def test_township_sees_only_its_figures(users, world, monkeypatch):
    monkeypatch.setattr("training.services.today_local", lambda: D(2026, 1, 10))
    figs = selectors.duty_compliance(
        users["township"], selectors.DRILL_DUTY, year=2025, today=D(2026, 1, 10)
    )
    assert [f.key for f in figs["townships"]] == ["biyang"]
    assert figs["total"].started == 3


def test_department_figures_count_enterprises_of_led_sectors(users, world, monkeypatch):
    office = users["office"]
    monkeypatch.setattr("training.services.today_local", lambda: D(2026, 1, 10))
    drill(office, world["own"], D(2025, 3, 1))  # gas → 县住建局
    figs = selectors.duty_compliance(office, selectors.DRILL_DUTY, year=2025, today=D(2026, 1, 10))
    depts = {f.key: f for f in figs["departments"]}
    assert (depts["housing"].started, depts["housing"].met) == (1, 1)
    assert depts["housing"].complete
    assert (depts["emergency"].started, depts["emergency"].missed) == (2, 2)  # metal smelting
    assert (depts["fire_rescue"].started, depts["fire_rescue"].missed) == (1, 1)
    rows = selectors.duty_enterprises(
        office,
        selectors.DRILL_DUTY,
        year=2025,
        today=D(2026, 1, 10),
        department=users["department"].department,
    )
    assert list(rows) == [world["own"]]


def test_unit_obligation_status_from_enterprise_records(users, world, monkeypatch):
    from campaigns.models import Department, Township
    from yixian_safety.periods import period_from_key

    office = users["office"]
    monkeypatch.setattr("training.services.today_local", lambda: D(2025, 9, 1))
    biyang = Township.objects.get(code="biyang")
    housing = Department.objects.get(code="housing")
    year = period_from_key("2025")
    today = D(2025, 9, 1)
    assert (
        selectors.unit_obligation_status("t22-evacuation-drill", housing, year, today).status
        == "pending"
    )
    drill(office, world["own"], D(2025, 3, 1))
    assert (
        selectors.unit_obligation_status("t22-evacuation-drill", housing, year, today).status
        == "met"
    )
    # biyang's high-risk enterprise missed H1
    status = selectors.unit_obligation_status("t22-evacuation-drill", biyang, year, today)
    assert (status.status, status.started, status.met, status.missed) == ("missed", 3, 1, 1)
    assert (
        selectors.unit_obligation_status(
            "t22-evacuation-drill", Township.objects.get(code="xidi"), year, today
        )
        is None
    )
    assert (
        selectors.unit_obligation_status("t5-fire-risk-assessment-township", biyang, year, today)
        is None
    )
