"""Walk-through in a real Chromium on 2027-01-15 (issue 16 "Done when"): an extension into
2027 is filed and counted by weekends only with the notice; the admin enters 2027's holidays on
the calendar page; the stored count is recounted and the notice is gone."""

import datetime

import pytest

from tests.conftest import screenshot
from tests.hazards.factories import make_enterprise, rectifying_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date
NOTICE_2027 = "2027 年节假日安排尚未录入，按周末计算"
SCHEDULE = "\n".join(
    [
        "2027-01-01 放假 元旦",
        "2027-02-05 放假 春节",
        "2027-02-06 放假 春节",
        "2027-02-07 放假 春节",
        "2027-02-08 放假 春节",
        "2027-02-09 放假 春节",
        "2027-02-10 放假 春节",
        "2027-02-11 放假 春节",
        "2027-02-12 放假 春节",
        "2027-02-20 调休上班 春节",
    ]
)


@pytest.fixture
def clock(monkeypatch):
    for target in (
        "enforcement.services.today_local",
        "enforcement.views.today_local",
        "campaigns.calendar.views.today_local",
    ):
        monkeypatch.setattr(target, lambda: D(2027, 1, 15))


def _logout(page):
    page.click("text=退出登录")
    page.wait_for_load_state()


def test_extension_into_2027_then_the_admin_enters_2027(users, login, live_server, clock):
    office = users["office"]
    enterprise = make_enterprise(office, township="biyang", sectors=("gas",), name="示例燃气站")
    hazard = rectifying_hazard(users["township"], enterprise, D(2027, 2, 26))

    page = login("tw_biyang")
    page.goto(live_server.url + f"/extensions/new/?hazard={hazard.ledger_number}")
    assert NOTICE_2027 in page.inner_text("[data-testid=calendar-notice]")
    page.fill("#id_requested_deadline", "2027-04-30")
    page.fill("#id_reason", "春节前后设备厂家停工")
    page.click("[data-testid=save]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=extension-status]") == "待审批"
    assert page.inner_text("[data-testid=working-days]") == "30"
    assert NOTICE_2027 in page.inner_text("main")
    extension_url = page.url
    screenshot(page, "calendar-extension-weekends-only")
    _logout(page)

    login("admin")
    page.goto(live_server.url + "/calendar/")
    assert "仅按周末" in page.inner_text("[data-year='2027']")
    page.click("[data-year='2027'] a")
    page.wait_for_load_state()
    page.fill("#id_days", SCHEDULE)
    page.fill("#id_document", "国务院办公厅关于2027年部分节假日安排的通知")
    page.click("[data-testid=save]")
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert "2027 年节假日安排已保存（10 天）" in body and "重新计算工作日数 1 条" in body
    assert page.inner_text("[data-testid=source]") == "管理员录入"
    screenshot(page, "calendar-2027-entered")
    _logout(page)

    login("tw_biyang")
    page.goto(extension_url)
    # 30 weekdays − 6 weekdays of 春节 + the make-up Saturday 2027-02-20
    assert page.inner_text("[data-testid=working-days]") == "25"
    assert page.locator("[data-testid=calendar-notice]").count() == 0
