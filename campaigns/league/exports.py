"""Excel renderers of the campaigns app (pure: rows in, bytes out; via yixian_safety.xlsx)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yixian_safety.xlsx import xlsx_bytes


def league_xlsx(tables: dict) -> bytes:
    """The league table: one sheet per kind (townships, departments) with every metric's
    numerator, denominator, value, weight and points."""
    sheets = []
    for title, rows in tables.items():
        metrics = rows[0].metrics if rows else []
        headers = [_("Rank"), _("Unit"), _("Score")]
        for m in metrics:
            headers += [
                f"{m.metric.label} · {_('achieved')}",
                f"{m.metric.label} · {_('owed')}",
                f"{m.metric.label} · {_('weight')}",
                f"{m.metric.label} · {_('points')}",
            ]
        data = []
        for row in rows:
            line = [row.rank, str(row.unit), row.score]
            for m in row.metrics:
                line += [m.num, m.den, float(m.weight), round(m.points, 1) if m.available else None]
            data.append(line)
        sheets.append((str(title), headers, data))
    return xlsx_bytes(sheets)
