"""Excel renderers of the campaigns app (pure: rows in, bytes out; via yixian_safety.xlsx)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yixian_safety.xlsx import xlsx_bytes


def subplan_board_xlsx(rows) -> bytes:
    """The sub-plan board: one row per unit (and sub-plan)."""
    headers = [_("Unit"), _("Sub-plan"), _("sector"), _("status"), _("First submitted on"),
               _("Days late"), _("Last action"), _("Last action at"), _("By"), _("Versions")]
    data = []
    for r in rows:
        p = r.sub_plan
        data.append([str(r.unit), p.title if p else "", str(p.sector or "") if p else "",
                     r.status_label, p.first_submitted_on if p else None, r.days_late,
                     r.last_action_label, r.last_action_at, r.last_actor,
                     getattr(p, "version_count", None) if p else None])
    return xlsx_bytes([(_("Sub-plan board"), headers, data)])


def league_xlsx(tables: dict) -> bytes:
    """The league table: one sheet per kind (townships, departments) with every metric's
    numerator, denominator, value, weight and points."""
    sheets = []
    for title, rows in tables.items():
        metrics = rows[0].metrics if rows else []
        headers = [_("Rank"), _("Unit"), _("Score")]
        for m in metrics:
            headers += [f"{m.metric.label} · {_('achieved')}", f"{m.metric.label} · {_('owed')}",
                        f"{m.metric.label} · {_('weight')}", f"{m.metric.label} · {_('points')}"]
        data = []
        for row in rows:
            line = [row.rank, str(row.unit), row.score]
            for m in row.metrics:
                line += [m.num, m.den, float(m.weight), round(m.points, 1) if m.available else None]
            data.append(line)
        sheets.append((str(title), headers, data))
    return xlsx_bytes(sheets)
