"""The shared Excel writer."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from yixian_safety.xlsx import xlsx_bytes


def test_text_that_looks_like_a_formula_stays_text():
    data = xlsx_bytes([("台账", ["描述"], [['=HYPERLINK("http://x")'], ["+1"], ["-2"], ["@a"]])])
    ws = load_workbook(io.BytesIO(data)).active
    values = [ws.cell(row=r, column=1) for r in range(2, 6)]
    assert [c.value for c in values] == ['=HYPERLINK("http://x")', "+1", "-2", "@a"]
    assert all(c.data_type == "s" and c.quotePrefix for c in values)


def test_dates_and_money_are_real_values():
    data = xlsx_bytes(
        [("台账", ["发现日期", "资金（元）"], [[datetime.date(2025, 3, 1), Decimal("12000.50")]])]
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "发现日期"
    assert ws["A2"].value == datetime.datetime(2025, 3, 1)
    assert ws["A2"].is_date
    assert ws["B2"].value == 12000.5


def test_sheets_open_readable_widths_filter_frozen_header():
    data = xlsx_bytes(
        [
            (
                "台账",
                ["隐患编号", "描述"],
                [["YX-2026-0001", "未设置可燃气体报警装置，液化石油气瓶间"]] * 3,
            )
        ]
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:B4"
    assert ws.column_dimensions["A"].width >= len("YX-2026-0001")
    assert ws.column_dimensions["B"].width >= 2 * 18  # CJK characters are double width


def test_downloads_have_an_ascii_filename_beside_the_utf8_one():
    from yixian_safety.xlsx import xlsx_response

    header = xlsx_response("隐患台账-20261201.xlsx", b"x")["Content-Disposition"]
    assert 'filename="20261201.xlsx"' in header
    assert "filename*=UTF-8''" in header
