"""The shared Excel writer."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from yixian_safety.xlsx import xlsx_bytes


def test_text_that_looks_like_a_formula_stays_text():
    data = xlsx_bytes([("台账", ["描述"], [["=HYPERLINK(\"http://x\")"], ["+1"], ["-2"], ["@a"]])])
    ws = load_workbook(io.BytesIO(data)).active
    values = [ws.cell(row=r, column=1) for r in range(2, 6)]
    assert [c.value for c in values] == ["=HYPERLINK(\"http://x\")", "+1", "-2", "@a"]
    assert all(c.data_type == "s" and c.quotePrefix for c in values)


def test_dates_and_money_are_real_values():
    data = xlsx_bytes([("台账", ["发现日期", "资金（元）"],
                        [[datetime.date(2025, 3, 1), Decimal("12000.50")]])])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "发现日期"
    assert ws["A2"].value == datetime.datetime(2025, 3, 1)
    assert ws["A2"].is_date
    assert ws["B2"].value == 12000.5
