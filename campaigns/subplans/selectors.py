"""Reads of sub-plans: the safety office's board and a unit's own list."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from campaigns.org.models import Department, Sector, Township
from campaigns.plan.models import Campaign
from campaigns.plan.selectors import campaign_current
from campaigns.subplans.models import SubPlan, SubPlanEvent, SubPlanVersion
from campaigns.subplans.services import subplan_due_on
from yixian_safety.dates import today_local
from yixian_safety.db import SubqueryCount


def subplan_choices_open(user, *, campaign=None) -> list[Sector | None]:
    """What ``user``'s unit may still create in ``campaign`` (default: the current one):
    ``None`` for its campaign sub-plan, and each sector its department leads without a sector
    sub-plan yet (empty for a user who creates none). One sub-plan per campaign, unit and
    sector (``subplan_one_per_unit_sector``)."""
    from campaigns.org.permissions import acting_unit
    from campaigns.plan.selectors import campaign_current
    from campaigns.subplans.permissions import can_create_subplan

    if not can_create_subplan(user):
        return []
    unit = acting_unit(user)
    if unit is None:
        return []
    campaign = campaign or campaign_current()
    taken = set(
        SubPlan.objects.of_unit(unit).filter(campaign=campaign).values_list("sector_id", flat=True)
    )
    open_: list[Sector | None] = [] if None in taken else [None]
    if user.department_id:
        open_ += list(
            Sector.objects.filter(lead_departments=user.department_id).exclude(pk__in=taken)
        )
    return open_


def subplans_for(user, *, today: datetime.date | None = None):
    """The sub-plans ``user`` may see, with ``days_late`` and the last event's action, time
    and actor name annotated (one query)."""
    today = today or today_local()
    last = SubPlanEvent.objects.filter(sub_plan=OuterRef("pk")).order_by("-at", "-pk")
    return (
        SubPlan.objects.visible_to(user)
        .with_days_late(today)
        .select_related("township", "department", "sector")
        .annotate(
            last_action=Subquery(last.values("action")[:1]),
            last_action_at=Subquery(last.values("at")[:1]),
            last_actor=Subquery(last.values("actor__first_name")[:1]),
            version_count=SubqueryCount(
                SubPlanVersion.objects.filter(sub_plan=OuterRef("pk")).values("pk")
            ),
        )
    )


@dataclass
class BoardRow:
    unit: Township | Department
    unit_kind: str
    sub_plan: SubPlan | None
    status_label: str
    days_late: int
    last_action_label: str
    last_action_at: datetime.datetime | None
    last_actor: str


def subplan_board(
    user, *, today: datetime.date | None = None, campaign: Campaign | None = None
) -> list[BoardRow]:
    """Every township and every lead department (and any other unit with a sub-plan) with its
    sub-plan(s) for ``campaign`` (default: the current one): status, days late (not
    submitted: days past the due date so far), last action. Sub-plans ``user`` cannot see are
    left out; units without one show "not started"."""
    today = today or today_local()
    campaign = campaign or campaign_current(today)
    plans = list(subplans_for(user, today=today).filter(campaign=campaign))
    by_unit: dict[tuple[str, int], list[SubPlan]] = {}
    for p in plans:
        key = ("t", p.township_id) if p.township_id else ("d", p.department_id)
        by_unit.setdefault(key, []).append(p)
    due = subplan_due_on(campaign) if campaign else today
    missing_days = max(0, (today - due).days)
    actions = dict(SubPlanEvent.Action.choices)
    units: list[tuple[str, object]] = [("t", t) for t in Township.objects.all()]
    dept_ids = {k[1] for k in by_unit if k[0] == "d"}
    units += [
        ("d", d)
        for d in Department.objects.filter(is_lead=True)
        | Department.objects.filter(pk__in=dept_ids)
    ]
    rows = []
    from campaigns.org.scoping import scope_for

    everything = scope_for(user).everything
    for kind, unit in units:
        unit_plans = by_unit.get((kind, unit.pk), [])
        if not unit_plans:
            if everything:
                rows.append(
                    BoardRow(unit, kind, None, str(_("not started")), missing_days, "", None, "")
                )
            continue
        for p in unit_plans:
            rows.append(
                BoardRow(
                    unit,
                    kind,
                    p,
                    p.get_status_display(),
                    p.days_late,
                    str(actions.get(p.last_action, "")),
                    p.last_action_at,
                    p.last_actor or "",
                )
            )
    return rows
