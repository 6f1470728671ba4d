"""League metric of the training app: evacuation drills held on schedule (task 22).

``drills_on_schedule(qs_of_units, kind, today)`` annotates townships (kind ``townships``: its
enterprises, 属地) or lead departments (``departments``: enterprises of the sectors it leads,
行业) with ``drills_on_schedule_num`` = enterprise-periods of this year met and
``drills_on_schedule_den`` = periods met or missed (a current period without a drill yet is not
counted against the unit). Grouped per unit kind in three queries (issue 19).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from campaigns.league.registry import Metric, register_metric
from hazards.models import Enterprise

from .models import Drill
from .selectors import DRILL_DUTY, duty_annotate, started_periods

CODE = "drills_on_schedule"


def _unit_enterprises(kind: str) -> QuerySet:
    if kind == "townships":
        return Enterprise.objects.filter(township=OuterRef("pk"))
    led = Enterprise.sectors.through.objects.filter(
        enterprise_id=OuterRef("pk"), sector__lead_departments=OuterRef(OuterRef("pk"))
    )
    return Enterprise.objects.filter(Exists(led))


def drills_on_schedule_correlated(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """The definition, one correlated sum over the unit's enterprises per unit (kept as the
    reference the grouped :func:`drills_on_schedule` is tested against; 15.6 s for the lead
    departments at 100,000 enterprises, issue 19)."""
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


def _ended(frequency: str, today: datetime.date) -> int:
    return len([p for p in started_periods(today.year, frequency, today) if p.end < today])


def drills_on_schedule(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Annotate ``drills_on_schedule_num`` / ``_den`` (integers) on the units of ``qs``.

    Grouped, not correlated per unit (issue 19): an enterprise without a drill this year has
    met 0 and missed every ended period of its frequency (yearly, or half-yearly when
    high-risk), so only the enterprises with a drill this year go through
    :func:`duty_annotate`; the others are counted per unit and high-risk flag. Three queries
    (enterprises per unit and flag, the enterprises with drills, their units); values equal
    :func:`drills_on_schedule_correlated`."""
    from django.db.models import Count, Q

    from hazards.league import _constant_per_unit
    from hazards.models import Enterprise

    year = today.year
    through = Enterprise.sectors.through
    high_risk = Exists(
        through.objects.filter(enterprise_id=OuterRef("enterprise_id"), sector__high_risk=True)
    )
    ended = {
        False: _ended(DRILL_DUTY.frequency, today),
        True: _ended(DRILL_DUTY.high_risk_frequency, today),
    }
    drilled = Exists(
        Drill.objects.filter(
            enterprise_id=OuterRef("pk"),
            held_on__gte=datetime.date(year, 1, 1),
            held_on__lte=datetime.date(year, 12, 31),
        )
    )
    # every enterprise of a unit: {(unit pk, high-risk): enterprises}
    if kind == "townships":
        counts = (
            Enterprise.objects.with_high_risk()
            .order_by()
            .values_list("township_id", "is_high_risk")
            .annotate(n=Count("pk"))
        )
    else:  # an enterprise counts once for a department leading several of its sectors
        counts = (
            through.objects.filter(sector__lead_departments__isnull=False)
            .annotate(hr=high_risk)
            .order_by()
            .values_list("sector__lead_departments", "hr")
            .annotate(n=Count("enterprise_id", distinct=True))
        )
    den: dict[int, int] = {}
    for unit, hr, n in counts:
        den[unit] = den.get(unit, 0) + n * ended[bool(hr)]
    num: dict[int, int] = {}
    # the enterprises with a drill this year: their own periods instead of "all missed"
    rows = list(
        duty_annotate(Enterprise.objects.filter(drilled), DRILL_DUTY, year=year, today=today)
        .order_by()
        .values_list("pk", "township_id", "is_high_risk", "duty_met", "duty_missed")
    )
    units_of: dict[int, set[int]] = {}
    if kind == "townships":
        units_of = {pk: {tw} for pk, tw, *_rest in rows}
    elif rows:
        for ent, dept in through.objects.filter(
            Q(enterprise_id__in=[r[0] for r in rows]), sector__lead_departments__isnull=False
        ).values_list("enterprise_id", "sector__lead_departments"):
            units_of.setdefault(ent, set()).add(dept)
    for pk, _tw, hr, met, missed in rows:
        for unit in units_of.get(pk, ()):
            num[unit] = num.get(unit, 0) + (met or 0)
            den[unit] = den.get(unit, 0) - ended[bool(hr)] + (met or 0) + (missed or 0)
    return qs.annotate(
        **{
            f"{CODE}_num": _constant_per_unit(num),
            f"{CODE}_den": _constant_per_unit(den),
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
