"""Excel renderers (openpyxl via yixian_safety.xlsx: Chinese headers, real dates, safe text)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yixian_safety.dates import today_local
from yixian_safety.xlsx import xlsx_bytes


def hazards_xlsx(queryset) -> bytes:
    """The (filtered, scoped) ledger as one sheet; one row per hazard, in the queryset's order."""
    today = today_local()
    headers = [
        _("ledger number"),
        _("enterprise"),
        _("unified social credit code"),
        _("township"),
        _("sector"),
        _("supervising department"),
        _("level"),
        _("source"),
        _("found on"),
        _("found by"),
        _("location"),
        _("description"),
        _("judgement criterion"),
        _("status"),
        _("rectification deadline"),
        _("overdue"),
        _("responsible unit"),
        _("responsible person"),
        _("funds (yuan)"),
        _("closed at"),
    ]
    qs = queryset.select_related(
        "enterprise", "township", "sector", "supervising_department", "criterion", "rectification"
    )

    def rows():
        for h in qs.iterator(chunk_size=500):
            rect = getattr(h, "rectification", None)
            yield [
                h.ledger_number,
                h.enterprise.name,
                h.enterprise.credit_code,
                h.township.name,
                h.sector.name,
                h.supervising_department.name,
                h.get_level_display(),
                h.get_source_display(),
                h.found_on,
                h.found_by,
                h.location,
                h.description,
                str(h.criterion) if h.criterion else "",
                h.get_status_display(),
                rect.deadline if rect else None,
                _("yes") if h.is_overdue(today) else _("no"),
                rect.responsible_unit if rect else "",
                rect.responsible_person if rect else "",
                rect.funds if rect else None,
                h.closed_at,
            ]

    return xlsx_bytes([(_("Hazard ledger"), headers, rows())])


def enterprises_xlsx(queryset) -> bytes:
    headers = [
        _("name"),
        _("unified social credit code"),
        _("township"),
        _("sectors"),
        _("high-risk"),
        _("address"),
        _("principal"),
        _("principal phone"),
        _("actual controller"),
        _("actual controller phone"),
    ]
    qs = queryset.select_related("township").prefetch_related("sectors").with_high_risk()

    def rows():
        for e in qs:
            yield [
                e.name,
                e.credit_code,
                e.township.name,
                "、".join(s.name for s in e.sectors.all()),
                _("yes") if e.is_high_risk else _("no"),
                e.address,
                e.principal_name,
                e.principal_phone,
                e.controller_name,
                e.controller_phone,
            ]

    return xlsx_bytes([(_("Enterprises"), headers, rows())])
