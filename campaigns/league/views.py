"""League table pages (“赛马”): the ranking with its weights, a unit's breakdown, Excel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from campaigns.league.exports import league_xlsx
from campaigns.league.selectors import (
    DEPARTMENTS,
    KINDS,
    METRICS,
    TOWNSHIPS,
    league_table,
    units_of,
    weights,
)
from campaigns.plan.selectors import campaign_current
from campaigns.progress.models import MilestoneRecord
from campaigns.progress.selectors import overdue_milestones
from campaigns.subplans.models import SubPlan
from yixian_safety.dates import today_local
from yixian_safety.xlsx import xlsx_response


@login_required
def league(request):
    """Both rankings (townships, departments), the metrics and their weights."""
    w = weights()
    return render(
        request,
        "campaigns/league.html",
        {
            "tables": [
                (TOWNSHIPS, KINDS[TOWNSHIPS], league_table(TOWNSHIPS)),
                (DEPARTMENTS, KINDS[DEPARTMENTS], league_table(DEPARTMENTS)),
            ],
            "metrics": [(m, w[m.code]) for m in METRICS],
            "today": today_local(),
        },
    )


@login_required
def league_export(request):
    """The league table as .xlsx (one sheet per kind)."""
    content = league_xlsx(
        {KINDS[TOWNSHIPS]: league_table(TOWNSHIPS), KINDS[DEPARTMENTS]: league_table(DEPARTMENTS)}
    )
    return xlsx_response(_("league table") + f"-{today_local():%Y%m%d}.xlsx", content)


@login_required
def league_breakdown(request, kind: str, pk: int):
    """How one unit's score was made: each metric's achieved/owed counts, value, weight and
    points, and the items behind them (sub-plan, overdue milestones)."""
    if kind not in KINDS:
        raise Http404
    unit = get_object_or_404(units_of(kind), pk=pk)
    rows = league_table(kind, unit_pk=unit.pk)
    if not rows:
        raise Http404
    field = "township" if kind == TOWNSHIPS else "department"
    today = today_local()
    campaign = campaign_current(today)  # the league ranks the current campaign
    return render(
        request,
        "campaigns/league_breakdown.html",
        {
            "row": rows[0],
            "unit": unit,
            "kind_label": KINDS[kind],
            "sub_plan": SubPlan.objects.filter(
                **{field: unit}, sector__isnull=True, campaign=campaign
            )
            .with_days_late(today)
            .first(),
            "overdue": overdue_milestones(unit, today, campaign).select_related("task")[:50],
            "met": MilestoneRecord.objects.filter(
                **{field: unit}, milestone__campaign=campaign
            ).select_related("milestone")[:50],
            "today": today,
        },
    )
