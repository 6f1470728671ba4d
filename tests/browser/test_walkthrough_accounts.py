"""Accounts and headers in a real Chromium (issue 15): pages run their JavaScript under the
Content-Security-Policy without a single violation; the safety office enrols an authenticator
after its password, then logs out everywhere."""

import base64
import datetime

import pytest
from django_otp.oath import totp

from campaigns.constants import DEMO_PASSWORD
from tests.conftest import screenshot
from tests.hazards.factories import make_enterprise, rectifying_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def console(page):
    """Console errors and page errors of the page (a CSP violation is logged as an error)."""
    messages = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: messages.append(str(e)))
    return messages


def _csp(messages):
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


def test_pages_with_javascript_work_under_the_csp(users, login, page, live_server, console):
    office = users["office"]
    rectifying_hazard(
        office,
        make_enterprise(office, township="biyang", sectors=("gas",)),
        deadline=datetime.date(2026, 1, 31),
        found_on=datetime.date(2023, 6, 1),
    )
    page.add_init_script("window.print = function () { window.__printed = true; };")
    login("office")
    page.goto(live_server.url + "/dashboard/")
    page.wait_for_selector("#targets-chart svg")  # dashboard.js drew the ECharts chart
    page.click("[data-print]")  # was onclick="window.print()"; now static/js/app.js
    assert page.evaluate("window.__printed === true")
    page.goto(live_server.url + "/hazards/statistics/")
    page.wait_for_selector("#chart canvas")  # hazards/statistics.js drew its chart
    page.select_option("#id_level", "major")  # data-autosubmit (static/js/app.js)
    page.wait_for_url("**level=major**")
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info")  # Swagger UI ran its init script
    screenshot(page, "csp-swagger")
    assert _csp(console) == [], console
    # no script error either (the browser's own /favicon.ico request is a 404: not ours)
    assert [m for m in console if "Failed to load resource" not in m] == [], console


def test_office_enrols_an_authenticator_then_logs_out_everywhere(
    users, settings, login, page, live_server, console
):
    settings.TWO_FACTOR_REQUIRED = True
    login("office")  # the password is right: next comes the second factor
    assert "/accounts/two-factor/setup/" in page.url
    assert page.locator("[data-testid=otp-qr] svg").count() == 1
    secret = page.locator("[data-testid=otp-secret]").inner_text().replace(" ", "")
    screenshot(page, "otp-setup")
    code = f"{totp(base64.b32decode(secret)):06d}"
    page.fill("#id_token", code)
    page.click("button[type=submit]:has-text('确认')")
    page.wait_for_url("**/dashboard/")
    assert "验证器已设置完成" in page.content()

    # a second browser signs in with password and code
    other = page.context.browser.new_context()
    phone = other.new_page()
    phone.goto(live_server.url + "/accounts/login/")
    phone.fill("#id_username", "office")
    phone.fill("#id_password", DEMO_PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/accounts/two-factor/**")
    assert "/setup/" not in phone.url  # enrolled: verification, not enrolment
    phone.fill("#id_token", code)  # the same code cannot be used twice
    phone.click("button[type=submit]:has-text('验证')")
    assert "验证码错误或已过期" in phone.content()

    page.goto(live_server.url + "/accounts/me/")
    assert "本账户已设置验证器应用" in page.content()
    screenshot(page, "account")
    # recovery codes: shown once; the second browser signs in with one instead of the phone
    page.click("[data-testid=recovery-codes-issue]")
    codes = page.locator("[data-testid=recovery-codes] li").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "recovery-codes")
    phone.wait_for_timeout(1100)  # django-otp's wait after the wrong code above
    phone.fill("#id_token", codes[0])
    phone.click("button[type=submit]:has-text('验证')")
    phone.wait_for_url("**/dashboard/")
    assert "已用恢复码登录，还剩 9 个" in phone.content()
    page.goto(live_server.url + "/accounts/me/")
    assert "尚有 9 个未使用的恢复码" in page.content()
    page.click("[data-testid=sessions-end]")
    page.wait_for_url("**/accounts/login/**")
    assert "已在所有设备上退出登录" in page.content()
    phone.goto(live_server.url + "/dashboard/")
    assert "/accounts/login/" in phone.url  # the other browser is logged out too
    other.close()
    assert _csp(console) == [], console
