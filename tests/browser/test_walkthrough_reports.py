"""Walk-through in a real Chromium of issue 11: the safety office builds the county's quarterly
report from the browser (embedded mode: the build runs in-process), downloads its PDF and Excel;
a report still building is polled (htmx) until it is ready; a township official sees only its
own reports."""

import re

import pytest

from campaigns.reports import registry
from campaigns.reports.registry import Section, SectionData
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _small(period, scope):
    return SectionData(
        figures=[("范围", scope.label)],
        tables=[("示例", ["乡镇", "数值"], [["碧阳镇", 1]])],
        charts=[
            {
                "title": "按年",
                "labels": ["2024", "2025"],
                "series": [{"name": "发现", "values": [2, 3]}],
            }
        ],
    )


@pytest.fixture(autouse=True)
def _small_reports(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    from yixian_safety.celery import app

    # One small section: the full report's rendering has tests of its own.
    monkeypatch.setattr(registry, "SECTIONS", {"small": Section("small", "示例章节", 10, _small)})
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the embedded mode: the build runs in-process
    yield
    app.conf.task_always_eager = old


def test_office_builds_and_downloads_the_county_quarterly_report(users, login, page, live_server):
    page = login("office")
    page.click("nav >> text=报告")
    page.click("[data-testid=report-new]")
    page.select_option("#id_kind", "quarterly")
    page.select_option("#id_period", "2026-Q3")
    page.select_option("#id_scope", "county")
    page.click("[data-testid=report-form] button")
    page.wait_for_selector("[data-testid=report-status][data-status=ready]")
    assert "黟县安全生产治本攻坚三年行动2026 年第三季度工作进展报告" in page.inner_text("h1")
    screenshot(page, "report-detail")
    with page.expect_download() as pdf:
        page.click("[data-testid=download-pdf]")
    assert pdf.value.suggested_filename.endswith("-v1.pdf")
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"
    with page.expect_download() as xlsx:
        page.click("[data-testid=download-xlsx]")
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    page.click("[data-testid=report-rebuild]")
    page.wait_for_selector("[data-testid=report-status][data-status=ready]")
    assert page.locator("[data-testid=versions] tbody tr").count() == 2
    page.click("nav >> text=报告")
    assert page.locator("[data-testid=reports] tbody tr").count() == 2


def test_status_is_polled_until_the_build_is_ready(users, login, page, live_server):
    from campaigns.reports.models import Report
    from campaigns.reports.services import report_build, report_request

    report = report_request(
        kind="quarterly", period_key="2026-Q3", scope_key="township:biyang", actor=users["office"]
    )
    # as if a worker had just started on it
    Report.objects.filter(pk=report.pk).update(status=Report.Status.BUILDING, pdf="", xlsx="")
    page = login("tw_biyang")
    page.goto(live_server.url + report.get_absolute_url())
    assert page.get_attribute("[data-testid=report-status]", "data-status") == "building"
    Report.objects.filter(pk=report.pk).update(status=Report.Status.QUEUED)
    report_build(report_id=report.pk)  # the "worker" finishes
    page.wait_for_selector("[data-testid=report-status][data-status=ready]", timeout=10_000)
    # the township sees its own report only
    page.goto(live_server.url + "/reports/")
    rows = page.inner_text("[data-testid=reports]")
    assert "碧阳镇" in rows and "黟县安全生产治本攻坚" not in rows
    assert re.search(r"v1", rows)
