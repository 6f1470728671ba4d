"""Figures of the report sections equal the figures the pages show for the same period and
scope (issue 11), section by section."""

from __future__ import annotations

import datetime

import pytest

from campaigns.reports.registry import SECTIONS
from campaigns.reports.services import period_parse, scope_parse
from hazards.dashboard import hazard_targets
from hazards.models import Hazard, Level
from hazards.selectors import hazard_statistics
from tests.hazards.factories import make_enterprise, make_hazard, rectifying_hazard
from yixian_safety.dates import today_local

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(users):
    office = users["office"]
    biyang = make_enterprise(office, township="biyang")
    hongcun = make_enterprise(office, township="hongcun")
    make_hazard(office, biyang, found_on=datetime.date(2023, 6, 1))  # stock
    rectifying_hazard(office, biyang, datetime.date(2026, 1, 31))  # overdue
    rectifying_hazard(
        office, hongcun, datetime.date(2099, 1, 31), found_on=datetime.date(2026, 10, 20)
    )
    make_hazard(office, hongcun, level=Level.GENERAL)
    return users


def _build(key, scope_key, period="2026-Q4", kind="quarterly"):
    return SECTIONS[key].build(period_parse(kind, period), scope_parse(scope_key))


def _table(data, title):
    return next(rows for t, _headers, rows in data.tables if t == title)


@pytest.mark.parametrize(
    "scope_key, user_key", [("county", "office"), ("township:biyang", "township")]
)
def test_hazard_targets_in_the_report_equal_the_dashboard(ledger, scope_key, user_key):
    today = today_local()
    data = _build("hazards", scope_key)
    reported = [(row[0], row[3], row[4]) for row in _table(data, "三项目标")]
    shown = [
        (t.title, f.label, f.value)
        for t in hazard_targets(ledger[user_key], as_of=today, today=today).targets
        for f in t.figures
    ]
    assert reported == shown
    chart = hazard_targets(ledger[user_key], as_of=today, today=today).chart
    assert data.charts[0]["series"][0]["values"] == chart["found"]


def test_open_and_overdue_by_township_equal_the_statistics_page(ledger):
    today = today_local()
    data = _build("hazards", "county")
    stats = hazard_statistics(
        Hazard.objects.visible_to(ledger["office"]).ledger(), level=Level.MAJOR, today=today
    )
    page = {row.label: (row.open.value, row.overdue.value) for row in stats.by_township}
    reported = {row[0]: (row[5], row[4]) for row in _table(data, "按乡镇")}
    assert reported.pop("合计") == page.pop("total")
    assert reported == page


def test_new_hazards_count_only_those_found_in_the_quarter(ledger):
    data = _build("hazards", "county")
    total = _table(data, "按乡镇")[-1]
    assert total[0] == "合计" and total[1] == 1  # only the hazard found 2026-10-20


def test_township_report_sees_only_its_own_hazards(ledger):
    rows = _table(_build("hazards", "township:biyang"), "按乡镇")
    assert [r[0] for r in rows] == ["碧阳镇", "合计"]


def test_final_report_gives_the_hazards_year_by_year(ledger):
    data = _build("hazards", "county", period="", kind="final")
    years = _table(data, "按年度（各年末状态）")
    assert [r[0] for r in years] == ["2024 年", "2025 年", "2026 年"]


def test_sections_without_data_say_so(users):
    data = _build("supervision", "township:biyang")
    assert data.empty and data.note
    assert _build("hazards", "township:hongcun").empty
