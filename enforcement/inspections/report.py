"""Report section of enforcement (quarterly/final report, :mod:`campaigns.reports.registry`):
inspections, findings, 零处罚, enforcement actions and fines per department for the period,
and accidents and deaths (双下降). ``scope`` is the user the report is for (figures start from
``visible_to``)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.reports.registry import Section, SectionData, register_section

from .models import Accident, EnforcementAction, Inspection


def enforcement_section(period, scope) -> SectionData:
    """Figures of ``period`` (``start``/``end`` dates) for the user ``scope``. Three queries."""
    viewer = getattr(scope, "viewer", scope)  # a report's ReportScope, or a user
    start, end = period.start, period.end
    inspections = (
        Inspection.objects.visible_to(viewer)
        .done()
        .filter(inspected_on__gte=start, inspected_on__lte=end)
    )
    if (
        not inspections.exists()
        and not Accident.objects.visible_to(viewer)
        .filter(occurred_on__gte=start, occurred_on__lte=end)
        .exists()
    ):
        return SectionData(
            empty=True, note=_("No inspections or accidents recorded in this period.")
        )
    rows = {
        r["department__name"]: r
        for r in inspections.values("department__name")
        .annotate(
            n=Count("pk", distinct=True),
            f=Count("pk", filter=Q(has_findings=True), distinct=True),
            z=Count("pk", filter=Q(has_findings=True, actions__isnull=True), distinct=True),
        )
        .order_by()
    }
    acts = {
        r["department__name"]: r
        for r in EnforcementAction.objects.visible_to(viewer)
        .filter(decided_on__gte=start, decided_on__lte=end)
        .values("department__name")
        .annotate(
            n=Count("pk"),
            fines=Coalesce(Sum("fine_amount"), Decimal("0"))
            + Coalesce(Sum("person_fine_amount"), Decimal("0")),
        )
        .order_by()
    }
    table = []
    for name in sorted(set(rows) | set(acts)):
        r, a = rows.get(name, {}), acts.get(name, {})
        table.append(
            [
                name,
                r.get("n", 0),
                r.get("f", 0),
                r.get("z", 0),
                a.get("n", 0),
                a.get("fines", Decimal("0")),
            ]
        )
    accidents = (
        Accident.objects.visible_to(viewer)
        .filter(occurred_on__gte=start, occurred_on__lte=end)
        .aggregate(n=Count("pk"), d=Coalesce(Sum("deaths"), 0))
    )
    return SectionData(
        figures=[
            (_("inspections"), sum(r[1] for r in table)),
            (_("zero-penalty inspections"), sum(r[3] for r in table)),
            (_("enforcement actions"), sum(r[4] for r in table)),
            (_("fines (yuan)"), sum((r[5] for r in table), Decimal("0"))),
            (_("accidents"), accidents["n"]),
            (_("deaths"), accidents["d"]),
        ],
        tables=[
            (
                _("Enforcement by department"),
                [
                    _("department"),
                    _("inspections"),
                    _("with problems found"),
                    _("zero-penalty inspections"),
                    _("enforcement actions"),
                    _("fines (yuan)"),
                ],
                table,
            )
        ],
    )


register_section(
    Section(
        key="enforcement",
        title=gettext_lazy("Enforcement and accidents"),
        order=70,
        build=enforcement_section,
    )
)

__all__ = ["enforcement_section"]
