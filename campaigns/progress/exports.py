"""Excel renderers of task progress (pure: rows in, bytes out; via yixian_safety.xlsx)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from campaigns.progress.selectors import NotSubmitted, not_submitted_by_unit
from yixian_safety.periods import period_label
from yixian_safety.xlsx import xlsx_bytes


def not_submitted_xlsx(rows: list[NotSubmitted], *, today: datetime.date) -> bytes:
    """The not-submitted list: one row per (task, unit, period) owed and not sent, with the
    due date and whether it is overdue on ``today``; a second sheet groups them per unit (the
    reminders' grain: one reminder per unit and period)."""
    overdue, pending = _("overdue"), _("not due yet")
    detail = [
        [
            r.task.number,
            r.task.title,
            str(r.unit),
            _("township") if r.unit_kind == "t" else _("department"),
            period_label(r.period.key),
            r.due_on,
            overdue if r.due_on < today else pending,
        ]
        for r in rows
    ]
    grouped = [
        [
            str(g["unit"]),
            period_label(g["period"].key),
            g["due_on"],
            len(g["tasks"]),
            "、".join(str(t.number) for t in g["tasks"]),
        ]
        for g in not_submitted_by_unit(rows)
    ]
    return xlsx_bytes(
        [
            (
                _("Not submitted"),
                [
                    _("Task"),
                    _("title"),
                    _("Unit"),
                    _("kind"),
                    _("period"),
                    _("Due on"),
                    _("status"),
                ],
                detail,
            ),
            (
                _("By unit"),
                [_("Unit"), _("period"), _("Due on"), _("Reports missing"), _("Tasks")],
                grouped,
            ),
        ]
    )
