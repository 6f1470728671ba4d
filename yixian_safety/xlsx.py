"""Excel (.xlsx) writing shared by every app's exports: Chinese headers, real dates, safe text.

openpyxl stores any string beginning with ``=`` as a formula; text beginning with ``= + - @``,
tab or CR is therefore forced to a text cell (``data_type = "s"`` and ``quotePrefix``), so a
hazard description such as ``=HYPERLINK(...)`` can never run in WPS or Excel.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(ws, value: Any) -> WriteOnlyCell:
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the Asia/Shanghai wall-clock time.
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, Decimal):
        cell.number_format = "#,##0.00"
    return cell


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """Build a workbook: ``sheets`` is a list of (sheet title, header row, data rows).

    Values: str, int, Decimal, date, aware datetime (written in Asia/Shanghai), None.
    Returns the .xlsx file as bytes (write-only mode: memory stays flat for big ledgers).
    """
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        header_cells = []
        for h in headers:
            c = WriteOnlyCell(ws, value=str(h))
            c.font = Font(bold=True)
            header_cells.append(c)
        ws.append(header_cells)
        ws.freeze_panes = "A2"
        for row in rows:
            ws.append([_cell(ws, v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    """An attachment response; ``filename`` may be Chinese (RFC 5987 encoding by Django)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response.headers["Content-Disposition"] = _content_disposition(filename)
    return response


def _content_disposition(filename: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(as_attachment=True, filename=filename)


def xlsx_cell(ws, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """One write-only cell as :func:`xlsx_bytes` writes it (formula-safe text, real dates and
    numbers), optionally bold — for workbooks laid out by hand (e.g. the built reports)."""
    cell = _cell(ws, value)
    if bold:
        cell.font = Font(bold=True)
    return cell
