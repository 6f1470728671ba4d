"""Excel renderers of the campaigns app (pure: rows in, bytes out; via yixian_safety.xlsx)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yixian_safety.xlsx import xlsx_bytes


def subplan_board_xlsx(rows) -> bytes:
    """The sub-plan board: one row per unit (and sub-plan)."""
    headers = [
        _("Unit"),
        _("Sub-plan"),
        _("sector"),
        _("status"),
        _("First submitted on"),
        _("Days late"),
        _("Last action"),
        _("Last action at"),
        _("By"),
        _("Versions"),
    ]
    data = []
    for r in rows:
        p = r.sub_plan
        data.append(
            [
                str(r.unit),
                p.title if p else "",
                str(p.sector or "") if p else "",
                r.status_label,
                p.first_submitted_on if p else None,
                r.days_late,
                r.last_action_label,
                r.last_action_at,
                r.last_actor,
                p.version_count if p else None,
            ]
        )
    return xlsx_bytes([(_("Sub-plan board"), headers, data)])
