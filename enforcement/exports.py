"""Excel renderers of the supervision lists (via yixian_safety.xlsx): one per list a user sees."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from yixian_safety.xlsx import xlsx_bytes

from .selectors import SlowProgress


def listings_xlsx(queryset, today: datetime.date) -> bytes:
    """Listings (already scoped, annotated ``with_report_figures(today)``)."""
    headers = [
        _("document number"),
        _("ledger number"),
        _("enterprise"),
        _("township"),
        _("sector"),
        _("listing body"),
        _("listing batch"),
        _("listed on"),
        _("required completion date"),
        _("rectification deadline"),
        _("responsible unit"),
        _("hazard status"),
        _("status"),
        _("missed quarterly reports"),
        _("closure signed off at"),
        _("delisted on"),
        _("delisting document number"),
    ]

    def rows():
        for li in queryset:
            h = li.hazard
            rect = getattr(h, "rectification", None)
            yield [
                li.document_number,
                h.ledger_number,
                h.enterprise.name,
                h.township.name,
                h.sector.name,
                li.get_listing_body_display(),
                li.batch,
                li.listed_on,
                li.required_completion,
                rect.deadline if rect else None,
                li.responsible_unit,
                h.get_status_display(),
                li.get_status_display(),
                li.missed_reports,
                li.signed_off_at,
                li.delisted_on,
                li.delisting_document_number,
            ]

    return xlsx_bytes([(_("Listed supervision"), headers, rows())])


def extensions_xlsx(queryset) -> bytes:
    headers = [
        _("ledger number"),
        _("enterprise"),
        _("township"),
        _("document number"),
        _("current deadline"),
        _("requested new deadline"),
        _("reason"),
        _("filed on"),
        _("working days before the deadline"),
        _("status"),
        _("requested by"),
        _("decided by"),
        _("decided at"),
        _("decision note"),
    ]

    def rows():
        for e in queryset:
            yield [
                e.hazard.ledger_number,
                e.hazard.enterprise.name,
                e.hazard.township.name,
                e.listing.document_number if e.listing else "",
                e.current_deadline,
                e.requested_deadline,
                e.reason,
                e.filed_on,
                e.working_days_before,
                e.get_status_display(),
                _name(e.requested_by),
                _name(e.decided_by),
                e.decided_at,
                e.decision_note,
            ]

    return xlsx_bytes([(_("Deadline extensions"), headers, rows())])


def escalations_xlsx(queryset) -> bytes:
    headers = [
        _("escalation measure"),
        _("target unit kind"),
        _("target unit"),
        _("grounds"),
        _("hazards concerned"),
        _("status"),
        _("proposed at"),
        _("decided by"),
        _("issued on"),
        _("document number"),
        _("decision note"),
    ]

    def rows():
        for s in queryset.prefetch_related("hazards"):
            yield [
                s.get_kind_display(),
                s.get_target_kind_display(),
                str(s.target),
                s.grounds,
                "、".join(h.ledger_number for h in s.hazards.all()),
                s.get_status_display(),
                s.proposed_at,
                _name(s.decided_by),
                s.issued_on,
                s.document_number,
                s.decision_note,
            ]

    return xlsx_bytes([(_("Escalation steps"), headers, rows())])


def slow_progress_xlsx(stats: SlowProgress) -> bytes:
    headers = [
        _("unit"),
        _("open major hazards"),
        _("overdue"),
        _("days overdue (max)"),
        _("days overdue (average)"),
        _("past their deadline"),
        _("missed quarterly reports"),
    ]

    def rows(items):
        for r in items:
            yield [
                r.label,
                r.open,
                r.overdue,
                r.max_days_overdue,
                r.avg_days_overdue,
                r.past_deadline,
                r.missed_reports,
            ]

    return xlsx_bytes(
        [
            (_("By township"), headers, rows(stats.by_township)),
            (_("By sector"), headers, rows(stats.by_sector)),
        ]
    )


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username
