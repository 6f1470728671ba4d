"""Supervision's section of the quarterly and final reports (registry:
:mod:`campaigns.reports.registry`): listed hazards (挂牌督办) and their quarterly progress
reports, extensions (延期) and escalation steps (函告 / 通报 / 约谈 / 曝光) of the period, read
through ``visible_to(scope.viewer)`` as the supervision pages read them.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from campaigns.reports.registry import Section, SectionData, register_section

from .models import EscalationStep, ExtensionRequest, Listing, StepKind


def supervision_section(period, scope) -> SectionData:
    """Listings active in the period (listed, delisted, progress reports filed / missed),
    extensions filed and decided, escalation steps approved — figures and the listing table."""
    as_of = scope.as_of(period)
    viewer = scope.viewer
    listings = (
        Listing.objects.visible_to(viewer)
        .filter(listed_on__lte=as_of)
        .filter(Q(delisted_on__isnull=True) | Q(delisted_on__gte=period.start))
    )
    extensions = ExtensionRequest.objects.visible_to(viewer).filter(
        filed_on__gte=period.start, filed_on__lte=as_of
    )
    steps = EscalationStep.objects.visible_to(viewer).filter(
        status=EscalationStep.Status.APPROVED, issued_on__gte=period.start, issued_on__lte=as_of
    )
    if not (listings.exists() or extensions.exists() or steps.exists()):
        return SectionData(empty=True, note="本期无挂牌督办、延期申请或升级措施。")
    listing_rows = []
    for listing in listings.with_report_figures(as_of).for_list().order_by("listed_on", "pk"):
        hazard = listing.hazard
        listing_rows.append(
            [
                listing.document_number,
                hazard.ledger_number,
                hazard.enterprise.name,
                hazard.township.name,
                listing.listed_on,
                listing.required_completion,
                listing.get_status_display(),
                listing.delisted_on,
                listing.filed_reports,
                listing.missed_reports,
            ]
        )
    ext = extensions.aggregate(
        filed=Count("pk"),
        approved=Count("pk", filter=Q(status=ExtensionRequest.Status.APPROVED)),
        refused=Count("pk", filter=Q(status=ExtensionRequest.Status.REFUSED)),
        pending=Count("pk", filter=Q(status=ExtensionRequest.Status.REQUESTED)),
    )
    by_kind = dict(steps.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return SectionData(
        figures=[
            ("挂牌督办隐患", len(listing_rows)),
            ("本期摘牌", sum(1 for r in listing_rows if r[7] and r[7] >= period.start)),
            ("季度进展报告已报", sum(r[8] for r in listing_rows)),
            ("季度进展报告缺报", sum(r[9] for r in listing_rows)),
            ("延期申请", ext["filed"]),
            ("批准延期", ext["approved"]),
            ("不予延期", ext["refused"]),
            ("待审批", ext["pending"]),
        ]
        + [(str(kind.label), by_kind.get(kind.value, 0)) for kind in StepKind],
        tables=[
            (
                "挂牌督办",
                [
                    "督办文号",
                    "台账编号",
                    "生产经营单位",
                    "乡镇",
                    "挂牌日期",
                    "要求完成日期",
                    "状态",
                    "摘牌日期",
                    "季度报告已报",
                    "季度报告缺报",
                ],
                listing_rows,
            )
        ],
        note=f"统计期间 {period.start:%Y-%m-%d} 至 {as_of:%Y-%m-%d}。",
    )


register_section(
    Section(
        "supervision", _("Listed supervision, extensions and escalation"), 40, supervision_section
    )
)

# the enforcement work's section (inspections, actions, 零处罚, accidents)
from .inspections import report as _inspections_report  # noqa: E402,F401
