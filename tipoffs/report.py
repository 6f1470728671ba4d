"""The tip-off section of the quarterly and final reports (task 25): tip-offs received in the
period, verified, verified rate, rewards decided and paid (元), by township. Figures only; the
hub renders them. Never anything of a reporter's identity."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from campaigns.reports.registry import Section, SectionData, register_section

from .models import Outcome, Reward, TipOff


def tipoff_section(period, scope) -> SectionData:
    """``period``: a :class:`yixian_safety.periods.Period`; ``scope``: the user the report is
    for (``visible_to``)."""
    viewer = getattr(scope, "viewer", scope)  # a report's ReportScope, or a user
    tipoffs = TipOff.objects.visible_to(viewer).filter(
        received_at__date__gte=period.start, received_at__date__lte=period.end
    )
    agg = tipoffs.aggregate(
        total=Count("pk"),
        verified=Count("pk", filter=Q(outcome=Outcome.VERIFIED)),
        not_verified=Count("pk", filter=Q(outcome=Outcome.NOT_VERIFIED)),
    )
    if not agg["total"]:
        return SectionData(empty=True, note=_("No tip-off was received in this period."))
    rewards = (
        Reward.objects.visible_to(viewer)
        .filter(decided_on__gte=period.start, decided_on__lte=period.end)
        .aggregate(decided=Sum("amount"), paid=Sum("amount", filter=Q(paid_on__isnull=False)))
    )
    decided = agg["verified"] + agg["not_verified"]
    rate = f"{100 * agg['verified'] / decided:.1f}%" if decided else "—"
    rows = [
        [r["township__name"], r["total"], r["verified"]]
        for r in (
            tipoffs.order_by()
            .values("township__name", "township__order")
            .annotate(total=Count("pk"), verified=Count("pk", filter=Q(outcome=Outcome.VERIFIED)))
            .order_by("township__order")
        )
    ]
    return SectionData(
        figures=[
            (_("tip-offs"), agg["total"]),
            (pgettext("tip-off", "verified"), agg["verified"]),
            (_("verified rate"), rate),
            (_("decided (yuan)"), rewards["decided"] or Decimal(0)),
            (_("paid (yuan)"), rewards["paid"] or Decimal(0)),
        ],
        tables=[
            (
                _("by township"),
                [_("township"), _("tip-offs"), pgettext("tip-off", "verified")],
                rows,
            )
        ],
    )


register_section(
    Section(key="tipoffs", title=gettext_lazy("Tip-offs"), order=70, build=tipoff_section)
)
