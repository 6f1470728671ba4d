"""Reminder source of the hazard ledger: rectification deadlines due soon or missed.

Registered with :func:`campaigns.notifications.sources.register_source` (discovered by the daily
run). Each open hazard whose rectification deadline (五落实 时限, Asia/Shanghai date) falls in
7, 3 or 1 days or today, or has passed, reminds its township (属地) and its supervising
department (行业) — task 16's "清单制管理…照单逐条整改销号". An overdue hazard is listed every
day until it is closed; the ladder (unit head at 7 days, safety office at 30) follows from
``days_overdue``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext as _

from campaigns.constants import REMIND_DAYS_BEFORE
from campaigns.notifications.sources import Kind, Reminder, register_source

from .models import Hazard, overdue_q


@register_source("hazard")
def hazards_due(today: datetime.date) -> Iterator[Reminder]:
    """Open ledger hazards due in 7/3/1 days, due today, or overdue. One query."""
    soon = [today + datetime.timedelta(days=n) for n in REMIND_DAYS_BEFORE] + [today]
    hazards = (
        Hazard.objects.ledger()
        .open()
        .filter(Q(rectification__deadline__in=soon) | overdue_q(today))
        .select_related("enterprise", "rectification")
        .order_by("rectification__deadline", "pk")
    )
    for h in hazards:
        deadline = h.rectification.deadline
        days = (deadline - today).days
        what = _("Hazard %(number)s at %(enterprise)s") % {
            "number": h.ledger_number,
            "enterprise": h.enterprise.name,
        }
        due = f"{deadline:%Y-%m-%d}"
        if days > 0:
            kind, text = (
                Kind.DUE_SOON,
                _("%(what)s: rectification due in %(days)s days (%(due)s)")
                % {"what": what, "days": days, "due": due},
            )
        elif days == 0:
            kind, text = (
                Kind.DUE_TODAY,
                _("%(what)s: rectification due today (%(due)s)") % {"what": what, "due": due},
            )
        else:
            kind, text = (
                Kind.OVERDUE,
                _("%(what)s: rectification %(days)s days overdue (due %(due)s)")
                % {"what": what, "days": -days, "due": due},
            )
        yield Reminder(
            item_key=f"hazard:{h.pk}",
            kind=kind,
            text=text[:500],
            url=h.get_absolute_url(),
            due_on=deadline,
            days_overdue=max(0, -days),
            townships=(h.township_id,),
            departments=(h.supervising_department_id,),
        )
