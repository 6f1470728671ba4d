"""Walk-through in a real Chromium: the daily run makes a digest, the recipient sees the unread
badge, opens the reminders, marks them read."""

import pytest

from campaigns.notifications.digest import digests_build
from tests.campaigns.conftest import beijing
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _milestone_reminders_only(settings):
    settings.REMINDER_SOURCES = ["milestone"]


def test_recipient_reads_todays_reminders(users, login, live_server, settings, monkeypatch):
    import datetime

    # "today" is the day after the second run (the badge counts the last 30 days only)
    monkeypatch.setattr("yixian_safety.dates.today_local", lambda: datetime.date(2026, 1, 8))
    settings.NOTIFY_CHANNELS = ["in_app"]
    digests_build(now=beijing(2025, 12, 28, 8, 30))
    digests_build(now=beijing(2026, 1, 7, 8, 30))
    page = login("dept_housing")
    assert page.inner_text("[data-testid=unread-badge]") == "2"
    page.click("[data-testid=notifications-link]")
    assert "/notifications/" in page.url
    assert page.locator("[data-testid=digest]").count() == 2
    body = page.inner_text("main")
    assert "任务 19 时间节点" in body and "已逾期 7 天" in body and "还有 3 天到期" in body
    assert "已提醒单位负责人" in body
    screenshot(page, "notifications-unread")
    page.locator("[data-testid=mark-read]").first.click()
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=unread-badge]") == "1"
    page.click("[data-testid=read-all]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=unread-badge]").count() == 0
    assert page.locator("[data-testid=unread]").count() == 0
    assert "已将 1 份提醒标记为已读" in page.inner_text("main")
    screenshot(page, "notifications-read")
