"""League metrics of the hazard ledger (registered with the hub's league table).

They count a township's hazards (属地) and the hazards a department supervises (行业); deadlines
are the rectification deadlines (五落实).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from campaigns.league.registry import Metric, register_metric
from campaigns.league.selectors import TOWNSHIPS

from .models import CLOSED_ON_TIME_Q, OPEN_STATUSES, Hazard, Status, overdue_q

# {conditions: (identity of the summary's build, its per-(township, department) sums)}
_SUMMARY_MEMO: dict[tuple, tuple] = {}


def _per_unit(
    kind: str, today: datetime.date, *, summary: dict[str, Q], **counts: Q
) -> dict[str, dict[int, int]]:
    """{name: {unit pk: count}} of ledger hazards (merged reports excluded) per township (属地)
    or supervising department (行业), in ONE grouped query over the ledger. A correlated count
    per unit re-scanned the rectifications for every unit and metric: 353 s for a township's
    cold dashboard at 1,000,000 hazards (issue 19). When the figures summary stands at
    ``today`` (:func:`hazards.selectors.figures_stamp`) the same counts come from it:
    ``summary`` gives each name's condition on the summary's columns."""
    from django.db.models import Sum, Value
    from django.db.models.functions import Coalesce

    from .models import HazardFigure
    from .selectors import figures_stamp

    stamp = figures_stamp(today)
    if stamp is not None:
        unit = "township_id" if kind == TOWNSHIPS else "department_id"
        conditions = tuple(sorted((name, str(q)) for name, q in summary.items()))
        key = (stamp.refreshed_at, stamp.hazard_history_id, stamp.rectification_history_id)
        cached = _SUMMARY_MEMO.get(conditions)
        if cached is None or cached[0] != key:
            # per (township, department): both kinds from one scan of the summary, kept in
            # memory for this build of the summary (a build never changes once committed)
            fetched = list(
                HazardFigure.objects.order_by()
                .values("township_id", "department_id")
                .annotate(
                    **{name: Coalesce(Sum("n", filter=summary[name]), Value(0)) for name in counts}
                )
            )
            cached = _SUMMARY_MEMO[conditions] = (key, fetched)
        summed: dict[int, dict] = {}
        for row in cached[1]:
            acc = summed.setdefault(row[unit], {unit: row[unit], **dict.fromkeys(counts, 0)})
            for name in counts:
                acc[name] += row[name]
        rows = list(summed.values())
    else:
        unit = "township" if kind == TOWNSHIPS else "supervising_department"
        rows = (
            Hazard.objects.ledger()
            .order_by()
            .values(unit)
            .annotate(**{name: Count("pk", filter=q) for name, q in counts.items()})
        )
    out: dict[str, dict[int, int]] = {name: {} for name in counts}
    for row in rows:
        for name in counts:
            out[name][row[unit]] = row[name]
    return out


def _constant_per_unit(values: dict[int, int]):
    """The fetched per-unit figures as an annotation of the units' queryset (0 for the others)."""
    if not values:
        return Value(0, output_field=IntegerField())
    return Case(
        *(When(pk=pk, then=Value(n)) for pk, n in values.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def hazards_closed_on_time(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Hazards closed (销号, local date) by their rectification deadline, over hazards closed or
    open past their deadline."""
    figures = _per_unit(
        kind,
        today,
        num=CLOSED_ON_TIME_Q,
        den=Q(status=Status.CLOSED) | overdue_q(today),
        summary={"num": Q(on_time=True), "den": Q(status=Status.CLOSED) | Q(overdue=True)},
    )
    return qs.annotate(
        hazards_closed_on_time_num=_constant_per_unit(figures["num"]),
        hazards_closed_on_time_den=_constant_per_unit(figures["den"]),
    )


def overdue_hazards(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Open hazards within their deadline (or without one yet), over all open hazards: every
    overdue hazard lowers the score."""
    is_open = Q(status__in=OPEN_STATUSES)
    in_time = Q(rectification__isnull=True) | Q(rectification__deadline__gte=today)
    figures = _per_unit(
        kind,
        today,
        num=is_open & in_time,
        den=is_open,
        summary={"num": is_open & Q(in_time=True), "den": is_open},
    )
    return qs.annotate(
        overdue_hazards_num=_constant_per_unit(figures["num"]),
        overdue_hazards_den=_constant_per_unit(figures["den"]),
    )


register_metric(
    Metric(
        "hazards_closed_on_time",
        _("Hazards closed on time"),
        _("Hazards closed by their deadline, over hazards closed or past their deadline."),
        Decimal("10"),
        hazards_closed_on_time,
        order=40,
    )
)
register_metric(
    Metric(
        "overdue_hazards",
        _("No overdue hazards"),
        _("Open hazards within their deadline, over all open hazards."),
        Decimal("10"),
        overdue_hazards,
        order=50,
    )
)
