"""Walk-through in a real Chromium of issue 17's task progress: the task page shows the progress
computed from the ledger beside the reports (each figure opens its rows) and who has not
reported for a period; a township reports and leaves the list, and its row shows its own
computed figures for that period; the sub-plan board lists the units per period and exports
the list."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from hazards.models import Source
from tests.conftest import screenshot
from tests.hazards.factories import make_enterprise, make_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_task_page_computed_progress_and_not_submitted_list(users, login, live_server):
    office = users["office"]
    gas = make_enterprise(office, township="biyang", sectors=("gas",), name="示例燃气站")
    make_hazard(office, gas, source=Source.SELF_REPORT, found_on=datetime.date(2026, 2, 1))

    # 1. The office opens task 14: the ledger's figures beside the reports, with their rows.
    page = login("office")
    page.goto(live_server.url + "/tasks/14/")
    computed = page.locator("[data-testid=computed-progress]")
    assert "根据隐患台账计算" in computed.inner_text()
    screenshot(page, "task-14-computed")
    computed.locator("a", has_text="1").first.click()
    page.wait_for_url(re.compile(r"/hazards/\?"))
    assert "示例燃气站" in page.inner_text("main")

    # 2. Not submitted for the newest period due: every township, 碧阳镇 among them.
    page.goto(live_server.url + "/tasks/14/")
    assert "碧阳镇" in page.inner_text("[data-testid=not-submitted]")
    page.click("text=退出登录")

    # 3. 碧阳镇 reports for the current period and leaves that period's list.
    page = login("tw_biyang")
    page.goto(live_server.url + "/tasks/14/")
    current = page.locator("#id_ns_period option").first.get_attribute("value")
    page.click("[data-testid=report-progress]")
    assert page.locator("[data-testid=computed-progress]").count() == 1
    page.select_option("#id_period", current)
    page.select_option("#id_status", label="按计划推进")
    page.fill("#id_text", "企业自查自改机制已建立。")
    page.click("button:has-text('保存')")
    page.select_option("#id_ns_period", current)
    page.click("[data-testid=not-submitted-period] button")
    assert page.locator("[data-testid=not-submitted-none]").count() == 1
    page.click("text=退出登录")

    # 4. The office sees 碧阳镇's report with 碧阳镇's own figures for that period in its row;
    # a figure opens the ledger filtered to 碧阳镇 and the period.
    page = login("office")
    page.goto(live_server.url + "/tasks/14/")
    row = page.locator("[data-testid=progress] tr[data-unit=biyang]")
    cell = row.locator("[data-testid=unit-computed]")
    assert "根据隐患台账计算" in cell.inner_text()
    screenshot(page, "task-14-unit-rows")
    cell.locator("a").first.click()
    page.wait_for_url(re.compile(r"/hazards/\?.*township=biyang"))

    # 5. The office's sub-plan board: per unit, the tasks missing; exported to Excel.
    page.goto(live_server.url + f"/subplans/?period={current}")
    table = page.inner_text("[data-testid=not-submitted]")
    assert "宏村镇" in table
    screenshot(page, "subplan-board-not-submitted")
    with page.expect_download() as info:
        page.click("[data-testid=not-submitted-export]")
    book = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    by_unit = {r[0]: r[3] for r in book["按单位"].iter_rows(min_row=2, values_only=True)}
    assert by_unit["碧阳镇"] == by_unit["宏村镇"] - 1  # 碧阳镇 reported task 14
