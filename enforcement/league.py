"""League metric of enforcement: inspections with findings that were followed up (a hazard
logged in the ledger or an enforcement action recorded), this calendar year.

Departments are scored on their own inspections (行业); townships on the inspections of their
enterprises (属地). Computed in the database (correlated counts).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.league.registry import Metric, register_metric
from campaigns.league.selectors import TOWNSHIPS
from yixian_safety.db import SubqueryCount

from .inspections.models import EnforcementAction, Inspection


def findings_followed_up(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet | None:
    """Inspections with findings this year followed up by a hazard or an action, over all
    inspections with findings this year. ``None`` until any inspection is recorded."""
    if not Inspection.objects.exists():
        return None
    unit = "enterprise__township" if kind == TOWNSHIPS else "department"
    mine = Inspection.objects.with_findings().filter(
        **{unit: OuterRef("pk")}, inspected_on__year=today.year, inspected_on__lte=today
    )
    followed = mine.filter(
        Q(hazards__isnull=False)
        | Exists(EnforcementAction.objects.filter(inspection=OuterRef("pk")))
    ).distinct()
    return qs.annotate(
        findings_followed_up_num=SubqueryCount(followed.values("pk")),
        findings_followed_up_den=SubqueryCount(mine.values("pk")),
    )


register_metric(
    Metric(
        "findings_followed_up",
        _("Inspection findings followed up"),
        _(
            "Inspections with problems found this year that led to a logged hazard or an "
            "enforcement action, over all inspections with problems found."
        ),
        Decimal("5"),
        findings_followed_up,
        order=70,
    )
)
