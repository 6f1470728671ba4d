"""Tip-off figures of the dashboard (task 25): received and waiting for triage, open, a step
past its deadline, verified this year. Each links to the list filtered to exactly it. One query.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.dashboard.registry import Panel, register_panel
from hazards.dashboard import Figure

from .models import OPEN_STATUSES, Outcome, Status, TipOff, step_overdue_q


def _url(**params) -> str:
    return f"{reverse('tipoffs:list')}?{urlencode(params)}"


def tipoff_figures(user, *, today: datetime.date) -> dict[str, list[Figure]]:
    """``{"figures": [Figure…]}``; empty when the user may not see tip-offs."""
    if not user.has_perm("tipoffs.view_tipoff"):
        return {}
    year_start = datetime.date(today.year, 1, 1)
    agg = TipOff.objects.visible_to(user).aggregate(
        received=Count("pk", filter=Q(status=Status.RECEIVED)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=step_overdue_q(today)),
        verified=Count("pk", filter=Q(outcome=Outcome.VERIFIED, received_at__date__gte=year_start)),
    )
    return {
        "figures": [
            Figure(_("tip-offs waiting for triage"), agg["received"], _url(status=Status.RECEIVED)),
            Figure(_("open tip-offs"), agg["open"], _url(open="true")),
            Figure(_("tip-offs with a step overdue"), agg["overdue"], _url(overdue="true")),
            Figure(
                _("verified tip-offs this year"),
                agg["verified"],
                _url(outcome=Outcome.VERIFIED, received_after=year_start.isoformat()),
            ),
        ]
    }


register_panel(
    Panel(
        key="tipoffs",
        title=gettext_lazy("Tip-offs"),
        order=45,
        build=lambda user, *, as_of, today: tipoff_figures(user, today=today),
        empty={},
        template="tipoffs/dashboard/_tipoffs.html",
        watches=("tipoffs.TipOff",),
    )
)
