"""Reads across the plan's models: today's phase, upcoming milestones, the overview."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from campaigns.plan.models import Action, Campaign, Milestone, Phase, Task
from yixian_safety.dates import today_local


@dataclass
class Overview:
    """What the campaign overview page shows. ``current_phase`` is None outside the campaign."""

    campaign: Campaign | None
    phases: list[Phase]
    current_phase: Phase | None
    actions: list[Action]
    upcoming_milestones: list[Milestone]
    today: datetime.date


def campaign_overview(*, today: datetime.date | None = None, horizon_days: int = 90) -> Overview:
    """The campaign, its four phases (today's marked), the 8 actions with their tasks, and the
    milestones falling due within ``horizon_days`` of ``today`` (Asia/Shanghai). 5 queries."""
    today = today or today_local()
    phases = list(Phase.objects.all())
    current = next((p for p in phases if p.starts_on <= today <= p.ends_on), None)
    actions = list(
        Action.objects.prefetch_related(Prefetch("tasks", queryset=Task.objects.order_by("number")))
    )
    milestones = Milestone.objects.select_related("task")
    return Overview(
        campaign=Campaign.objects.first(),
        phases=phases,
        current_phase=current,
        actions=actions,
        upcoming_milestones=list(
            milestones.due_between(today, today + datetime.timedelta(days=horizon_days))
        ),
        today=today,
    )
