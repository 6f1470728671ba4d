"""League metrics of the hazard ledger (registered with the hub's league table).

They count a township's hazards (属地) and the hazards a department supervises (行业); deadlines
are the rectification deadlines (五落实).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.league.registry import Metric, register_metric
from campaigns.league.selectors import TOWNSHIPS
from yixian_safety.db import SubqueryCount

from .models import CLOSED_ON_TIME_Q, Hazard, Status, overdue_q


def _hazards_of_unit(kind: str) -> QuerySet:
    """Ledger hazards (merged reports excluded) of the unit in the outer query: its township
    (属地), or the department supervising the hazard (行业)."""
    unit = "township" if kind == TOWNSHIPS else "supervising_department"
    return Hazard.objects.ledger().filter(**{unit: OuterRef("pk")})


def hazards_closed_on_time(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Hazards closed (销号, local date) by their rectification deadline, over hazards closed or
    open past their deadline."""
    # Conditions stay flat: a nested subquery here would re-bind the unit's OuterRef.
    mine = _hazards_of_unit(kind)
    on_time = mine.filter(CLOSED_ON_TIME_Q)
    due = mine.filter(Q(status=Status.CLOSED) | overdue_q(today))
    return qs.annotate(
        hazards_closed_on_time_num=SubqueryCount(on_time.values("pk")),
        hazards_closed_on_time_den=SubqueryCount(due.values("pk")),
    )


def overdue_hazards(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Open hazards within their deadline (or without one yet), over all open hazards: every
    overdue hazard lowers the score."""
    open_ = _hazards_of_unit(kind).open()
    in_time = open_.filter(Q(rectification__isnull=True) | Q(rectification__deadline__gte=today))
    return qs.annotate(
        overdue_hazards_num=SubqueryCount(in_time.values("pk")),
        overdue_hazards_den=SubqueryCount(open_.values("pk")),
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
