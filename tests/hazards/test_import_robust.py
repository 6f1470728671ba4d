"""Import robustness (issue 15): absurd sheets are refused quickly, values not formulas are
read, Excel serial dates are accepted in any cell format, every unusable cell is reported."""

import datetime
import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from hazards.imports import HAZARD_COLUMNS, MAX_FILE_BYTES, import_rows
from hazards.models import Hazard

pytestmark = pytest.mark.django_db


def _xlsx(rows, columns=HAZARD_COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([c for c, _f in columns])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _patch_sheet(content: bytes, edit) -> bytes:
    """Rewrite the first worksheet's XML with ``edit(xml) -> xml`` (what a hostile or buggy
    producer might write)."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            dst.writestr(info.filename, data)
    return out.getvalue()


def _row(code, **over):
    values = dict(
        credit_code=code,
        sector="燃气安全",
        level="重大",
        source="督导检查发现",
        found_on="2025-03-01",
        found_by="检查组",
        location="气瓶间",
        description="未设置报警装置",
        criterion="城镇燃气 第七条第（一）项",
        deadline="2025-04-30",
    )
    values.update(over)
    return [values[f] for _c, f in HAZARD_COLUMNS]


def test_sheet_claiming_the_whole_grid_is_refused_at_once(users, world):
    content = _patch_sheet(
        _xlsx([_row(world["own"].credit_code)]),
        lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml),
    )
    assert len(content) < 10_000
    started = time.monotonic()
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert time.monotonic() - started < 5
    assert not result.ok and not Hazard.objects.exists()
    assert "XFD1048576" in result.errors[0] and "5000" in result.errors[0], result.errors


def test_a_far_away_cell_without_dimension_stops_the_read(users, world):
    """No <dimension>, but a cell at XFD1048576: openpyxl would pad a million rows of 16384
    cells; the read stops at the row limit instead."""

    def edit(xml):
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', "", xml)
        return xml.replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr">'
            "<is><t>x</t></is></c></row></sheetData>",
        )

    content = _patch_sheet(_xlsx([_row(world["own"].credit_code)]), edit)
    started = time.monotonic()
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert time.monotonic() - started < 10
    assert not result.ok and not Hazard.objects.exists()
    assert any("5000" in e for e in result.errors), result.errors


def test_zip_bomb_is_refused_before_parsing(users):
    """A small file whose worksheet unpacks to more than the limit is not parsed."""
    content = _patch_sheet(
        _xlsx([]),
        lambda xml: xml.replace("</sheetData>", "</sheetData>" + " " * (64 * 1024 * 1024)),
    )
    assert len(content) < 1024 * 1024
    started = time.monotonic()
    result = import_rows(kind="hazards", content=content, user=users["department"])
    assert time.monotonic() - started < 5
    assert not result.ok and "MB" in result.errors[0], result.errors


def test_oversized_upload_is_a_form_error(client, users):
    client.force_login(users["office"])
    r = client.post(
        reverse("hazards:import", args=["hazards"]),
        {"file": SimpleUploadedFile("big.xlsx", b"x" * (MAX_FILE_BYTES + 1))},
    )
    assert r.status_code == 200
    assert "MB" in r.content.decode() and "import-ok" not in r.content.decode()


def test_excel_serial_date_in_a_general_cell_is_a_date(users, world):
    # 45292 is 2024-01-01 in Excel's 1900 date system; 45351.0 is 2024-02-29.
    content = _xlsx([_row(world["own"].credit_code, found_on=45292, deadline=45351.0)])
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert result.saved == 1, result.errors
    hazard = Hazard.objects.get()
    assert hazard.found_on == datetime.date(2024, 1, 1)
    assert hazard.rectification.deadline == datetime.date(2024, 2, 29)


def test_real_date_cells_in_any_format_are_accepted(users, world):
    wb = Workbook()
    ws = wb.active
    ws.append([c for c, _f in HAZARD_COLUMNS])
    ws.append(
        _row(
            world["own"].credit_code,
            found_on=datetime.date(2024, 5, 6),
            deadline=datetime.datetime(2024, 6, 7, 0, 0),
        )
    )
    ws["E2"].number_format = 'yyyy"年"m"月"d"日"'
    ws["I2"].number_format = "General"
    buf = io.BytesIO()
    wb.save(buf)
    result = import_rows(
        kind="hazards", content=buf.getvalue(), user=users["department"], commit=True
    )
    assert result.saved == 1, result.errors
    assert Hazard.objects.get().rectification.deadline == datetime.date(2024, 6, 7)


@pytest.mark.parametrize("value", [0, -3, 1e-05, 10_000_000, 45292.5e10, True])
def test_numbers_outside_sane_dates_are_cell_errors(users, world, value):
    content = _xlsx([_row(world["own"].credit_code, deadline=value)])
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert not result.ok and not Hazard.objects.exists()
    assert len(result.errors) == 1 and result.errors[0].startswith("第 2 行，列“整改期限”"), (
        result.errors
    )


def test_formula_without_cached_value_is_an_error_of_that_cell(users, world):
    """openpyxl (and some tools) save formulas with no computed value: not an empty deadline."""
    content = _xlsx(
        [_row(world["own"].credit_code), _row(world["own"].credit_code, deadline="=TODAY()+30")]
    )
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert not Hazard.objects.exists()
    assert len(result.errors) == 1, result.errors
    assert result.errors[0].startswith("第 3 行，列“整改期限”") and "公式" in result.errors[0]


def test_formula_with_cached_value_imports_the_value(users, world):
    """What Excel writes: the formula and its last computed value; the value is imported."""
    from openpyxl.utils import get_column_letter

    cell = get_column_letter([f for _c, f in HAZARD_COLUMNS].index("deadline") + 1) + "2"

    def edit(xml):
        return re.sub(
            rf'<c r="{cell}"([^>]*)>.*?</c>',
            f'<c r="{cell}"><f>DATE(2025,4,30)</f><v>45777</v></c>',
            xml,
        )

    content = _patch_sheet(_xlsx([_row(world["own"].credit_code, deadline="x")]), edit)
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert result.saved == 1, result.errors
    assert Hazard.objects.get().rectification.deadline == datetime.date(2025, 4, 30)


def test_every_unusable_cell_is_reported(users, world):
    code = world["own"].credit_code
    content = _xlsx(
        [
            _row(code),
            _row(code, found_on=0, deadline="=A1"),
            _row(code, level="特大", found_on=datetime.time(8, 30)),
        ]
    )
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert not Hazard.objects.exists()
    starts = sorted(e.split("：")[0] for e in result.errors)
    assert starts == [
        "第 3 行，列“发现日期”",
        "第 3 行，列“整改期限”",
        "第 4 行，列“发现日期”",
        "第 4 行，列“隐患等级”",
    ], result.errors


def test_a_too_small_declared_range_still_reads_every_row(users, world):
    code = world["own"].credit_code
    content = _patch_sheet(
        _xlsx([_row(code), _row(code)]),
        lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1"/>', xml),
    )
    result = import_rows(kind="hazards", content=content, user=users["department"], commit=True)
    assert result.saved == 2, result.errors


def test_a_full_import_reads_quickly(users, world):
    """5,000 rows (the limit) are read and checked within a few seconds of parsing."""
    import hazards.imports as imports

    code = world["own"].credit_code
    content = _xlsx([_row(code) for _i in range(5000)])
    started = time.monotonic()
    wb, ws = imports._open_sheet(content, data_only=True)
    rows = sum(1 for _row_ in imports._sheet_rows(ws))
    wb.close()
    assert rows == 5001 and time.monotonic() - started < 10
    content = _xlsx([_row(code) for _i in range(5001)])
    result = import_rows(kind="hazards", content=content, user=users["department"])
    assert not result.ok and len(result.errors) == 1 and "5000" in result.errors[0]


def test_dry_run_queries_do_not_grow_with_rows(users, world, django_assert_max_num_queries):
    code = world["own"].credit_code
    small = _xlsx([_row(code)])
    import_rows(kind="hazards", content=small, user=users["department"])  # warm caches
    with django_assert_max_num_queries(6):
        result = import_rows(
            kind="hazards",
            content=_xlsx([_row(code) for _i in range(300)]),
            user=users["department"],
        )
    assert result.ok, result.errors[:3]


def test_the_read_stops_when_its_time_is_up(users, world, monkeypatch):
    import hazards.imports as imports

    monkeypatch.setattr(imports, "READ_SECONDS", -1)
    result = import_rows(
        kind="hazards",
        content=_xlsx([_row(world["own"].credit_code)]),
        user=users["department"],
        commit=True,
    )
    assert not result.ok and not Hazard.objects.exists()
    assert result.errors == ["读取文件超过 -1 秒；请拆分成较小的文件后分批导入。"]
