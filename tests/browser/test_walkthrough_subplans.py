"""Walk-through in a real Chromium of issue 5's "Done when": a township official submits a
sub-plan, the office returns it with comments, the official resubmits, the office approves —
both versions downloadable; progress and milestones show on the task and campaign pages; the
league table changes when the township closes an overdue milestone."""

import re

import pytest

from campaigns.progress.demo import tiny_pdf
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _logout(page):
    page.click("text=退出登录")
    page.wait_for_url(re.compile(r"/accounts/login/"))


def _township_score(page, live_server):
    page.goto(live_server.url + "/league/")
    row = page.locator("[data-testid=league-townships] tr", has_text="碧阳镇")
    return float(row.locator("[data-testid=score]").inner_text())


def test_subplan_review_cycle_progress_and_league(users, login, live_server, tmp_path):
    v1 = tmp_path / "碧阳镇子实施方案.pdf"
    v1.write_bytes(tiny_pdf("Biyang sub-plan v1"))
    v2 = tmp_path / "碧阳镇子实施方案（修改稿）.pdf"
    v2.write_bytes(tiny_pdf("Biyang sub-plan v2 revised"))

    # 1. The township official drafts and submits the sub-plan.
    page = login("tw_biyang")
    page.click("nav >> text=子实施方案")
    page.click("text=新建子实施方案")
    page.fill("#id_title", "碧阳镇安全生产治本攻坚三年行动子实施方案")
    page.fill("#id_summary", "明确目标任务、责任分工和时间安排。")
    page.select_option("#id_tasks", label="16. 健全重大事故隐患数据库")
    page.fill("#id_contact_name", "联络员")
    page.fill("#id_contact_phone", "0559-5512345")
    page.set_input_files("#id_document", str(v1))
    page.click("button:has-text('保存草稿')")
    assert page.inner_text("[data-testid=subplan-status]") == "草稿"
    page.click("[data-testid=submit-form] button:has-text('报送')")
    assert page.inner_text("[data-testid=subplan-status]") == "已报送"
    subplan_url = page.url
    _logout(page)

    # 2. The safety office returns it with comments.
    page = login("office")
    page.goto(live_server.url + "/subplans/")
    board = page.inner_text("[data-testid=subplan-board]")
    assert "碧阳镇" in board and "宏村镇" in board and "未开始" in board
    page.click("text=碧阳镇安全生产治本攻坚三年行动子实施方案")
    page.fill("#id_comment", "请补充重大事故隐患动态清零的具体措施和时间节点。")
    page.click("button:has-text('退回修改')")
    assert page.inner_text("[data-testid=subplan-status]") == "退回修改"
    _logout(page)

    # 3. The official reads the comments and resubmits a revised document.
    page = login("tw_biyang")
    page.goto(subplan_url)
    assert "请补充重大事故隐患动态清零" in page.inner_text("[data-testid=history]")
    page.set_input_files("[data-testid=submit-form] input[type=file]", str(v2))
    page.click("[data-testid=submit-form] button:has-text('重新报送')")
    assert page.inner_text("[data-testid=subplan-status]") == "已重新报送"
    _logout(page)

    # 4. The office approves; both versions download.
    page = login("office")
    page.goto(subplan_url)
    page.click("[data-testid=approve-form] button:has-text('审核通过')")
    assert page.inner_text("[data-testid=subplan-status]") == "已审核通过"
    screenshot(page, "subplan-approved")
    for number, expected in ((1, v1), (2, v2)):
        with page.expect_download() as info:
            page.click(f"[data-testid=download-v{number}]")
        download = info.value
        assert download.suggested_filename == expected.name
        assert open(download.path(), "rb").read() == expected.read_bytes()
    _logout(page)

    # 5. Progress and milestones: the township reports on task 16 and closes an overdue
    #    milestone; the task page, the campaign page and the league table show it.
    page = login("tw_biyang")
    before = _township_score(page, live_server)
    page.goto(live_server.url + "/tasks/16/")
    assert page.locator("[data-testid=milestone-overdue]").count() >= 1
    page.click("[data-testid=report-progress]")
    page.select_option("#id_status", label="按计划推进")
    page.fill("#id_text", "已建立重大事故隐患台账并按月更新。")
    page.fill("#id_figures", "台账隐患数=12")
    page.click("button:has-text('保存')")
    assert "已建立重大事故隐患台账并按月更新" in page.inner_text("[data-testid=progress]")
    page.locator("[data-testid=milestones] a:has-text('标记完成')").first.click()
    page.fill("#id_note", "数据库运行管理机制已印发。")
    page.click("button:has-text('保存')")
    assert page.locator("[data-testid=milestone-met]").count() >= 1
    screenshot(page, "task-16-progress")
    after = _township_score(page, live_server)
    assert after > before
    page.goto(live_server.url + "/")
    action_progress = page.inner_text("[data-testid=action-progress-3]")
    assert "按计划推进 1" in action_progress
    assert page.locator("[data-testid=current-requirements]").count() == 1
    screenshot(page, "overview-progress")
    page.goto(live_server.url + "/league/")
    screenshot(page, "league")
    page.click("[data-testid=league-townships] >> text=碧阳镇")
    breakdown = page.inner_text("[data-testid=breakdown]")
    assert "子实施方案按时报送" in breakdown and "时间节点完成" in breakdown
    assert "隐患台账尚未启用" in breakdown or "隐患按期销号" in breakdown
    screenshot(page, "league-breakdown")
