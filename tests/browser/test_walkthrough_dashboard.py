"""The dashboard in a real Chromium, for each role, at 1366×768 and at phone width."""

import pytest

from tests.conftest import screenshot
from tests.hazards.factories import make_enterprise, rectifying_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def some_hazards(users):
    import datetime

    office = users["office"]
    rectifying_hazard(
        office,
        make_enterprise(office, township="biyang", sectors=("gas",)),
        deadline=datetime.date(2026, 1, 31),
        found_on=datetime.date(2023, 6, 1),
    )
    rectifying_hazard(
        office,
        make_enterprise(office, township="hongcun", sectors=("fire",)),
        deadline=datetime.date(2027, 1, 31),
        found_on=datetime.date(2025, 6, 1),
    )


@pytest.mark.parametrize("username", ["office", "tw_biyang", "dept_housing"])
def test_dashboard_for_each_role(username, some_hazards, login, page, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(username)
    page.goto(live_server.url + "/dashboard/")
    assert "看板" in page.title()
    assert page.locator("[data-testid=target-stock-2024]").count() == 1
    page.wait_for_selector("#targets-chart svg")  # ECharts drew the chart
    stock = page.locator("[data-testid=target-stock-2024] [data-figure]").first.inner_text()
    assert stock == "1"  # one stock hazard, in 碧阳镇's gas sector: visible to all three
    screenshot(page, f"dashboard-{username}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("#targets-chart svg")
    screenshot(page, f"dashboard-{username}-phone")
    # the stock figure opens the ledger listing exactly those hazards
    page.locator("[data-testid=target-stock-2024] a[data-figure]").first.click()
    assert "/hazards/" in page.url and "stock=true" in page.url


def test_dashboard_of_a_past_day(users, login, page, live_server):
    login("office")
    page.goto(live_server.url + "/dashboard/")
    page.fill("#id_as_of", "2025-06-01")
    page.click("[data-testid=as-of-show]")
    assert "2025-06-01" in page.inner_text("[data-testid=as-of]")
    assert page.locator("[data-testid=today-only]").count() == 1
