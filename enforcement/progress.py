"""Computed progress from enforcement (registered with :mod:`campaigns.progress.registry`):
task 26's precise enforcement (inspections carried out, with problems found, "zero penalty"
ones, enforcement measures decided, referrals for prosecution), task 15's listed supervision
(挂牌督办), task 28's expert pool (专家库) and the state of its milestone ``t28-expert-pool``.

Read through ``visible_to(scope.viewer)``; dated figures are limited to the reporting period
(else the campaign so far, up to today) and link to the list filtered to exactly those rows.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.progress.registry import (
    FigureScope,
    TaskFigure,
    register_milestone_state,
    register_task_figures,
)

from .inspections.models import EnforcementAction, Expert, Inspection
from .inspections.selectors import expert_pool_coverage, list_url
from .models import Listing

SOURCE = gettext_lazy("the enforcement records")


def _dates(scope: FigureScope, prefix: str) -> dict:
    params = {f"{prefix}_to": scope.end.isoformat()}
    if scope.start:
        params[f"{prefix}_from"] = scope.start.isoformat()
    return params


def enforcement_figures(scope: FigureScope) -> list[TaskFigure]:
    """Task 26: inspections done, with findings, with findings and no measure (零处罚);
    measures decided and referred for prosecution. Two queries."""
    township = scope.township.code if scope.township else None
    inspections = Inspection.objects.visible_to(scope.viewer).done()
    actions = EnforcementAction.objects.visible_to(scope.viewer)
    if scope.township is not None:
        inspections = inspections.filter(enterprise__township=scope.township)
        actions = actions.filter(enterprise__township=scope.township)
    inspections = inspections.filter(inspected_on__lte=scope.end)
    actions = actions.filter(decided_on__lte=scope.end)
    if scope.start:
        inspections = inspections.filter(inspected_on__gte=scope.start)
        actions = actions.filter(decided_on__gte=scope.start)
    zero = inspections.zero_penalty().values("pk")
    i = inspections.aggregate(
        done=Count("pk"),
        findings=Count("pk", filter=Q(has_findings=True)),
        zero=Count("pk", filter=Q(pk__in=zero)),
    )
    a = actions.aggregate(
        total=Count("pk"), referred=Count("pk", filter=Q(referred_for_prosecution=True))
    )
    when = _dates(scope, "inspected")
    decided = _dates(scope, "decided")
    rows = "enforcement:inspection_list"
    return [
        TaskFigure(
            _("inspections carried out"),
            i["done"],
            list_url(rows, status="done", township=township, **when),
        ),
        TaskFigure(
            _("inspections with problems found"),
            i["findings"],
            list_url(rows, status="done", findings="true", township=township, **when),
        ),
        TaskFigure(
            _("problems found and no measure taken (零处罚)"),
            i["zero"],
            list_url(rows, zero_penalty="true", township=township, **when),
        ),
        TaskFigure(
            _("enforcement measures decided"),
            a["total"],
            list_url("enforcement:action_list", township=township, **decided),
        ),
        TaskFigure(
            _("referred for prosecution (行刑衔接)"),
            a["referred"],
            list_url("enforcement:action_list", referred="true", township=township, **decided),
        ),
    ]


def listing_figures(scope: FigureScope) -> list[TaskFigure]:
    """Task 15: major hazards listed for supervision (挂牌督办) within the scope's dates (the
    reporting period, else the campaign so far up to today), and how many of those are still
    listed today. One query; the links carry the same dates (``listed_from``/``listed_to``)."""
    township = scope.township.code if scope.township else None
    qs = Listing.objects.visible_to(scope.viewer).filter(listed_on__lte=scope.end)
    if scope.start:
        qs = qs.filter(listed_on__gte=scope.start)
    if scope.township is not None:
        qs = qs.filter(hazard__township=scope.township)
    n = qs.aggregate(total=Count("pk"), active=Count("pk", filter=Q(status=Listing.Status.LISTED)))
    if not n["total"]:
        return []
    when = _dates(scope, "listed")
    rows = "enforcement:listing_list"
    return [
        TaskFigure(
            _("listed for supervision (挂牌督办)"),
            n["total"],
            list_url(rows, status="all", township=township, **when),
        ),
        TaskFigure(
            _("of these, still under listed supervision now"),
            n["active"],
            list_url(rows, status="listed", township=township, **when),
        ),
    ]


def expert_figures(scope: FigureScope) -> list[TaskFigure]:
    """Task 28: experts available in the pool, and high-risk sectors without one. Two
    queries. The pool is county-wide (not narrowed to a unit)."""
    available = Expert.objects.visible_to(scope.viewer).available().count()
    met, missing = expert_pool_coverage()
    return [
        TaskFigure(
            _("experts available in the pool"),
            available,
            list_url("enforcement:expert_list", available="true"),
        ),
        TaskFigure(
            _("high-risk sectors without an available expert"),
            "、".join(s.name for s in missing) if missing else 0,
            list_url("enforcement:expert_list"),
        ),
    ]


def expert_pool_met(milestone, today) -> bool | None:
    """``t28-expert-pool``: met when every high-risk sector has an available expert."""
    from campaigns.models import Sector

    if not Sector.objects.filter(high_risk=True).exists():
        return None
    return expert_pool_coverage()[0]


register_task_figures(26, enforcement_figures, key="enforcement.task26", source=SOURCE, order=20)
register_task_figures(15, listing_figures, key="enforcement.listings", source=SOURCE, order=20)
register_task_figures(28, expert_figures, key="enforcement.experts", source=SOURCE, order=20)
register_milestone_state(
    expert_pool_met,
    code="t28-expert-pool",
    source=SOURCE,
    url=lambda m: list_url("enforcement:expert_list", available="true"),
)
