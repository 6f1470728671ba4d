"""Issue 11: built reports — sections from the registry, scoping, versions, the task through the
outbox, failure and retry, the PDF (CJK font embedded, page numbers) and the Excel workbook."""

from __future__ import annotations

import datetime
import io
import re
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import OutboxMessage, Township, User
from campaigns.reports import registry
from campaigns.reports.models import Report
from campaigns.reports.registry import Section, sections
from campaigns.reports.services import (
    period_parse,
    quarter_just_ended,
    report_build,
    report_request,
    report_retry,
    reports_sweep,
)

pytestmark = pytest.mark.django_db


def _request(user, *, kind="quarterly", period="2026-Q3", scope="county", callbacks=None):
    """Request a build; with ``callbacks`` (django_capture_on_commit_callbacks) the eager task
    runs as after a real commit."""
    if callbacks is None:
        return report_request(kind=kind, period_key=period, scope_key=scope, actor=user)
    with callbacks(execute=True):
        report = report_request(kind=kind, period_key=period, scope_key=scope, actor=user)
    report.refresh_from_db()
    return report


# --- the registry -------------------------------------------------------------------------


def test_every_app_registers_its_section():
    keys = [s.key for s in sections()]
    assert keys == [
        "targets",
        "progress",
        "hazards",
        "supervision",
        "subplans",
        "training",
        "enforcement",
        "league",
        "tipoffs",
        "outcomes",
    ]


def test_every_section_builds_for_the_county_and_a_township(users):
    from campaigns.reports.services import report_sections_build, scope_parse

    period = period_parse("quarterly", "2026-Q3")
    for scope_key in ("county", "township:biyang", "department:housing"):
        built = report_sections_build(period, scope_parse(scope_key))
        assert [b.key for b in built] == [s.key for s in sections()]
        for b in built:
            assert b.data.empty == (not (b.data.figures or b.data.tables)), b.key
            if b.data.empty:
                assert b.data.note, f"{b.key} is empty without saying so"


# --- requests, scoping, permissions --------------------------------------------------------


def test_request_creates_a_queued_report_and_enqueues_its_build_through_the_outbox(users):
    report = _request(users["office"])
    assert report.status == Report.Status.QUEUED
    assert report.version == 1 and report.document_number.startswith("黟安办〔")
    message = OutboxMessage.objects.get(task_name="campaigns.report_build")
    assert message.args == [report.pk]


def test_eager_build_after_commit_stores_pdf_and_excel_with_checksums(
    users, small_sections, django_capture_on_commit_callbacks
):
    import hashlib

    report = _request(users["office"], callbacks=django_capture_on_commit_callbacks)
    assert report.status == Report.Status.READY, report.error
    assert report.sections_done == report.sections_total == 2
    pdf = report.pdf.read()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == report.pdf_sha256
    assert hashlib.sha256(report.xlsx.read()).hexdigest() == report.xlsx_sha256
    assert report.built_at and report.requested_by == users["office"]


def test_building_again_makes_a_new_version_and_keeps_the_old_one(
    users, small_sections, django_capture_on_commit_callbacks
):
    first = _request(users["office"], callbacks=django_capture_on_commit_callbacks)
    second = _request(users["office"], callbacks=django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.document_number != second.document_number
    assert first.pdf.name != second.pdf.name
    assert first.pdf.read().startswith(b"%PDF-")  # version 1's file is still there
    assert list(Report.objects.latest_versions().values_list("pk", flat=True)) == [second.pk]


def test_a_ready_report_is_never_rebuilt_in_place(
    users, small_sections, django_capture_on_commit_callbacks
):
    report = _request(users["office"], callbacks=django_capture_on_commit_callbacks)
    sha = report.pdf_sha256
    report_build(report_id=report.pk)  # a redelivered task message
    report.refresh_from_db()
    assert report.pdf_sha256 == sha and report.version == 1


def test_township_builds_its_own_quarterly_report_but_not_the_county_or_another(users):
    own = _request(users["township"], scope="township:biyang")
    assert own.township.code == "biyang"
    with pytest.raises(PermissionDenied):
        _request(users["township"], scope="county")
    with pytest.raises(PermissionDenied):
        _request(users["township"], scope="township:hongcun")
    with pytest.raises(PermissionDenied):
        _request(users["township"], kind="final", scope="township:biyang")


def test_department_builds_its_own_department_report(users):
    report = _request(users["department"], scope="department:housing")
    assert report.department.code == "housing"
    with pytest.raises(PermissionDenied):
        _request(users["department"], scope="department:fire_rescue")


@pytest.mark.parametrize(
    "kind, period, field",
    [
        ("quarterly", "2026Q9", "period"),
        ("quarterly", "2027-Q1", "period"),
        ("quarterly", "2023-Q4", "period"),
        ("quarterly", "", "period"),
        ("monthly", "2026-11", "kind"),
    ],
)
def test_bad_periods_are_refused_with_a_message_on_the_field(users, kind, period, field):
    with pytest.raises(ValidationError) as exc:
        _request(users["office"], kind=kind, period=period)
    assert field in exc.value.message_dict
    assert not Report.objects.exists()


def test_unknown_scope_is_refused(users):
    with pytest.raises(ValidationError) as exc:
        _request(users["office"], scope="township:atlantis")
    assert "scope" in exc.value.message_dict


def test_a_future_quarter_is_refused(users, monkeypatch):
    monkeypatch.setattr("campaigns.reports.services.today_local", lambda: datetime.date(2026, 8, 1))
    with pytest.raises(ValidationError):
        period_parse("quarterly", "2026-Q4", today=datetime.date(2026, 8, 1))


def test_final_report_covers_the_whole_campaign(users):
    period = period_parse("final", "")
    assert (period.start, period.end, period.key) == (
        datetime.date(2024, 1, 1),
        datetime.date(2026, 12, 31),
        "final",
    )
    report = _request(users["office"], kind="final", period="")
    assert report.period == "final" and "总结评估报告" in report.title


def test_visibility_township_sees_its_own_office_sees_all(users):
    county = _request(users["office"])
    biyang = _request(users["office"], scope="township:biyang")
    hongcun = _request(users["office"], scope="township:hongcun")
    housing = _request(users["office"], scope="department:housing")
    visible = lambda u: set(Report.objects.visible_to(u).values_list("pk", flat=True))  # noqa: E731
    assert visible(users["office"]) == {county.pk, biyang.pk, hongcun.pk, housing.pk}
    assert visible(users["admin"]) == visible(users["office"])
    assert visible(users["township"]) == {biyang.pk}
    assert visible(users["department"]) == {housing.pk}
    assert visible(users["other_department"]) == set()


# --- failure, retry, sweep -----------------------------------------------------------------


def _boom(period, scope):
    raise RuntimeError("section exploded")


def test_a_failing_section_fails_the_report_which_can_be_retried(
    users, small_sections, monkeypatch, django_capture_on_commit_callbacks
):
    registry.SECTIONS["boom"] = Section("boom", "坏章节", 99, _boom)
    report = _request(users["office"], callbacks=django_capture_on_commit_callbacks)
    assert report.status == Report.Status.FAILED and "section exploded" in report.error
    assert not report.pdf and not report.xlsx
    del registry.SECTIONS["boom"]
    with django_capture_on_commit_callbacks(execute=True):
        report_retry(report=report, actor=users["office"])
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.version == 1


def test_retry_of_a_report_that_did_not_fail_is_refused(users):
    report = _request(users["office"])
    with pytest.raises(ValidationError):
        report_retry(report=report, actor=users["office"])


def test_sweep_marks_a_build_left_running_by_a_killed_worker_failed(users):
    from django.utils import timezone

    report = _request(users["office"])
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.BUILDING, started_at=timezone.now() - datetime.timedelta(hours=2)
    )
    fresh = _request(users["office"])
    Report.objects.filter(pk=fresh.pk).update(
        status=Report.Status.BUILDING, started_at=timezone.now()
    )
    assert reports_sweep() == 1
    report.refresh_from_db()
    fresh.refresh_from_db()
    assert report.status == Report.Status.FAILED and report.error
    assert fresh.status == Report.Status.BUILDING


# --- the files ------------------------------------------------------------------------------


def _pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_pdf_embeds_a_cjk_font_and_numbers_its_pages(
    users, small_sections, django_capture_on_commit_callbacks
):
    report = _request(users["office"], callbacks=django_capture_on_commit_callbacks)
    fonts = subprocess.run(
        ["pdffonts", report.pdf.path], check=True, capture_output=True, text=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
    text = _pdf_text(report.pdf.path)
    pages = len(re.findall(r"第\s*\d+\s*页\s*/\s*共\s*3\s*页", text))
    assert pages == 3, text  # cover, contents and two sections on 3 pages: every page numbered
    assert report.document_number in text
    assert "黟县安全生产委员会办公室" in text
    assert "示例章节" in text and "本范围暂无培训数据" in text  # an empty section says so
    assert "碧阳镇" in text


def test_excel_has_a_cover_and_one_sheet_per_section_with_safe_text(
    users, small_sections, django_capture_on_commit_callbacks
):
    report = _request(users["office"], callbacks=django_capture_on_commit_callbacks)
    wb = load_workbook(io.BytesIO(report.xlsx.read()))
    assert wb.sheetnames == ["封面", "示例章节", "培训"]
    ws = wb["示例章节"]
    assert ws.freeze_panes == "A2"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["碧阳镇", 3] in [v[:2] for v in values]
    formula = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert formula and formula[0].data_type == "s"
    assert wb["封面"]["B2"].value == report.document_number


def test_full_county_report_renders_every_section(users, django_capture_on_commit_callbacks):
    """The real sections end to end (the only full PDF of this suite: ~100 rows)."""
    report = _request(users["office"], callbacks=django_capture_on_commit_callbacks)
    assert report.status == Report.Status.READY, report.error
    text = _pdf_text(report.pdf.path)
    for heading in (
        "目标与时间节点",
        "八大行动和 30 项任务进展",
        "重大事故隐患",
        "挂牌督办、延期与升级措施",
        "子实施方案",
        "赛马排名",
    ):
        assert heading in text, heading
    wb = load_workbook(io.BytesIO(report.xlsx.read()), read_only=True)
    assert len(wb.sheetnames) == 1 + len(sections())


# --- schedule -------------------------------------------------------------------------------


def test_quarterly_schedule_is_stored_on_the_fifth_day_after_each_quarter():
    from django_celery_beat.models import PeriodicTask

    from campaigns.notifications.schedules import (
        REPORTS_SWEEP_TASK_NAME,
        REPORTS_TASK_NAME,
        schedules_setup,
    )

    schedules_setup()
    task = PeriodicTask.objects.get(name=REPORTS_TASK_NAME)
    assert task.task == "campaigns.reports_quarterly"
    assert (task.crontab.day_of_month, task.crontab.month_of_year) == ("5", "1,4,7,10")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert PeriodicTask.objects.get(name=REPORTS_SWEEP_TASK_NAME).task == "campaigns.reports_sweep"


def test_scheduled_run_requests_county_and_unit_reports_of_the_quarter_once(users):
    from campaigns.models import Department
    from campaigns.reports.services import reports_quarterly_schedule

    requested = reports_quarterly_schedule(today=datetime.date(2026, 10, 5))
    expected = 1 + Township.objects.count() + Department.objects.filter(is_lead=True).count()
    assert len(requested) == expected
    assert {r.period for r in requested} == {"2026-Q3"}
    assert all(r.requested_by is None for r in requested)
    assert reports_quarterly_schedule(today=datetime.date(2026, 10, 5)) == []


def test_quarter_just_ended():
    assert quarter_just_ended(datetime.date(2026, 1, 5)).key == "2025-Q4"
    assert quarter_just_ended(datetime.date(2026, 12, 1)).key == "2026-Q3"


def test_build_report_task_is_registered_with_celery():
    from yixian_safety.celery import app

    app.loader.import_default_modules()
    assert {
        "campaigns.report_build",
        "campaigns.reports_quarterly",
        "campaigns.reports_sweep",
    } <= set(app.tasks)


# --- pages and API --------------------------------------------------------------------------


def test_outsider_without_a_unit_gets_403_on_the_archive(users, client):
    nobody = User.objects.create_user(username="nobody", password="x", role="")
    client.force_login(nobody)
    assert client.get(reverse("campaigns:reports")).status_code == 403


def test_report_of_another_township_is_404_on_page_and_download(
    users, client, small_sections, django_capture_on_commit_callbacks
):
    other = _request(
        users["office"], scope="township:hongcun", callbacks=django_capture_on_commit_callbacks
    )
    client.force_login(users["township"])
    assert client.get(other.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("campaigns:report_download", args=[other.pk, "pdf"])).status_code == 404
    )
    assert client.get(f"/api/v1/reports/{other.pk}/").status_code == 404


def test_township_sees_its_final_report_but_may_not_rebuild_it(users, client):
    final = _request(users["office"], kind="final", period="", scope="township:biyang")
    client.force_login(users["township"])
    assert client.get(final.get_absolute_url()).status_code == 200
    assert client.post(reverse("campaigns:report_rebuild", args=[final.pk])).status_code == 403


def test_download_has_chinese_file_name_and_ascii_fallback_and_is_counted(
    users, client, small_sections, django_capture_on_commit_callbacks
):
    report = _request(users["office"], callbacks=django_capture_on_commit_callbacks)
    client.force_login(users["office"])
    response = client.get(reverse("campaigns:report_download", args=[report.pk, "xlsx"]))
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert 'filename="report-2026-Q3-county-v1.xlsx"' in disposition
    assert "filename*=UTF-8''" in disposition and "%E9%BB%9F" in disposition  # 黟
    b"".join(response.streaming_content)
    report.refresh_from_db()
    assert report.downloads == 1


def test_request_page_builds_and_redirects_to_the_report(users, client, small_sections):
    client.force_login(users["office"])
    assert client.get(reverse("campaigns:report_new")).status_code == 200
    response = client.post(
        reverse("campaigns:report_new"),
        {"kind": "quarterly", "period": "2026-Q3", "scope": "county"},
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    page = client.get(report.get_absolute_url())
    assert report.document_number in page.content.decode()


def test_township_request_form_offers_only_its_own_scope(users, client):
    client.force_login(users["township"])
    response = client.post(
        reverse("campaigns:report_new"),
        {"kind": "quarterly", "period": "2026-Q3", "scope": "county"},
    )
    assert response.status_code == 200 and not Report.objects.exists()
    assert "scope" in response.context["form"].errors


def test_archive_filters_and_exports(users, client):
    _request(users["office"])
    _request(users["office"], scope="township:biyang")
    client.force_login(users["office"])
    page = client.get(reverse("campaigns:reports"), {"scope_kind": "township"})
    assert [r.scope_key for r in page.context["reports"]] == ["township:biyang"]
    export = client.get(reverse("campaigns:reports_export"), {"scope_kind": "township"})
    wb = load_workbook(io.BytesIO(export.content))
    assert wb.active.max_row == 2 and wb.active["A1"].value == "文号"


def test_archive_list_query_count_does_not_grow_with_reports(
    users, client, django_assert_max_num_queries
):
    for key in ("county", "township:biyang", "township:hongcun", "department:housing"):
        _request(users["office"], scope=key)
    client.force_login(users["office"])
    with django_assert_max_num_queries(13):  # session, user, perms, nav, campaigns, scopes, list
        client.get(reverse("campaigns:reports"))


def test_api_lists_requests_and_downloads(
    users, client, small_sections, django_capture_on_commit_callbacks
):
    client.force_login(users["township"])
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/reports/",
            {"kind": "quarterly", "period": "2026-Q3", "scope": "township:biyang"},
            content_type="application/json",
        )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    detail = client.get(f"/api/v1/reports/{pk}/").json()
    assert detail["status"] == "ready" and detail["version"] == 1
    assert client.get("/api/v1/reports/").json()["count"] == 1
    download = client.get(f"/api/v1/reports/{pk}/download/pdf/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    refused = client.post(
        "/api/v1/reports/",
        {"kind": "quarterly", "period": "2026-Q3", "scope": "county"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    bad = client.post(
        "/api/v1/reports/",
        {"kind": "quarterly", "period": "2030-Q1", "scope": "township:biyang"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "period" in bad.json()
    assert (
        client.post(
            "/api/v1/reports/",
            {
                "kind": "quarterly",
                "period": "2026-Q3",
                "scope": "township:biyang",
                "status": "ready",
            },
            content_type="application/json",
        ).status_code
        == 201
    )


def test_nav_has_the_reports_entry(users, client):
    client.force_login(users["township"])
    page = client.get(reverse("campaigns:reports"))
    assert any(item["url"] == reverse("campaigns:reports") for item in page.context["nav_items"])


def test_demo_builds_one_quarterly_report(users, monkeypatch, small_sections):
    from campaigns.reports import demo

    Report.objects.all().delete()
    result = demo.build(rng=None)
    report = Report.objects.get()
    assert report.status == Report.Status.READY and report.period == "2026-Q3"
    assert report.document_number in result
    assert demo.build(rng=None) == ""


def test_role_less_user_has_no_scope_for_requests(users):
    nobody = User.objects.create_user(username="nobody2", password="x", role="")
    with pytest.raises(PermissionDenied):
        _request(nobody)
    assert not Report.objects.exists()


def test_build_report_command_prints_the_stored_paths(users, small_sections, capsys):
    from django.core.management import call_command

    call_command("build_report", "--period", "2026Q3", "--scope", "township:biyang")
    pdf_path, xlsx_path = capsys.readouterr().out.split()
    report = Report.objects.get()
    assert (report.pdf.path, report.xlsx.path) == (pdf_path, xlsx_path)
    assert open(pdf_path, "rb").read(5) == b"%PDF-"


def test_build_report_command_refuses_a_bad_period(users):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("build_report", "--period", "2031Q1")


def test_township_form_does_not_offer_the_final_report(users, client):
    client.force_login(users["township"])
    form = client.get(reverse("campaigns:report_new")).context["form"]
    assert [k for k, _label in form.fields["kind"].choices] == ["quarterly"]
    assert [k for k, _label in form.fields["scope"].choices] == ["township:biyang"]


def test_the_archive_filter_labels_every_field(client, users):
    client.force_login(users["office"])
    html = client.get("/reports/").content.decode()
    assert "[invalid name]" not in html and "仅最新版本" in html
    assert "[invalid name]" not in client.get("/outcomes/").content.decode()
