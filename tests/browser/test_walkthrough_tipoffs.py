"""Walk-through in a real Chromium (issue 14, "Done when"): on a 390 px phone screen a stranger
files an anonymous tip-off with a GPS-tagged photo and gets a tracking code; the office assigns
it; the department verifies it into the hazard ledger; the stranger then sees "查实" and the
office's reply with the code; the stored photo carries no metadata."""

import pytest
from PIL import Image

from campaigns.models import Sector, Township
from hazards import services as hazard_services
from tests.conftest import screenshot
from tipoffs.models import TipOff

from ..tipoffs.conftest import gps_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def setup(users, live_side_effects, tmp_path):
    enterprise = hazard_services.enterprise_create(
        actor=users["office"],
        name="黟县示例液化气站",
        credit_code="91341023MA2RDEM000",
        township=Township.objects.get(code="biyang"),
        sectors=[Sector.objects.get(code="gas")],
        principal_name="汪某",
        principal_email="p@example.invalid",
        address="碧阳镇示例路 8 号",
    )
    photo = tmp_path / "gps.jpg"
    photo.write_bytes(gps_photo().read())
    return enterprise, str(photo)


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _open_action(page, name):
    page.click(f"[data-testid=action-{name}] summary")
    return page.locator(f"[data-testid=action-{name}] form")


def test_anonymous_tipoff_on_a_phone_to_a_verified_hazard(setup, page, login, live_server):
    enterprise, photo = setup
    url = live_server.url

    # 1. A stranger on a phone: no account, anonymous (the default), one GPS-tagged photo.
    page.set_viewport_size(PHONE)
    page.goto(url + "/report/")
    assert "安全生产举报" in page.inner_text("h1")
    assert _no_horizontal_scroll(page)
    box = page.locator("#id_website").bounding_box()  # the honeypot is off screen for people
    assert box["x"] + box["width"] <= 0
    assert page.is_checked("#id_anonymous")
    page.fill("#id_description", "液化气站储瓶间没有可燃气体报警器，晚上还有人在门口抽烟")
    page.select_option("#id_township", label="碧阳镇")
    page.fill("#id_address", "碧阳镇示例路 8 号液化气站")
    page.fill("#id_enterprise_name", "示例液化气站")
    page.fill("#id_observed_on", "2026-11-28")
    page.set_input_files("#id_photos", [photo])
    screenshot(page, "tipoffs-01-phone-form")
    page.click("form[data-testid=tipoff-form] button[type=submit]")
    page.wait_for_load_state()
    code = page.inner_text("[data-testid=tracking-code]").strip()
    assert len(code) >= 32 and _no_horizontal_scroll(page)
    screenshot(page, "tipoffs-02-phone-code")

    tipoff = TipOff.objects.get()
    assert tipoff.anonymous and not tipoff.reporter_ip
    with Image.open(tipoff.photos.get().file.path) as stored:
        assert not stored.getexif() and "exif" not in stored.info

    # 2. Later, the status by code: accepted.
    page.goto(url + "/report/status/")
    page.fill("#id_code", code)
    page.click("form[data-testid=track-form] button[type=submit]")
    assert page.inner_text("[data-testid=public-status]") == "已受理"

    # 3. The office assigns it to the housing department (县住建局).
    page.set_viewport_size({"width": 1280, "height": 900})
    page = login("office")
    page.click('nav >> text="举报"')
    page.click(f"text={tipoff.number}")
    assert page.inner_text("[data-testid=identity-label]") == "匿名"
    form = _open_action(page, "assign")
    form.locator("select[name=department]").select_option(label="县住建局")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已交办" in page.inner_text(".alert")

    # 4. The department starts and finishes the verification: into the ledger.
    page.click("text=退出登录")
    page = login("dept_housing")
    page.goto(url + tipoff.get_absolute_url())
    _open_action(page, "start").locator("button[type=submit]").click()
    page.wait_for_load_state()
    form = _open_action(page, "verify")
    form.locator("select[name=enterprise]").select_option(label=enterprise.name)
    clause = form.locator("select[name=criterion] option", has_text="非自有气瓶").first
    form.locator("select[name=criterion]").select_option(clause.get_attribute("value"))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已纳入隐患台账" in page.inner_text(".alert")
    ledger_number = page.inner_text("[data-testid=hazard-link]").strip()
    assert ledger_number.startswith("YX-")
    screenshot(page, "tipoffs-03-verified")
    page.click("[data-testid=hazard-link] a")
    assert "群众举报查实" in page.inner_text("main")

    # 5. The office closes it with the public reply.
    page.click("text=退出登录")
    page = login("office")
    page.goto(url + tipoff.get_absolute_url())
    form = _open_action(page, "close")
    form.locator("textarea[name=public_reply]").fill(
        "经核查情况属实，已责令企业整改。感谢您的举报。"
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.click("text=退出登录")

    # 6. The stranger, on the phone again, sees the outcome and the reply — nothing else.
    page.set_viewport_size(PHONE)
    page.goto(url + "/report/status/")
    page.fill("#id_code", code)
    page.click("form[data-testid=track-form] button[type=submit]")
    assert page.inner_text("[data-testid=public-status]") == "已办结"
    assert "已责令企业整改" in page.inner_text("[data-testid=public-reply]")
    assert ledger_number not in page.content() and tipoff.number not in page.content()
    assert _no_horizontal_scroll(page)
    screenshot(page, "tipoffs-04-phone-status")
