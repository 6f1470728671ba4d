"""The hazard form offline (issue 18), in a real Chromium on http://localhost (a secure context:
service workers and IndexedDB work). A department user logs a hazard with a photo while
offline, sees "1 条待上传", and the hazard arrives exactly once when the connection returns —
also when the first upload reached the server but its answer was lost, and the queue is then
replayed twice at once and the page reloaded. A draft the server refuses (400) stays queued,
marked, and is fixed in the form."""

import datetime
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from hazards.models import Attachment, Hazard
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BADGE = "[data-testid=offline-badge]"


@pytest.fixture
def setup(gas_enterprise, tmp_path):
    enterprise = gas_enterprise
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (170, 60, 40)).save(buf, format="JPEG")
    photo = tmp_path / "before.jpg"
    photo.write_bytes(buf.getvalue())
    return enterprise, str(photo)


def _fill(page, enterprise, photo=None, *, found_by="县住建局燃气检查组", location="气瓶间"):
    page.select_option("#id_enterprise", label=enterprise.name)
    page.select_option("#id_level", "major")
    page.select_option("#id_source", "inspection")
    criterion = page.locator("#id_criterion option", has_text="非自有气瓶").first
    page.select_option("#id_criterion", criterion.get_attribute("value"))
    page.fill("#id_found_on", (datetime.date.today() - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_found_by", found_by)
    page.fill("#id_location", location)
    page.fill("#id_description", "气瓶间未设置可燃气体报警装置")
    if photo:
        page.set_input_files("#id_before_photos", [photo])


def _wait_until(page, check, what, timeout=15_000):
    step = 100
    for _ in range(timeout // step):
        if check():
            return
        page.wait_for_timeout(step)
    raise AssertionError(f"timed out waiting for {what}")


def _worker_ready(page):
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _ in range(100):
        if page.evaluate(
            "caches.open('yx-pages').then(c => c.match('/hazards/new/')).then(Boolean)"
        ):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the form page was not kept for offline use")


def test_a_report_made_offline_arrives_once_when_the_connection_returns(setup, login, live_server):
    enterprise, photo = setup
    page = login("dept_housing")
    page.goto(live_server.url + "/hazards/new/")
    _worker_ready(page)
    assert page.locator(BADGE).is_hidden()

    page.context.set_offline(True)
    _fill(page, enterprise, photo)
    page.click("main form button[type=submit]")
    page.wait_for_selector(BADGE, state="visible")
    assert page.inner_text(BADGE) == "1 条待上传"
    assert "已保存在本机" in page.inner_text("[data-testid=offline-status]")
    assert "1 张照片" in page.inner_text("[data-testid=offline-queue]")
    # a second one, refused by the server later: nobody found it
    _fill(page, enterprise, found_by=" ", location="储配站门口")
    page.click("main form button[type=submit]")
    expect(page.locator(BADGE)).to_have_text("2 条待上传")
    screenshot(page, "offline-01-two-queued")

    # offline, a page that needs the network says so; the form itself still opens
    page.goto(live_server.url + "/hazards/")
    assert "需要网络连接" in page.inner_text("main")
    screenshot(page, "offline-00-needs-network")
    page.goto(live_server.url + "/hazards/new/")
    page.wait_for_selector(BADGE, state="visible")
    assert page.inner_text(BADGE) == "2 条待上传"
    assert Hazard.objects.count() == 0

    page.context.set_offline(False)  # the "online" event starts the upload
    expect(page.locator(BADGE)).to_have_text("1 条待上传")
    _wait_until(page, lambda: Hazard.objects.count() == 1, "the hazard")
    hazard = Hazard.objects.get()
    assert hazard.location == "气瓶间" and hazard.reported_by.username == "dept_housing"
    assert hazard.idempotency_key is not None
    assert Attachment.objects.filter(hazard=hazard, kind=Attachment.Kind.BEFORE_PHOTO).count() == 1

    # the refused draft stays, marked with the server's message, and is fixed in the form
    state = page.locator("[data-offline-state=invalid]")
    state.wait_for()
    assert "发现人" in state.inner_text()
    assert "未能登记的请打开修改" in page.inner_text("[data-testid=offline-status]")
    screenshot(page, "offline-02-refused-draft")
    page.click("[data-offline-open]")
    # the draft is read back from IndexedDB asynchronously: wait for the form to fill
    expect(page.locator("#id_location")).to_have_value("储配站门口")
    expect(page.locator("main form .invalid-feedback").first).to_contain_text("发现人")
    page.fill("#id_found_by", "乡镇安监站")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/hazards/\d+/$"))
    assert "已登记" in page.inner_text(".alert")
    assert page.locator(BADGE).is_hidden()
    assert Hazard.objects.count() == 2
    assert Hazard.objects.filter(found_by="乡镇安监站", location="储配站门口").count() == 1


@pytest.mark.browser_context_args(service_workers="block")  # page.route sees every request
def test_a_lost_answer_and_a_double_replay_still_make_one_hazard(setup, login, live_server):
    enterprise, photo = setup
    page = login("tw_biyang")
    page.goto(live_server.url + "/hazards/new/")
    page.context.set_offline(True)
    _fill(page, enterprise, photo)
    page.click("main form button[type=submit]")
    page.wait_for_selector(BADGE, state="visible")
    assert page.inner_text(BADGE) == "1 条待上传"

    # the first upload reaches the server, but its answer never comes back
    def lose_the_answer(route):
        if route.request.method == "POST":
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/hazards/new/", lose_the_answer)
    page.context.set_offline(False)
    expect(page.locator("[data-testid=offline-status]")).to_contain_text("上传未成功")
    assert Hazard.objects.count() == 1
    assert page.inner_text(BADGE) == "1 条待上传"  # the browser cannot know it arrived
    page.unroute("**/hazards/new/")

    # replayed twice at once, and the page reloaded while they run: still one hazard
    page.evaluate("() => { window.yxOffline.uploadAll(); window.yxOffline.uploadAll(); }")
    page.reload()
    expect(page.locator(BADGE)).to_be_hidden()
    page.evaluate("window.yxOffline.uploadAll()")
    hazard = Hazard.objects.get()
    assert hazard.reported_by.username == "tw_biyang"
    assert Attachment.objects.filter(hazard=hazard).count() == 1
    assert page.locator(BADGE).is_hidden()
