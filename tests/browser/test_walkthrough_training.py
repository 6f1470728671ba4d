"""Walk-through in a real Chromium (issue 12): the office puts an enterprise in 2026's focus
group (商业综合体); the township official records a training session, its attendee who passes,
and an evacuation drill with a photo; the coverage shows full; the office records an expired
special-operations certificate, which shows on the enterprise's training page; the compliance
page's figures lead to the rows; the pages work at phone width; the lists export to Excel."""

import datetime
import io

import pytest
from PIL import Image

from campaigns.models import Sector, Township
from hazards import services as hazard_services
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    enterprise = hazard_services.enterprise_create(
        actor=users["office"],
        name="黟县碧溪商贸城有限公司",
        credit_code="91341023MA2RDEM000",
        township=Township.objects.get(code="biyang"),
        sectors=[Sector.objects.get(code="fire")],
        principal_name="汪某",
        principal_phone="0559-0123456",
        address="碧阳镇示例路 8 号",
    )
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (60, 150, 80)).save(buf, format="JPEG")
    photo = tmp_path / "drill.jpg"
    photo.write_bytes(buf.getvalue())
    return enterprise, str(photo)


def _switch(page, login, username):
    page.click("text=退出登录")
    page.wait_for_load_state()
    return login(username)


def test_training_drill_and_certificate(setup, login, live_server):
    enterprise, photo = setup
    url = live_server.url
    page = login("office")

    # 1. The office marks the enterprise as a commercial complex (2026's focus group).
    page.goto(url + "/training/categories/")
    page.select_option("#id_enterprise", label=enterprise.name)
    page.select_option("#id_flag", "commercial_complex")
    page.click("main form button[type=submit]")
    assert "单位类别已保存" in page.inner_text(".alert")
    assert enterprise.name in page.inner_text("[data-testid=flags]")
    page.goto(url + "/training/coverage/?year=2026")
    assert "0 / 1" in page.inner_text("main")
    assert enterprise.name in page.inner_text("[data-testid=focus-enterprises]")

    # 2. The township official records a session and its attendee, who passes.
    page = _switch(page, login, "tw_biyang")
    page.goto(url + "/training/")
    page.click("text=专题安全教育培训")
    page.click("text=登记培训")
    page.fill("#id_title", "2026年商业综合体消防安全责任人集中培训")
    page.select_option("#id_audience", "commercial_complex_fire")
    page.fill("#id_held_on", "2026-06-01")
    page.fill("#id_venue", "碧阳镇政府会议室")
    page.click("main form button[type=submit]")
    assert "培训已保存" in page.inner_text(".alert")
    page.fill("#id_person_name", "汪某")
    page.fill("#id_position", "消防安全责任人")
    page.select_option("#id_enterprise", label=enterprise.name)
    page.select_option("#id_result", "passed")
    screenshot(page, "training-01-session")
    page.click("[data-testid=attendance-form] button[type=submit]")
    assert "参训人员已登记" in page.inner_text(".alert")
    assert (
        "考核合格" in page.inner_text("[data-testid=attendance]")
        or page.locator("[data-testid=attendance] option[selected][value=passed]").count() == 1
    )

    # 3. Coverage is now full.
    page.goto(url + "/training/coverage/?year=2026")
    assert "1 / 1" in page.inner_text("main") and "全覆盖" in page.inner_text("main")
    screenshot(page, "training-02-coverage")

    # 4. The township records a drill with a photo.
    page.goto(url + "/training/drills/")
    page.click("text=登记疏散逃生演练")
    page.select_option("#id_enterprise", label=enterprise.name)
    page.fill("#id_held_on", (datetime.date.today() - datetime.timedelta(days=2)).isoformat())
    page.fill("#id_scenario", "商场一层起火人员疏散")
    page.fill("#id_participants", "86")
    page.set_input_files("#id_photos", [photo])
    page.click("main form button[type=submit]")
    assert "演练已登记" in page.inner_text(".alert")
    assert "drill.jpg" in page.inner_text("[data-testid=evidence]")

    # 5. The compliance page's figure leads to the rows behind it.
    page.goto(url + f"/training/compliance/drill/?year={datetime.date.today().year}")
    page.click("[data-testid=compliance-township] a >> nth=1")  # 碧阳镇 · met
    assert enterprise.name in page.inner_text("[data-testid=duty-rows]")
    assert "已完成" in page.inner_text("[data-testid=duty-rows]")

    # 6. The office records an expired certificate; the enterprise page shows it.
    page = _switch(page, login, "office")
    page.goto(url + "/training/certificates/new/")
    page.fill("#id_worker_name", "程某")
    page.select_option("#id_enterprise", label=enterprise.name)
    page.select_option("#id_type", "electrical")
    page.fill("#id_number", "T341023199001010011")
    page.fill("#id_issued_on", "2019-05-01")
    page.fill("#id_valid_until", "2025-04-30")
    page.click("main form button[type=submit]")
    assert "证书已保存" in page.inner_text(".alert")
    page.click("text=已过期")
    assert "T341023199001010011" in page.inner_text("[data-testid=certificates]")
    page.goto(url + f"/training/enterprises/{enterprise.pk}/")
    assert "已过期" in page.inner_text("[data-testid=expired-certificates]")
    screenshot(page, "training-03-enterprise")

    # 7. Excel export of the certificate list.
    page.goto(url + "/training/certificates/?window=expired")
    with page.expect_download() as info:
        page.click("[data-testid=export]")
    assert info.value.suggested_filename.endswith(".xlsx")

    # 8. Phone width: the overview and lists do not overflow sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/training/", "/training/certificates/", "/training/compliance/drill/"):
        page.goto(url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, (path, width)
    screenshot(page, "training-04-phone")
