"""PDF documents of supervision, rendered by WeasyPrint from templates/enforcement/pdf/.

Official documents are in Chinese whatever the UI language; the CSS names the font explicitly
(``"Noto Sans CJK SC"``, also on the @page footer) so the CJK glyphs are embedded, never tofu.
Each renderer returns the PDF as bytes (one or two pages: fast enough to render on request).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from .models import EscalationStep, Listing, StepKind
from .workdays import min_working_days

STEP_TEXT = {
    StepKind.FORMAL_LETTER: (
        "关于督促加快重大事故隐患整改的函",
        "经统计分析，你单位重大事故隐患整改进展缓慢。根据《黟县安全生产治本攻坚三年行动实施方案"
        "（2024—2026 年）》任务 15 的要求，现予函告。",
        "请于收函之日起 10 个工作日内书面报告整改情况及下一步措施，并按期完成整改。",
    ),
    StepKind.CIRCULATED_NOTICE: (
        "关于重大事故隐患整改进展缓慢情况的通报",
        "经统计分析，下列单位重大事故隐患整改进展缓慢，函告后仍未有效整改，现予通报。",
        "请被通报单位深刻反思，立即落实整改责任和措施；各乡镇、各有关部门要引以为戒。",
    ),
    StepKind.SUMMONS_INTERVIEW: (
        "重大事故隐患整改约谈通知书",
        "因你单位重大事故隐患长期未按期整改，县安委会办公室决定对你单位主要负责人进行约谈。",
        "请你单位主要负责人按通知时间、地点参加约谈，并携带整改情况书面报告。",
    ),
    StepKind.PUBLIC_EXPOSURE: (
        "重大事故隐患整改不力单位曝光公告",
        "根据《黟县安全生产治本攻坚三年行动实施方案（2024—2026 年）》，对重大事故隐患整改不力、"
        "经函告通报约谈仍未整改到位的单位予以公开曝光。",
        "欢迎社会各界监督。发现重大事故隐患，请拨打安全生产举报电话 12350。",
    ),
}


def escalation_context(step: EscalationStep) -> dict:
    """What the document (PDF or the public notice page) says; from the approval snapshot."""
    title, opening, closing = STEP_TEXT[StepKind(step.kind)]
    return {
        "step": step,
        "snapshot": step.snapshot,
        "document_number": step.document_number,
        "title": title,
        "opening": opening,
        "closing": closing,
    }


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def listing_notice_pdf(listing: Listing) -> bytes:
    """督办通知书 with the listing's 文号 and the hazard's ledger number."""
    return _pdf(
        "enforcement/pdf/listing_notice.html",
        {
            "listing": listing,
            "hazard": listing.hazard,
            "document_number": listing.document_number,
            "min_days": min_working_days(),
        },
    )


def delisting_notice_pdf(listing: Listing) -> bytes:
    """摘牌通知 with the delisting 文号."""
    return _pdf(
        "enforcement/pdf/delisting_notice.html",
        {
            "listing": listing,
            "hazard": listing.hazard,
            "document_number": listing.delisting_document_number,
        },
    )


def escalation_pdf(step: EscalationStep) -> bytes:
    """函告 / 通报 / 约谈通知书 / 曝光公告 of an approved step."""
    return _pdf("enforcement/pdf/escalation.html", escalation_context(step))
