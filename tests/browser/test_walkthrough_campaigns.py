"""Walk-through in a real Chromium with the demo's date override at 2027-01-15 (issue 16):
the 2027 work points are current, the switcher opens the 2024–2026 campaign as a read-only
archive and back."""

import datetime
from pathlib import Path

import pytest

from campaigns.plan.services import plan_load, plan_read
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN_2027 = Path(__file__).resolve().parent.parent / "data" / "plan_2027.yaml"


def test_township_official_switches_between_the_campaigns(users, login, settings):
    plan_load(data=plan_read(PLAN_2027))
    settings.DEMO_TODAY = datetime.date(2027, 1, 15)  # what `DEMO_TODAY=2027-01-15 make run` sets
    page = login("tw_biyang")
    toggle = page.locator("[data-testid=campaign-switcher-toggle]")
    assert "2027 年安全生产工作要点" in toggle.inner_text()
    page.click("nav >> text=行动方案")
    assert "责任体系巩固" in page.content()
    assert page.locator("[data-testid=campaign-archive]").count() == 0
    assert page.locator("[data-testid=current-phase]").inner_text().startswith("1. 部署阶段")
    screenshot(page, "campaign-2027-overview")

    toggle.click()
    page.click("[data-testid=campaign-2024-2026]")
    banner = page.locator("[data-testid=campaign-archive]")
    assert "已结束（存档，只读）" in banner.inner_text()
    assert "2026-12-31" in banner.inner_text()
    assert "八大行动" in page.content()
    page.click("text=健全重大事故隐患数据库")
    assert "2024 年底前完善数据库运行管理机制" in page.inner_text("[data-testid=task-text]")
    assert page.locator("[data-testid=campaign-archive]").count() == 1
    assert page.locator("[data-testid=report-progress]").count() == 0  # archive: no reports
    screenshot(page, "campaign-archive-task-16")

    page.locator("[data-testid=campaign-switcher-toggle]").click()
    page.click("[data-testid=campaign-2027]")
    page.click("text=重大事故隐患动态清零")
    assert "台账、督办、销号作为常态化机制继续运行" in page.inner_text("[data-testid=task-text]")
    assert page.locator("[data-testid=campaign-archive]").count() == 0
