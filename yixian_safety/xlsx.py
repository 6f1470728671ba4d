"""Excel (.xlsx) writing shared by every app's exports: Chinese headers, real dates, safe text,
and sheets that read well when opened: bold frozen header, autofilter, column widths from the
content (CJK characters count double; sampled from the first rows, capped), dates
``yyyy-mm-dd``. Downloads carry an ASCII ``filename=`` beside the UTF-8 ``filename*=``.

openpyxl stores any string beginning with ``=`` as a formula; text beginning with ``= + - @``,
tab or CR is therefore forced to a text cell (``data_type = "s"`` and ``quotePrefix``), so a
hazard description such as ``=HYPERLINK(...)`` can never run in WPS or Excel.

Reading: :data:`XLSX_READ_ERRORS` is what openpyxl raises on a file that is not a readable
workbook, while opening it and while iterating its rows; every importer turns them into its own
“not an Excel .xlsx workbook” message.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from zipfile import BadZipFile

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# Not a ZIP (BadZipFile), a missing part (KeyError), broken XML (xml.etree's ParseError is a
# SyntaxError; defusedxml's refusals are ValueErrors), odd values (TypeError, IndexError).
XLSX_READ_ERRORS = (BadZipFile, OSError, KeyError, ValueError, TypeError, IndexError, SyntaxError)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(ws, value: Any) -> WriteOnlyCell:
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the Asia/Shanghai wall-clock time.
        value = (
            timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        )
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


WIDTH_SAMPLE_ROWS = 200  # column widths are measured on the header and the first rows
MAX_COLUMN_WIDTH = 60


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = str(value)
    longest = max(
        (
            len(line) + sum(1 for ch in line if ord(ch) > 0x2E80)
            for line in text.splitlines() or [""]
        ),
        default=0,
    )
    return longest


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """The workbook of :func:`xlsx_write` as bytes (small exports)."""
    buffer = io.BytesIO()
    xlsx_write(buffer, sheets)
    return buffer.getvalue()


def xlsx_write(target, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]):
    """Build a workbook into ``target`` (a path or binary file): ``sheets`` is a list of
    (sheet title, header row, data rows).

    Values: str, int, Decimal, date, aware datetime (written in Asia/Shanghai), None.
    Write-only mode: memory stays flat for big ledgers; only the first
    :data:`WIDTH_SAMPLE_ROWS` rows are held to measure the column widths.
    """
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        rows = iter(rows)
        sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
        for index, header in enumerate(headers, start=1):
            width = max(
                [_display_width(header)]
                + [_display_width(r[index - 1]) for r in sample if index - 1 < len(r)]
            )
            ws.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
        header_cells = []
        for h in headers:
            c = WriteOnlyCell(ws, value=str(h))
            c.font = Font(bold=True)
            header_cells.append(c)
        ws.freeze_panes = "A2"  # before the first row: write-only sheets stream their views first
        ws.append(header_cells)
        count = 0
        for row in itertools.chain(sample, rows):
            ws.append([_cell(ws, v) for v in row])
            count += 1
        if headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    wb.save(target)


def xlsx_streaming_response(
    filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> FileResponse:
    """A big export as an attachment streamed from a temporary file (deleted when the response
    is closed): openpyxl's write-only sheets keep the rows on disk, so neither the rows nor
    the .xlsx are ever whole in memory (100,000 ledger rows: issue 19)."""
    spool = tempfile.TemporaryFile()
    xlsx_write(spool, sheets)
    size = spool.tell()
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    response.headers["Content-Disposition"] = _content_disposition(filename)
    response.headers["Content-Length"] = str(size)
    return response


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    """An attachment response; ``filename`` may be Chinese (RFC 5987 encoding by Django)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response.headers["Content-Disposition"] = _content_disposition(filename)
    return response


def _content_disposition(filename: str) -> str:
    """``attachment; filename="<ASCII>"; filename*=UTF-8''<the real name>`` (RFC 6266): old
    clients and some mail gateways read only the ASCII one."""
    from urllib.parse import quote

    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ascii_stem = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9_.-]+", "-", stem)).strip("-._")
    fallback = (ascii_stem or "export") + (f".{ext}" if ext else "")
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename)}"
    return header


def xlsx_cell(ws, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """One write-only cell as :func:`xlsx_bytes` writes it (formula-safe text, real dates and
    numbers), optionally bold — for workbooks laid out by hand (e.g. the built reports)."""
    cell = _cell(ws, value)
    if bold:
        cell.font = Font(bold=True)
    return cell
