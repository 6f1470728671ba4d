"""Walk-through in a real Chromium: sign in, read the plan, open a task, sign out."""

import pytest

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_official_reads_the_plan(users, login, live_server):
    page = login("tw_biyang")
    assert "碧阳镇" in page.inner_text("[data-testid=whoami]")
    assert "/dashboard/" in page.url  # everyone lands on the dashboard
    page.click("nav >> text=行动方案")
    assert page.locator("[data-testid=current-phase]").count() == 1
    assert "八大行动" in page.content()
    screenshot(page, "plan-overview")
    page.click("text=健全重大事故隐患数据库")
    assert "2024 年底前完善数据库运行管理机制" in page.inner_text("[data-testid=task-text]")
    assert "2024-12-31" in page.content()
    screenshot(page, "task-16")
    assert page.locator("text=系统管理").count() == 0  # not an admin
    page.click("text=退出登录")
    assert "/accounts/login/" in page.url


def test_wrong_password_gives_a_chinese_message(plan, live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.content()
