"""The safety office's daily dashboard (安委办 每日看板), scoped to whoever opens it.

:func:`dashboard_for` gathers every section from the selectors that own the figures (hazards,
sub-plans, progress, league table, supervision) — this module only composes and caches. Each
section is computed in the database with a bounded number of queries, and the whole result is
cached for :data:`CACHE_SECONDS` per (scope, day); any write to a record the dashboard counts
bumps a version number and so invalidates every cached copy (see :func:`connect_invalidation`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save

from campaigns.league.selectors import league_table
from campaigns.org.scoping import scope_for
from campaigns.plan.models import Milestone, Phase
from campaigns.progress.models import MilestoneRecord
from campaigns.progress.selectors import action_progress
from campaigns.subplans.selectors import subplan_board
from enforcement.dashboard import supervision_figures
from hazards.dashboard import hazard_targets
from hazards.models import Hazard, Level
from hazards.selectors import hazard_statistics
from yixian_safety.dates import today_local

CACHE_SECONDS = 120
VERSION_KEY = "dashboard:version"
# Models whose changes alter a dashboard figure (app_label.ModelName); missing ones are skipped.
COUNTED_MODELS = [
    "hazards.Hazard", "hazards.Rectification", "campaigns.SubPlan", "campaigns.SubPlanEvent",
    "campaigns.ProgressReport", "campaigns.MilestoneRecord", "campaigns.LeagueWeight",
    "enforcement.SupervisionListing", "enforcement.ExtensionRequest",
    "enforcement.EscalationStep",
]


@dataclass
class Dashboard:
    """Everything the dashboard page shows. ``as_of``: the day looked at (Asia/Shanghai)."""

    as_of: datetime.date
    today: datetime.date
    phase: Phase | None
    milestones_next_30_days: list[Milestone]
    milestones_overdue: list[Milestone]
    targets: Any = None  # hazards.dashboard.HazardTargets
    statistics: Any = None  # hazards.selectors.Statistics of major hazards (today only)
    supervision: dict[str, Any] = field(default_factory=dict)
    action_progress: list[dict] = field(default_factory=list)
    subplan_board: list[Any] = field(default_factory=list)
    league: dict[str, list[Any]] = field(default_factory=dict)


def _version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def bump_version(**_kwargs) -> None:
    """Invalidate every cached dashboard (called on save/delete of a counted record)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # key evicted: start again
        cache.set(VERSION_KEY, 2, None)


def connect_invalidation() -> None:
    """Connect :func:`bump_version` to the counted models (from CampaignsConfig.ready)."""
    for label in COUNTED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(bump_version, sender=model, dispatch_uid=f"dashboard-{label}")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"dashboard-del-{label}")


def _scope_key(user) -> str:
    scope = scope_for(user)
    if scope.everything:
        return "all"
    return "t{}-d{}".format(",".join(map(str, sorted(scope.township_ids))),
                            ",".join(map(str, sorted(scope.department_ids))))


def dashboard_for(user, *, as_of: datetime.date | None = None) -> Dashboard:
    """The dashboard of ``user`` on ``as_of`` (default today; never after today). Cached."""
    today = today_local()
    as_of = min(as_of or today, today)
    key = f"dashboard:{_version()}:{_scope_key(user)}:{as_of.isoformat()}:{today.isoformat()}"
    data = cache.get(key)
    if data is None:
        data = build_dashboard(user, as_of=as_of, today=today)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _overdue_milestones(user, as_of: datetime.date) -> list[Milestone]:
    """Milestones past due on ``as_of`` that no responsible unit has recorded as met."""
    met = MilestoneRecord.objects.visible_to(user).filter(milestone=OuterRef("pk"),
                                                          met_on__lte=as_of)
    due = Milestone.objects.filter(due_on__lt=as_of).exclude(Exists(met)).select_related("task")
    return list(due.order_by("-due_on")[:20])


def build_dashboard(user, *, as_of: datetime.date, today: datetime.date) -> Dashboard:
    """Compute the dashboard (uncached). Query count is bounded whatever the data size.

    A past ``as_of`` shows the targets (rebuilt from history), the phase and milestones; the
    lists of today's records (statistics, supervision, progress, sub-plans, league) only today.
    """
    data = Dashboard(
        as_of=as_of, today=today, phase=Phase.objects.current(as_of),
        milestones_next_30_days=list(Milestone.objects.due_between(
            as_of, as_of + datetime.timedelta(days=30)).select_related("task")),
        milestones_overdue=_overdue_milestones(user, as_of),
    )
    data.targets = hazard_targets(user, as_of=as_of, today=today)
    if as_of == today:  # lists of today's records: no history behind them
        data.statistics = hazard_statistics(Hazard.objects.visible_to(user).ledger(),
                                            level=Level.MAJOR, today=today)
        data.supervision = supervision_figures(user, today=today)
        data.action_progress = action_progress(user)
        data.subplan_board = subplan_board(user, today=today)
        data.league = {"townships": league_table("townships", today=today),
                       "departments": league_table("departments", today=today)}
    return data
