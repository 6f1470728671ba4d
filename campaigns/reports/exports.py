"""Renderers of a built report: the PDF (WeasyPrint, 公文 style, Chinese whatever the UI
language) and the Excel workbook (one sheet per section). Pure: sections in, bytes out.

The PDF names its font explicitly (``"Noto Sans CJK SC"``, also in the @page margin boxes that
carry 第 N 页 / 共 M 页) so CJK glyphs are embedded, never tofu; table headers are ``<thead>`` so
they repeat on every page; a table longer than :data:`MAX_TABLE_ROWS` is cut in the PDF (the
Excel has every row) — WeasyPrint costs ~10 ms a row. Charts are inline SVG drawn here.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from openpyxl import Workbook

from campaigns.reports.models import Report
from campaigns.reports.registry import MAX_TABLE_ROWS
from yixian_safety.xlsx import xlsx_cell

FONT = "Noto Sans CJK SC"
SERIES_COLOURS = ("#c0392b", "#2e86c1", "#27ae60", "#f39c12")


def display(value: Any) -> str:
    """A value as the PDF prints it: dates 2026-09-30, ratios with one decimal, "—" for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return f"{value:.1f}"
    return str(value)


def bar_chart_svg(chart: dict, *, width: int = 560, height: int = 220) -> str:
    """A grouped bar chart as SVG text: ``chart`` = {"title", "labels": [...], "series":
    [{"name", "values": [...]}]} (see :class:`~campaigns.reports.registry.SectionData`)."""
    labels = [str(label) for label in chart.get("labels", [])]
    series = chart.get("series", [])[: len(SERIES_COLOURS)]
    top = max([v or 0 for s in series for v in s.get("values", [])] + [1])
    left, bottom, legend = 40, 30, 22
    plot_w, plot_h = width - left - 10, height - bottom - legend - 10
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.7 / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="10">',
        f'<line x1="{left}" y1="{legend + plot_h}" x2="{width - 10}" '
        f'y2="{legend + plot_h}" stroke="#333"/>',
    ]
    for i, s in enumerate(series):
        colour = SERIES_COLOURS[i]
        parts.append(
            f'<rect x="{left + i * 90}" y="4" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + i * 90 + 14}" y="13">{escape(s.get("name", ""))}</text>'
        )
        for j, value in enumerate(s.get("values", [])[: len(labels)]):
            value = value or 0
            h = plot_h * value / top
            x = left + j * group_w + group_w * 0.15 + i * bar_w
            y = legend + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour}"/><text x="{x + bar_w / 2:.1f}" y="{y - 2:.1f}" '
                f'text-anchor="middle">{value}</text>'
            )
    for j, label in enumerate(labels):
        x = left + j * group_w + group_w / 2
        parts.append(
            f'<text x="{x:.1f}" y="{legend + plot_h + 16}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _pdf_sections(built) -> list[dict]:
    out = []
    for section in built:
        data = section.data
        tables = []
        for title, headers, rows in data.tables:
            tables.append(
                {
                    "title": title,
                    "headers": headers,
                    "rows": [[display(v) for v in row] for row in rows[:MAX_TABLE_ROWS]],
                    "cut": max(0, len(rows) - MAX_TABLE_ROWS),
                    "total": len(rows),
                }
            )
        out.append(
            {
                "key": section.key,
                "title": section.title,
                "empty": data.empty,
                "note": data.note,
                "figures": [(label, display(value)) for label, value in data.figures],
                "tables": tables,
                "charts": [
                    {"title": c.get("title", ""), "svg": mark_safe(bar_chart_svg(c))}  # noqa: S308 - escaped
                    for c in data.charts
                ],
            }
        )
    return out


def report_html(report: Report, built, *, built_at: datetime.datetime) -> str:
    """The report as HTML for WeasyPrint (Chinese, whatever the UI language)."""
    with translation.override("zh-hans"):
        return render_to_string(
            "campaigns/reports/pdf.html",
            {
                "report": report,
                "sections": _pdf_sections(built),
                "font": FONT,
                "built_at": timezone.localtime(built_at),
                "max_rows": MAX_TABLE_ROWS,
            },
        )


def report_pdf(report: Report, built, *, built_at: datetime.datetime) -> bytes:
    """The report's PDF as bytes."""
    from weasyprint import HTML

    return HTML(string=report_html(report, built, built_at=built_at)).write_pdf()


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _width(value: Any) -> int:
    text = display(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def report_xlsx(report: Report, built, *, built_at: datetime.datetime) -> bytes:
    """The workbook: a cover sheet (文号, title, scope, period, version, built at), then one
    sheet per section — its figures (项目 / 数值), then each table with its title and header.
    Real dates and numbers, formula-safe text, header row frozen, widths from the content."""
    wb = Workbook(write_only=True)
    used: set[str] = set()

    def sheet(title: str, rows: list[tuple[list[Any], bool]]):
        name = _SHEET_FORBIDDEN.sub("", title)[:28] or "Sheet"
        base, n = name, 2
        while name in used:
            name, n = f"{base[:26]}{n}", n + 1
        used.add(name)
        ws = wb.create_sheet(title=name)
        widths: dict[int, int] = {}
        for values, _bold in rows:
            for i, v in enumerate(values):
                widths[i] = max(widths.get(i, 8), min(_width(v) + 2, 60))
        from openpyxl.utils import get_column_letter

        for i, w in widths.items():
            ws.column_dimensions[get_column_letter(i + 1)].width = w
        ws.freeze_panes = "A2"
        for values, bold in rows:
            ws.append([xlsx_cell(ws, v, bold=bold) for v in values])

    sheet(
        "封面",
        [
            (["项目", "内容"], True),
            (["文号", report.document_number], False),
            (["标题", report.title], False),
            (["范围", report.scope_label], False),
            (["期间", report.period_label], False),
            (["版本", report.version], False),
            (["生成时间", built_at], False),
        ],
    )
    for section in built:
        data = section.data
        rows: list[tuple[list[Any], bool]] = [(["项目", "数值"], True)]
        if data.empty:
            rows.append(([data.note or "暂无数据"], False))
        for label, value in data.figures:
            rows.append(([label, value], False))
        for chart in data.charts:
            rows.append(([], False))
            rows.append(([chart.get("title", "")], True))
            rows.append((["", *chart.get("labels", [])], True))
            for s in chart.get("series", []):
                rows.append(([s.get("name", ""), *s.get("values", [])], False))
        for title, headers, table_rows in data.tables:
            rows.append(([], False))
            rows.append(([title], True))
            rows.append((list(headers), True))
            rows.extend((list(r), False) for r in table_rows)
        sheet(section.title, rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


XLSX_HEADERS = [
    "文号",
    "标题",
    "类型",
    "期间",
    "范围",
    "版本",
    "状态",
    "申请人",
    "申请时间",
    "生成时间",
    "PDF SHA-256",
    "Excel SHA-256",
    "下载次数",
]


def reports_list_xlsx(reports) -> bytes:
    """The archive list as a workbook (one row per report version)."""
    from yixian_safety.xlsx import xlsx_bytes

    rows = (
        [
            r.document_number,
            r.title,
            r.get_kind_display(),
            r.period,
            r.scope_label,
            r.version,
            r.get_status_display(),
            r.requested_by.get_full_name() or r.requested_by.username
            if r.requested_by
            else "定时任务",
            r.requested_at,
            r.built_at,
            r.pdf_sha256,
            r.xlsx_sha256,
            r.downloads,
        ]
        for r in reports
    )
    with translation.override("zh-hans"):
        return xlsx_bytes([("报告", XLSX_HEADERS, list(rows))])


OUTCOME_HEADERS = ["标题", "单位", "出台日期", "解决的问题", "文件", "登记人", "登记时间"]


def outcomes_xlsx(outcomes) -> bytes:
    """The 制度成果 list as a workbook."""
    from yixian_safety.xlsx import xlsx_bytes

    rows = [
        [
            o.title,
            str(o.unit),
            o.adopted_on,
            o.fixes,
            o.document_name,
            o.recorded_by.get_full_name() or o.recorded_by.username,
            o.recorded_at,
        ]
        for o in outcomes
    ]
    return xlsx_bytes([("制度成果", OUTCOME_HEADERS, rows)])
