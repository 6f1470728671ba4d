"""Walk-through in a real Chromium of issue 13's "Done when": an inspection, a penalty and an
accident entered in the browser show in the statistics, the 零处罚 flag and the "双下降" figure,
each figure linking to the rows behind it; a 双随机 draw replays identically and its published
page shows no personal data."""

import datetime

import pytest

from campaigns.models import Department, Role
from enforcement.inspections.models import Draw, EnforcementAction, Inspection
from tests.conftest import make_user, screenshot
from tests.hazards.factories import make_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.click("text=退出登录")
    page.wait_for_load_state()


def test_inspection_penalty_accident_and_draw_in_the_browser(users, login, live_server):
    office, dept = users["office"], users["department"]
    gas = make_enterprise(office, township="biyang", sectors=("gas",), name="碧阳示例燃气站")
    for i in range(4):
        make_enterprise(office, township="biyang", sectors=("gas",), name=f"碧阳抽查燃气站{i}")
    make_user(
        "insp_housing", Role.DEPARTMENT_STAFF, department=Department.objects.get(code="housing")
    )
    url = live_server.url
    today = datetime.date.today()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    stats_url = f"{url}/enforcement-statistics/?year={year}&quarter={quarter}"

    # 1. Housing staff record an inspection with findings (no decision yet).
    page = login(dept.username)
    page.get_by_role("link", name="执法检查", exact=True).first.click()
    page.click("[data-testid=new]")
    page.select_option("#id_enterprise", str(gas.pk))
    page.select_option("#id_method", "unannounced")
    page.select_option("#id_inspectors", [str(dept.pk)])
    page.check("#id_has_findings")
    page.fill("#id_findings", "钢瓶检验标签过期，储瓶间通风不良")
    page.click("[data-testid=save]")
    assert page.inner_text("[data-testid=status]") == "已实施"
    assert page.is_visible("[data-testid=zero-penalty]")
    inspection = Inspection.objects.get()

    # 2. The statistics flag the department (只检查不处罚); the figure opens exactly that row.
    page.goto(stats_url)
    row = page.locator("[data-testid=stats-housing]")
    assert row.locator("[data-testid=flag]").inner_text() == "只检查不处罚"
    row.locator("[data-figure=zero-penalty]").click()
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=count]") == "1 条记录"
    assert "碧阳示例燃气站" in page.inner_text("[data-testid=inspection-list]")
    screenshot(page, "enforcement-zero-penalty-list")

    # 3. A hazard found is logged in the ledger from the inspection, then the fine decided.
    page.goto(url + inspection.get_absolute_url())
    page.fill("#id_location", "储瓶间")
    page.fill("#id_description", "储瓶间通风不良，未设置可燃气体报警装置")
    clause = page.locator("#id_criterion option", has_text="非自有气瓶").first
    page.select_option("#id_criterion", clause.get_attribute("value"))  # 判定依据 of a major one
    page.click("[data-testid=raise-hazard]")
    assert "YX-" in page.inner_text("[data-testid=hazards]")
    page.click("[data-testid=new-action]")
    page.select_option("#id_kind", "fine")
    page.fill("#id_fine_amount", "100000000.01")
    page.fill("#id_legal_basis", "《中华人民共和国安全生产法》第九十九条")
    page.fill("#id_decision_number", "黟建罚〔2026〕3号")
    page.click("[data-testid=save]")
    assert page.is_visible(".invalid-feedback")  # above the bound: a form error, nothing saved
    assert not EnforcementAction.objects.exists()
    page.fill("#id_fine_amount", "30000.00")
    page.click("[data-testid=save]")
    assert page.inner_text("[data-testid=fine]") == "30000.00"
    screenshot(page, "enforcement-penalty")

    page.goto(stats_url)
    row = page.locator("[data-testid=stats-housing]")
    assert row.locator("[data-testid=flag]").count() == 0
    assert row.locator("[data-figure=actions]").inner_text() == "1"
    assert row.locator("[data-figure=fines]").inner_text() == "30000.00"
    row.locator("[data-figure=actions]").click()
    page.wait_for_load_state()
    assert "黟建罚〔2026〕3号" in page.inner_text("[data-testid=action-list]")

    # 4. A double-random draw: replayed identically, published without personal data.
    page.goto(url + "/draws/new/")
    page.fill("#id_title", "燃气企业双随机抽查")
    page.select_option("#id_township", label="碧阳镇")
    page.fill("#id_enterprise_count", "3")
    page.fill("#id_inspector_count", "1")
    page.click("[data-testid=save]")
    assert "结果一致" in page.inner_text("[data-testid=replay]")
    assert page.locator("[data-testid=draw-inspections] tbody tr").count() == 3
    page.click("[data-testid=publish]")
    public = page.get_attribute("[data-testid=public-link]", "href")
    _logout(page)
    page.goto(url + public)
    text = page.inner_text("main")
    assert page.locator("[data-testid=public-result] tbody tr").count() == 3
    assert dept.username not in text and "insp_housing" not in text and "王某" not in text
    assert str(Draw.objects.get().seed) in text
    screenshot(page, "enforcement-draw-public")

    # 5. The office records last year's and this year's accidents: the 双下降 figure.
    page = login(office.username)
    for occurred, deaths, summary in (
        (f"{year - 1}-05-01", "2", "去年的事故"),
        (f"{year - 1}-08-01", "0", "去年的另一起事故"),
        (f"{year}-02-01", "1", "今年的事故"),
    ):
        page.goto(url + "/accidents/new/")
        page.fill("#id_occurred_on", occurred)
        page.select_option("#id_township", label="碧阳镇")
        page.select_option("#id_sector", label="燃气安全")
        page.fill("#id_summary", summary)
        page.fill("#id_deaths", deaths)
        page.click("[data-testid=save]")
        assert page.inner_text("[data-testid=grade]") == "一般事故"
    page.goto(url + "/dashboard/")
    panel = page.locator("[data-testid=enforcement-panel]")
    this_year = panel.locator(f"[data-testid=year-{year}]")
    assert this_year.locator("[data-figure=deaths]").inner_text() == "1"
    assert this_year.inner_text().endswith("已实现")  # fewer accidents and fewer deaths
    screenshot(page, "enforcement-dashboard")
    this_year.locator("[data-figure=accidents]").click()
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=count]") == "1 条记录"
    assert "今年的事故" in page.inner_text("[data-testid=accident-list]")
