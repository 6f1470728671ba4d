"""Enforcement figures of the dashboard (registered from ``enforcement/dashboard.py``): this
year's inspections, those with findings, 零处罚 inspections, enforcement actions, fines, planned
inspections overdue, and the "双下降" accident figures beside the hazard targets.

Each figure is one database aggregate over what ``user`` may see, and links to the list
filtered to exactly those rows. Four queries.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from hazards.dashboard import Figure

from .models import EnforcementAction, Inspection
from .selectors import double_decline, list_url

CAMPAIGN_YEARS = (2023, 2024, 2025, 2026)


def enforcement_figures(user, *, today: datetime.date) -> dict:
    """``{"figures": [Figure…], "fines": Decimal, "fines_url": str, "years": [YearAccidents]}``."""
    start, end = datetime.date(today.year, 1, 1), today
    span = {"inspected_from": start.isoformat(), "inspected_to": end.isoformat()}
    visible = Inspection.objects.visible_to(user)
    year = visible.filter(inspected_on__gte=start, inspected_on__lte=end)
    counts = year.aggregate(
        done=Count("pk", filter=Q(status=Inspection.Status.DONE)),
        findings=Count("pk", filter=Q(status=Inspection.Status.DONE, has_findings=True)),
    )
    zero = year.zero_penalty().count()
    overdue = visible.overdue_planned(today).count()
    acts = (
        EnforcementAction.objects.visible_to(user)
        .filter(decided_on__gte=start, decided_on__lte=end)
        .aggregate(
            n=Count("pk"),
            fines=Coalesce(Sum("fine_amount"), Decimal("0"))
            + Coalesce(Sum("person_fine_amount"), Decimal("0")),
        )
    )
    decided = {"decided_from": start.isoformat(), "decided_to": end.isoformat()}
    years = tuple(y for y in CAMPAIGN_YEARS if y <= today.year) or (today.year,)
    return {
        "figures": [
            Figure(
                _("inspections this year"),
                counts["done"],
                list_url("enforcement:inspection_list", status="done", **span),
            ),
            Figure(
                _("with problems found"),
                counts["findings"],
                list_url("enforcement:inspection_list", status="done", findings=1, **span),
            ),
            Figure(
                _("zero-penalty inspections"),
                zero,
                list_url("enforcement:inspection_list", zero_penalty=1, **span),
            ),
            Figure(
                _("enforcement actions this year"),
                acts["n"],
                list_url("enforcement:action_list", **decided),
            ),
            Figure(
                _("planned inspections overdue"),
                overdue,
                list_url(
                    "enforcement:inspection_list",
                    status="planned",
                    inspected_to=(today - datetime.timedelta(days=1)).isoformat(),
                ),
            ),
        ],
        "fines": acts["fines"],
        "fines_url": list_url("enforcement:action_list", **decided),
        "years": double_decline(user, years=years),
    }
