"""Excel renderers of the enforcement lists (via yixian_safety.xlsx), one per list a user sees.

Each list has one column spec (:data:`COLUMNS`): the header and the value of a row. The Excel
file and the list page use the same spec, so the page shows what the export contains. Amounts
stay Decimal (元) in the workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yixian_safety.xlsx import xlsx_bytes

from .selectors import Statistics


def _name(user) -> str:
    return "" if user is None else (user.get_full_name() or user.username)


def _names(users) -> str:
    return "、".join(_name(u) for u in users)


L = gettext_lazy
Column = tuple[Any, Callable[[Any], Any]]

INSPECTION_COLUMNS: list[Column] = [
    (L("inspection date"), lambda i: i.inspected_on),
    (L("department"), lambda i: i.department.name),
    (L("enterprise"), lambda i: i.enterprise.name),
    (L("township"), lambda i: i.enterprise.township.name),
    (L("method"), lambda i: i.get_method_display()),
    (L("status"), lambda i: i.get_status_display()),
    (L("inspectors"), lambda i: _names(i.inspectors.all())),
    (L("problems found"), lambda i: _("yes") if i.has_findings else _("no")),
    (L("findings"), lambda i: i.findings),
    (L("double-random draw"), lambda i: i.draw.title if i.draw_id else ""),
]

DRAW_COLUMNS: list[Column] = [
    (L("title"), lambda d: d.title),
    (L("department"), lambda d: d.department.name),
    (L("drawn at"), lambda d: d.drawn_at),
    (L("drawn by"), lambda d: _name(d.drawn_by)),
    (L("planned inspection date"), lambda d: d.planned_on),
    (L("enterprise pool (ids)"), lambda d: len(d.pool_ids)),
    (L("enterprises to draw"), lambda d: d.enterprise_count),
    (L("inspectors per enterprise"), lambda d: d.inspector_count),
    (L("random seed"), lambda d: str(d.seed)),
    (L("published at"), lambda d: d.published_at),
]

ACTION_COLUMNS: list[Column] = [
    (L("decision number"), lambda a: a.decision_number),
    (L("decision date"), lambda a: a.decided_on),
    (L("department"), lambda a: a.department.name),
    (L("enterprise"), lambda a: a.enterprise.name),
    (L("measure"), lambda a: a.get_kind_display()),
    (L("fine on the enterprise (yuan)"), lambda a: a.fine_amount),
    (L("responsible person"), lambda a: a.responsible_person),
    (L("fine on the responsible person (yuan)"), lambda a: a.person_fine_amount),
    (L("illegal gains confiscated (yuan)"), lambda a: a.confiscated_amount),
    (L("legal basis"), lambda a: a.legal_basis),
    (L("inspection"), lambda a: str(a.inspection) if a.inspection_id else ""),
    (L("referred for prosecution"), lambda a: a.referred_on if a.referred_for_prosecution else ""),
]

EXPERT_COLUMNS: list[Column] = [
    (L("name"), lambda e: e.name),
    (L("professional title"), lambda e: e.title),
    (L("specialities"), lambda e: e.specialities),
    (L("sectors"), lambda e: "、".join(s.name for s in e.sectors.all())),
    (L("employer"), lambda e: e.employer_name),
    (L("phone"), lambda e: e.phone),
    (L("available"), lambda e: _("yes") if e.available else _("no")),
]

TIE_COLUMNS: list[Column] = [
    (L("inspector"), lambda t: _name(t.person)),
    (L("expert"), lambda t: t.expert.name if t.expert_id else ""),
    (L("enterprise"), lambda t: t.enterprise.name),
    (L("reason"), lambda t: t.reason),
    (L("recorded by"), lambda t: _name(t.recorded_by)),
    (L("recorded at"), lambda t: t.recorded_at),
]

ACCIDENT_COLUMNS: list[Column] = [
    (L("date of the accident"), lambda a: a.occurred_on),
    (L("summary"), lambda a: a.summary),
    (L("township"), lambda a: a.township.name),
    (L("sector"), lambda a: a.sector.name),
    (L("enterprise"), lambda a: a.enterprise.name if a.enterprise_id else ""),
    (L("grade"), lambda a: a.get_grade_display()),
    (L("deaths"), lambda a: a.deaths),
    (L("serious injuries"), lambda a: a.serious_injuries),
    (L("direct economic loss (yuan)"), lambda a: a.direct_loss),
    (L("investigation"), lambda a: a.get_investigation_status_display()),
]


def rows_xlsx(title: str, columns: list[Column], queryset) -> bytes:
    """One sheet: the column headers, one row per record of ``queryset`` (already scoped)."""
    headers = [str(h) for h, _f in columns]
    return xlsx_bytes([(title, headers, ([f(obj) for _h, f in columns] for obj in queryset))])


def statistics_xlsx(stats: Statistics) -> bytes:
    headers = [
        _("department"),
        _("inspections"),
        _("enterprises inspected"),
        _("with problems found"),
        _("hazards raised"),
        _("zero-penalty inspections"),
        _("enforcement actions"),
        _("fines (yuan)"),
        _("inspecting without penalising"),
    ]

    def rows():
        for r in stats.rows:
            yield [
                r.department.name,
                r.inspections,
                r.enterprises,
                r.with_findings,
                r.hazards,
                r.zero_penalty,
                r.actions,
                r.fines,
                _("yes") if r.flagged else "",
            ]
        t = stats.totals
        yield [
            _("total"),
            t.inspections,
            t.enterprises,
            t.with_findings,
            t.hazards,
            t.zero_penalty,
            t.actions,
            t.fines,
            "",
        ]

    return xlsx_bytes([(_("Enforcement statistics"), headers, rows())])
