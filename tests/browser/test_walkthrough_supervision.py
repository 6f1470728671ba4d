"""Walk-through in a real Chromium of a listed hazard's whole path (issue 4 "Done when"):
listing notice → quarterly reports (one missed, flagged) → extension refused for being filed too
late across the 2026 Spring Festival → escalation proposed and approved with its document →
closure blocked until the listing body signs off → delisting with its notice.

The platform's clock (``today_local`` as used by the supervision code) is moved through 2026.
"""

import datetime

import pytest

from enforcement import services
from enforcement.models import (
    EscalationRule,
    EscalationStep,
    ExtensionRequest,
    Listing,
    StepKind,
    TargetKind,
    Trigger,
)
from hazards import services as hz
from hazards.models import Hazard, Status
from tests.conftest import screenshot
from tests.hazards.factories import make_enterprise, photo, rectifying_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def clock(monkeypatch):
    """``clock.today = date`` sets the supervision code's today (Asia/Shanghai)."""

    class Clock:
        today = D(2026, 1, 10)

    c = Clock()
    for target in ("enforcement.services.today_local", "enforcement.views.today_local"):
        monkeypatch.setattr(target, lambda: c.today)
    return c


def _logout(page):
    page.click("text=退出登录")
    page.wait_for_load_state()


def test_listed_hazard_whole_path(users, login, live_server, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    tw, dept, office = users["township"], users["department"], users["office"]
    enterprise = make_enterprise(office, township="biyang", sectors=("gas",), name="碧阳示例燃气站")
    hazard = rectifying_hazard(tw, enterprise, D(2026, 3, 6), before_photos=[photo()])
    url = live_server.url
    # the ladder (earlier transactional tests flush the default rules of the data migration)
    EscalationRule.objects.all().delete()
    EscalationRule.objects.create(
        name="逾期 30 日函告乡镇",
        trigger=Trigger.DAYS_OVERDUE,
        threshold=30,
        step=StepKind.FORMAL_LETTER,
        target=TargetKind.TOWNSHIP,
    )
    EscalationRule.objects.create(
        name="逾期 90 日约谈企业",
        trigger=Trigger.DAYS_OVERDUE,
        threshold=90,
        step=StepKind.SUMMONS_INTERVIEW,
        target=TargetKind.ENTERPRISE,
    )

    # 1. The safety office lists the hazard (for the county government): notice with 文号.
    page = login("office")
    page.goto(url + "/supervision/")
    page.click("[data-testid=new-listing]")
    page.fill("#id_hazard", hazard.ledger_number)
    page.select_option("#id_listing_body", "county_government")
    page.fill("#id_listed_on", "2026-01-10")
    page.fill("#id_required_completion", "2026-03-06")
    page.fill("#id_responsible_unit", "碧阳镇人民政府")
    page.click("[data-testid=save]")
    assert page.inner_text("[data-testid=document-number]") == "黟安督〔2026〕1号"
    screenshot(page, "supervision-listed")
    notice = page.request.get(url + page.get_attribute("[data-testid=notice-pdf]", "href"))
    assert notice.ok and notice.headers["content-type"] == "application/pdf"
    assert notice.body()[:4] == b"%PDF"
    listing = Listing.objects.get()
    _logout(page)

    # 2. 2026-02-12, during the Spring Festival build-up: the township asks for an extension.
    #    16 weekdays are left, but only 12 Chinese working days: refused on filing.
    clock.today = D(2026, 2, 12)
    login("tw_biyang")
    page.goto(url + listing.get_absolute_url())
    page.click("[data-testid=request-extension]")
    page.fill("#id_requested_deadline", "2026-04-30")
    page.fill("#id_reason", "春节期间设备厂家停工")
    page.click("[data-testid=save]")
    assert page.inner_text("[data-testid=extension-status]") == "不予批准"
    assert page.inner_text("[data-testid=working-days]") == "12"
    assert "2026-02-09" in page.inner_text("[data-testid=decision-note]")
    screenshot(page, "supervision-extension-refused")
    assert ExtensionRequest.objects.get().status == "refused"
    assert Hazard.objects.get(pk=hazard.pk).rectification.deadline == D(2026, 3, 6)

    # 3. Quarterly reports: Q1 and Q3 were filed, Q2 was missed; in Q4 the township reports.
    services.listing_report_progress(
        listing=listing, actor=tw, progress="储瓶间已停用", on=D(2026, 3, 20)
    )
    services.listing_report_progress(
        listing=listing, actor=tw, progress="报警器已安装", on=D(2026, 8, 10)
    )
    clock.today = D(2026, 11, 29)
    page.goto(url + listing.get_absolute_url())
    missed = page.locator("[data-testid=missed-quarter]")
    assert missed.count() == 1 and "2026 年第二季度" in missed.inner_text()
    page.fill("#progress", "搬迁选址已确定，正在施工")
    page.click("[data-testid=report-progress]")
    assert "搬迁选址已确定" in page.inner_text("[data-testid=quarters]")
    page.goto(url + "/supervision/?missed=1")
    assert page.locator("[data-testid=missed-flag]").count() == 1
    screenshot(page, "supervision-missed-quarter")
    _logout(page)

    # 4. The office runs the ladder (268 days overdue) and approves the formal letter to 碧阳镇.
    login("office")
    page.goto(url + "/escalations/")
    page.click("[data-testid=evaluate]")
    letter = EscalationStep.objects.get(kind="formal_letter", target_kind="township")
    assert EscalationStep.objects.filter(status="proposed").count() == 2
    page.goto(url + letter.get_absolute_url())
    page.click("[data-testid=approve-step]")
    assert page.inner_text("[data-testid=step-document-number]") == "黟安函〔2026〕1号"
    doc = page.request.get(url + page.get_attribute("[data-testid=step-pdf]", "href"))
    assert doc.ok and doc.body()[:4] == b"%PDF"
    screenshot(page, "supervision-escalation-approved")
    _logout(page)

    # 5. Rectified and accepted; the department cannot close before the listing body signs off.
    hz.hazard_submit_for_acceptance(
        hazard=hazard, actor=tw, after_photos=[photo((0, 200, 0), "after.jpg")]
    )
    hz.hazard_accept(hazard=hazard, actor=dept)
    login("dept_housing")
    page.goto(url + hazard.get_absolute_url())
    assert "黟安督〔2026〕1号" in page.inner_text("[data-testid=hazard-supervision]")
    page.click("[data-testid=close]")
    assert "黟安督〔2026〕1号" in page.inner_text(".alert-danger")
    assert Hazard.objects.get(pk=hazard.pk).status == Status.ACCEPTED
    _logout(page)

    login("office")
    page.goto(url + listing.get_absolute_url())
    page.click("[data-testid=sign-off]")
    assert "office" in page.inner_text("[data-testid=signed-off]")
    _logout(page)

    login("dept_housing")
    page.goto(url + hazard.get_absolute_url())
    page.click("[data-testid=close]")
    assert Hazard.objects.get(pk=hazard.pk).status == Status.CLOSED
    _logout(page)

    # 6. Delisting (摘牌) with its own notice.
    login("office")
    page.goto(url + listing.get_absolute_url())
    page.fill("#delist-note", "整改到位，予以摘牌")
    page.click("[data-testid=delist]")
    assert page.locator("[data-testid=delisting-pdf]").count() == 1
    assert "黟安摘〔2026〕1号" in page.inner_text("[data-testid=delisting-pdf]")
    delisting = page.request.get(url + page.get_attribute("[data-testid=delisting-pdf]", "href"))
    assert delisting.ok and delisting.body()[:4] == b"%PDF"
    screenshot(page, "supervision-delisted")
