"""Walk-through in a real Chromium (issue 3, "Done when"): a department user logs a hazard with
photos and confirms it; the township enters the five implementations and submits it; the first
acceptance check fails, the second passes; a different user (the safety office) closes it; the
hazard page shows every step in its timeline and change history."""

import datetime
import io

import pytest
from PIL import Image

from hazards.models import Hazard
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(gas_enterprise, tmp_path):
    enterprise = gas_enterprise
    photos = {}
    for name, color in (
        ("before-1", (170, 60, 40)),
        ("before-2", (140, 90, 40)),
        ("after-1", (60, 150, 80)),
        ("after-2", (40, 120, 170)),
    ):
        buf = io.BytesIO()
        img = Image.new("RGB", (320, 240), color)
        for x in range(0, 320, 32):
            for y in range(240):
                img.putpixel((x, y), (250, 250, 250))
        img.save(buf, format="JPEG")
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(buf.getvalue())
        photos[name] = str(path)
    return enterprise, photos


def _switch(page, login, username):
    page.click("text=退出登录")
    page.wait_for_load_state()
    return login(username)


def _message(page):
    return page.inner_text(".alert")


def test_hazard_from_discovery_to_closure(setup, login, live_server):
    enterprise, photos = setup
    url = live_server.url

    # 1. Department staff (县住建局) logs the hazard with two photos and confirms it.
    page = login("dept_housing")
    page.click("nav >> text=隐患台账")
    page.click("text=登记隐患")
    page.select_option("#id_enterprise", label=enterprise.name)
    page.select_option("#id_level", "major")
    page.select_option("#id_source", "inspection")
    criterion = page.locator("#id_criterion option", has_text="非自有气瓶").first
    page.select_option("#id_criterion", criterion.get_attribute("value"))
    page.fill("#id_found_on", (datetime.date.today() - datetime.timedelta(days=3)).isoformat())
    page.fill("#id_found_by", "县住建局燃气检查组")
    page.fill("#id_location", "液化气储配站气瓶间")
    page.fill("#id_description", "充装检验不合格气瓶，气瓶间未设置可燃气体报警装置")
    page.set_input_files("#id_before_photos", [photos["before-1"], photos["before-2"]])
    screenshot(page, "hazards-01-report-form")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    number = page.inner_text("[data-testid=ledger-number]")
    assert number.startswith(f"YX-{datetime.date.today().year}-")
    assert "已登记" in _message(page)
    assert page.locator("[data-testid=before-photos] img").count() == 2
    page.click("[data-testid=confirm]")
    assert "已确认" in page.inner_text("[data-testid=status]")
    assert "已发送" in page.inner_text("[data-testid=notifications]")  # principal + controller
    screenshot(page, "hazards-02-confirmed")
    hazard_url = page.url

    # 2. The township official enters the five implementations; rectification starts.
    page = _switch(page, login, "tw_biyang")
    page.goto(hazard_url)
    page.click("[data-testid=start]")
    assert "缺少" in _message(page)  # a major hazard needs all five first
    page.click("[data-testid=enter-five]")
    page.fill("#id_measures", "更换全部检验不合格气瓶；气瓶间加装可燃气体报警装置并与排风联动")
    page.fill("#id_responsible_unit", enterprise.name)
    page.fill("#id_responsible_person", "汪某")
    page.fill("#id_funds", "38500.00")
    page.fill("#id_deadline", (datetime.date.today() + datetime.timedelta(days=30)).isoformat())
    page.fill("#id_contingency_plan", "整改期间停用气瓶间，专人值守并设警戒区")
    screenshot(page, "hazards-03-five-implementations")
    page.click("main form button[type=submit]")
    page.click("[data-testid=start]")
    assert "整改中" in page.inner_text("[data-testid=status]")
    # the before photo itself is refused as "after" evidence
    page.set_input_files("#id_after_photos", [photos["before-1"]])
    page.click("[data-testid=submit]")
    assert "同一张图片" in _message(page)
    page.set_input_files("#id_after_photos", [photos["after-1"]])
    page.click("[data-testid=submit]")
    assert "待验收" in page.inner_text("[data-testid=status]")
    assert page.locator("[data-testid=accept]").count() == 0  # the township may not sign off

    # 3. The supervising department fails the first acceptance check.
    page = _switch(page, login, "dept_housing")
    page.goto(hazard_url)
    page.fill("#fail-reason", "报警装置未与排风机联动")
    page.click("[data-testid=fail]")
    assert "整改中" in page.inner_text("[data-testid=status]")

    # 4. The township fixes it and submits again with a new after photo.
    page = _switch(page, login, "tw_biyang")
    page.goto(hazard_url)
    page.set_input_files("#id_after_photos", [photos["after-2"]])
    page.fill("#submit-note", "已完成报警与排风联动调试")
    page.click("[data-testid=submit]")
    assert "待验收" in page.inner_text("[data-testid=status]")

    # 5. The department accepts; the safety office (a different user) closes it.
    page = _switch(page, login, "dept_housing")
    page.goto(hazard_url)
    page.click("[data-testid=accept]")
    assert "验收通过" in page.inner_text("[data-testid=status]")
    page = _switch(page, login, "office")
    page.goto(hazard_url)
    page.fill("#close-note", "验收合格，同意销号")
    page.click("[data-testid=close]")
    assert "已销号" in page.inner_text("[data-testid=status]")

    timeline = page.inner_text("[data-testid=timeline]")
    for step in (
        "登记上报",
        "确认",
        "录入五落实",
        "开始整改",
        "提请验收",
        "验收未通过",
        "报警装置未与排风机联动",
        "验收通过",
        "销号",
        "验收合格，同意销号",
    ):
        assert step in timeline, step
    history = page.inner_text("[data-testid=history]")
    for change in (
        "已上报 → 已确认",
        "已确认 → 整改中",
        "整改中 → 待验收",
        "待验收 → 整改中",
        "待验收 → 验收通过",
        "验收通过 → 已销号",
    ):
        assert change in history, change
    screenshot(page, "hazards-04-closed-with-history")

    hazard = Hazard.objects.get(ledger_number=number)
    assert hazard.status == "closed"
    assert hazard.events.filter(action="closed").get().actor.username == "office"

    # The ledger and the statistics agree: one closed hazard in 碧阳镇.
    page.goto(url + "/hazards/statistics/")
    screenshot(page, "hazards-05-statistics")
    page.locator("[data-testid=stat-township] a[data-figure]").first.click()
    assert number in page.inner_text("[data-testid=ledger]")
    screenshot(page, "hazards-06-ledger")
