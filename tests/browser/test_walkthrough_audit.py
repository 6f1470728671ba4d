"""Walk-through in a real Chromium: a failed login is in the audit trail the admin reads in the
admin site (系统管理 → 审计日志), filtered by action and searched by user name."""

import pytest

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_finds_a_failed_login_in_the_audit_trail(users, login, live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "tw_biyang")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.content()

    login("admin")
    page.goto(live_server.url + "/admin/campaigns/auditevent/")
    assert "审计日志" in page.content()
    page.click("#changelist-filter >> text=登录失败")
    page.wait_for_load_state()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "tw_biyang" in rows.first.inner_text()
    page.goto(live_server.url + "/admin/campaigns/auditevent/")
    page.fill("#searchbar", "tw_biyang")
    page.press("#searchbar", "Enter")
    page.wait_for_load_state()
    found = page.locator("#result_list tbody tr")
    assert found.count() >= 1
    assert all("tw_biyang" in found.nth(i).inner_text() for i in range(found.count()))
    screenshot(page, "audit-trail")
    assert page.locator(".object-tools .addlink").count() == 0  # no add: rows are only written
