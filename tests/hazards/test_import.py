"""Excel import: template, dry run, row/column-precise errors, all-or-nothing."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from hazards.imports import ENTERPRISE_COLUMNS, HAZARD_COLUMNS, import_rows
from hazards.models import Enterprise, Hazard

from .factories import make_credit_code

pytestmark = pytest.mark.django_db


def _xlsx(columns, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([c for c, _f in columns])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _enterprise_row(code=None, township="碧阳镇", sectors="燃气安全"):
    return [
        "黟县某燃气站",
        code or make_credit_code(),
        township,
        sectors,
        "碧阳镇某路",
        "王某",
        "13800000000",
        "",
        "李某",
        "",
        "",
    ]


def test_template_downloads_with_chinese_headers(client, users):
    client.force_login(users["township"])
    r = client.get(reverse("hazards:import_template", args=["hazards"]))
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]][-1] == "整改期限"


def test_dry_run_saves_nothing(users):
    content = _xlsx(ENTERPRISE_COLUMNS, [_enterprise_row(), _enterprise_row()])
    result = import_rows(kind="enterprises", content=content, user=users["township"])
    assert result.ok and len(result.rows) == 2
    assert not Enterprise.objects.exists()


def test_enterprise_import_commits_all_rows(users):
    content = _xlsx(
        ENTERPRISE_COLUMNS, [_enterprise_row(), _enterprise_row(sectors="燃气安全、消防安全")]
    )
    result = import_rows(kind="enterprises", content=content, user=users["township"], commit=True)
    assert result.saved == 2
    assert Enterprise.objects.count() == 2


def test_bad_check_digit_is_refused_with_row_and_column(users):
    good = make_credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    content = _xlsx(ENTERPRISE_COLUMNS, [_enterprise_row(), _enterprise_row(code=bad)])
    result = import_rows(kind="enterprises", content=content, user=users["township"], commit=True)
    assert result.saved == 0
    assert not Enterprise.objects.exists()
    assert any(e.startswith("第 3 行，列“统一社会信用代码”") for e in result.errors), result.errors


def test_enterprise_outside_scope_is_refused(users):
    content = _xlsx(ENTERPRISE_COLUMNS, [_enterprise_row(township="宏村镇", sectors="消防安全")])
    result = import_rows(kind="enterprises", content=content, user=users["township"], commit=True)
    assert not result.ok and not Enterprise.objects.exists()
    assert "第 2 行，列“所属乡镇”" in result.errors[0]


def test_hazard_import_with_a_bad_date_saves_nothing(users, world):
    code = world["own"].credit_code
    rows = [
        [
            code,
            "燃气安全",
            "重大",
            "督导检查发现",
            datetime.datetime(2025, 3, 1),
            "检查组",
            "气瓶间",
            "未设置报警装置",
            "城镇燃气 第四条第（一）项",
            "2025-04-30",
        ]
        for _i in range(16)
    ]
    rows.append(
        [
            code,
            "燃气安全",
            "重大",
            "企业自查上报",
            "2025-03-02",
            "企业",
            "储罐区",
            "防雷检测过期",
            "城镇燃气 第四条第（一）项",
            "2025/05/01",
        ]
    )
    content = _xlsx(HAZARD_COLUMNS, rows)
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert result.saved == 0
    assert not Hazard.objects.exists()
    assert result.errors == ["第 18 行，列“整改期限”：日期格式应为 YYYY-MM-DD"]


def test_hazard_import_commits_and_numbers(users, world):
    code = world["own"].credit_code
    content = _xlsx(
        HAZARD_COLUMNS,
        [
            [
                code,
                "",
                "一般",
                "群众举报查实",
                "2025-03-01",
                "举报人",
                "后院",
                "杂物堵塞通道",
                "",
                "",
            ],
            [
                code,
                "燃气安全",
                "重大",
                "督导检查发现",
                "2024-11-11",
                "检查组",
                "气瓶间",
                "无报警",
                "城镇燃气 第四条第（一）项",
                "2025-01-31",
            ],
        ],
    )
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert result.saved == 2, result.errors
    h = Hazard.objects.get(found_on=datetime.date(2024, 11, 11))
    assert h.ledger_number == "YX-2024-0001" and h.rectification.deadline == datetime.date(
        2025, 1, 31
    )
    assert Hazard.objects.get(level="general").source == "tip_off"


def test_hazard_import_unknown_enterprise_and_missing_values(users, world):
    content = _xlsx(
        HAZARD_COLUMNS,
        [
            [
                world["other"].credit_code,
                "",
                "重大",
                "督导检查发现",
                "2025-03-01",
                "x",
                "y",
                "z",
                "",
                "",
            ],
            [world["own"].credit_code, "", "特大", "", "2025-03-01", "x", "y", "z", "", ""],
        ],
    )
    result = import_rows(kind="hazards", content=content, user=users["township"])
    assert any(e.startswith("第 2 行，列“统一社会信用代码”") for e in result.errors)
    assert any(e.startswith("第 3 行，列“隐患等级”") for e in result.errors)
    assert any(e.startswith("第 3 行，列“来源”") for e in result.errors)


def test_not_an_excel_file(users):
    result = import_rows(kind="hazards", content=b"hello", user=users["township"])
    assert not result.ok and result.errors


def test_import_page_dry_run_then_confirm(client, users):
    client.force_login(users["township"])
    content = _xlsx(ENTERPRISE_COLUMNS, [_enterprise_row()])
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("hazards:import", args=["enterprises"])
    r = client.post(url, {"file": SimpleUploadedFile("e.xlsx", content)})
    assert r.status_code == 200 and "import-ok" in r.content.decode()
    assert not Enterprise.objects.exists()
    r = client.post(url, {"confirm": "1"})
    assert r.status_code == 302
    assert Enterprise.objects.count() == 1


def test_import_page_shows_errors(client, users):
    client.force_login(users["township"])
    content = _xlsx(ENTERPRISE_COLUMNS, [_enterprise_row(code="123")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(
        reverse("hazards:import", args=["enterprises"]),
        {"file": SimpleUploadedFile("e.xlsx", content)},
    )
    html = r.content.decode()
    assert "第 2 行，列“统一社会信用代码”" in html and "confirm-import" not in html
