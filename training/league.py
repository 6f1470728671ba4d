"""League metric of the training app: evacuation drills held on schedule (task 22).

``drills_on_schedule(qs_of_units, kind, today)`` annotates townships (kind ``townships``: its
enterprises, 属地) or lead departments (``departments``: enterprises of the sectors it leads,
行业) with ``drills_on_schedule_num`` = enterprise-periods of this year met and
``drills_on_schedule_den`` = periods met or missed (a current period without a drill yet is not
counted against the unit). One correlated subquery per unit kind; computed in the database.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from campaigns.league.registry import Metric, register_metric
from hazards.models import Enterprise

from .selectors import DRILL_DUTY, duty_annotate

CODE = "drills_on_schedule"


def _unit_enterprises(kind: str) -> QuerySet:
    if kind == "townships":
        return Enterprise.objects.filter(township=OuterRef("pk"))
    led = Enterprise.sectors.through.objects.filter(
        enterprise_id=OuterRef("pk"), sector__lead_departments=OuterRef(OuterRef("pk"))
    )
    return Enterprise.objects.filter(Exists(led))


def drills_on_schedule(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Annotate ``drills_on_schedule_num`` / ``_den`` (integers) on the units of ``qs``."""
    ents = duty_annotate(_unit_enterprises(kind), DRILL_DUTY, year=today.year, today=today)
    # Sum over all rows of the subquery: group on a constant.
    totals = ents.order_by().annotate(_one=Value(1)).values("_one")
    num = totals.annotate(n=Sum("duty_met")).values("n")[:1]
    den = totals.annotate(n=Sum("duty_met") + Sum("duty_missed")).values("n")[:1]
    return qs.annotate(
        **{
            f"{CODE}_num": Coalesce(Subquery(num, output_field=IntegerField()), Value(0)),
            f"{CODE}_den": Coalesce(Subquery(den, output_field=IntegerField()), Value(0)),
        }
    )


register_metric(
    Metric(
        CODE,
        _("Evacuation drills on schedule"),
        _(
            "Enterprise-periods of this year with an evacuation drill, over those met or missed "
            "(yearly; half-yearly in high-risk sectors; task 22)."
        ),
        Decimal("5"),
        drills_on_schedule,
        order=60,
    )
)
