"""The safety office's daily dashboard (安委办 每日看板), scoped to whoever opens it.

:func:`dashboard_for` builds every registered panel (:mod:`campaigns.dashboard.registry`) — this
module only composes and caches; the figures belong to the panels. The whole result is cached
for :data:`CACHE_SECONDS` per (scope, day); any write to a model a panel watches bumps a version
number and so invalidates every cached copy (:func:`connect_invalidation`).

The cache is an optimisation: when it is unreachable (Redis down) the dashboard is computed from
the database and saves go through — a cache error never reaches the user.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from campaigns.dashboard.registry import Panel, panels, watched_models
from campaigns.org.scoping import scope_for
from campaigns.plan.models import Campaign, Milestone, Phase
from campaigns.plan.selectors import campaign_current
from yixian_safety.dates import today_local

logger = logging.getLogger(__name__)

CACHE_SECONDS = 120
VERSION_KEY = "dashboard:version"


@dataclass
class Dashboard:
    """Everything the dashboard page shows. ``as_of``: the day looked at (Asia/Shanghai).

    ``values``: {panel key: what its ``build`` returned, or its ``empty`` when not built}; each
    panel's value is also an attribute (``d.targets``, ``d.supervision`` …)."""

    as_of: datetime.date
    today: datetime.date
    phase: Phase | None
    milestones_next_30_days: list[Milestone]
    milestones_overdue: list[Milestone]
    campaign: Campaign | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def campaign_ended(self) -> bool:
        """The day looked at is after the campaign's last day (2026-12-31): the ledger and its
        supervision go on as the routine mechanism (常态化机制), without phase requirements."""
        return self.campaign is not None and self.as_of > self.campaign.ends_on

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values")
        if values is not None and name in values:
            return values[name]
        raise AttributeError(name)

    @property
    def sections(self) -> list[tuple[Panel, Any]]:
        """(panel, value) in page order, for the template."""
        return [(p, self.values.get(p.key, p.empty)) for p in panels()]


def _version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def bump_version(**_kwargs) -> None:
    """Invalidate every cached dashboard (called on save/delete of a watched record). Never
    raises: with the cache down there is nothing cached to invalidate."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # key evicted: start again
            cache.set(VERSION_KEY, 2, None)
    except Exception:  # noqa: BLE001 - the cache is an optimisation (Redis down)
        logger.warning("dashboard cache unreachable: version not bumped", exc_info=True)


def connect_invalidation() -> None:
    """Connect :func:`bump_version` to every watched model (from CampaignsConfig.ready, after
    the panels are registered). An unknown model name raises ImproperlyConfigured."""
    for model in watched_models():
        label = model._meta.label
        post_save.connect(bump_version, sender=model, dispatch_uid=f"dashboard-{label}")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"dashboard-del-{label}")


def _scope_key(user) -> str:
    scope = scope_for(user)
    if scope.everything:
        return "all"
    return "t{}-d{}".format(
        ",".join(map(str, sorted(scope.township_ids))),
        ",".join(map(str, sorted(scope.department_ids))),
    )


def dashboard_for(
    user, *, as_of: datetime.date | None = None, campaign: Campaign | None = None
) -> Dashboard:
    """The dashboard of ``user`` on ``as_of`` (default today; never after today) for
    ``campaign`` (default: the current one on ``as_of``). Cached; computed directly when the
    cache is unreachable."""
    today = today_local()
    as_of = min(as_of or today, today)
    campaign = campaign or campaign_current(as_of)
    cid = campaign.pk if campaign else 0
    try:
        key = (
            f"dashboard:{_version()}:{_scope_key(user)}:c{cid}:"
            f"{as_of.isoformat()}:{today.isoformat()}"
        )
        data = cache.get(key)
    except Exception:  # noqa: BLE001 - Redis down: the database is the truth
        logger.warning("dashboard cache unreachable: computing directly", exc_info=True)
        return build_dashboard(user, as_of=as_of, today=today, campaign=campaign)
    if data is None:
        data = build_dashboard(user, as_of=as_of, today=today, campaign=campaign)
        try:
            cache.set(key, data, CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("dashboard cache unreachable: not stored", exc_info=True)
    return data


def _overdue_milestones(user, as_of: datetime.date, campaign) -> list[Milestone]:
    """Milestones past due on ``as_of`` that no responsible unit has recorded as met and whose
    computed state (:func:`campaigns.progress.registry.milestone_computed_state`, for ``user``
    on ``as_of``) is not met: a computed target that is met counts as its record, so the
    dashboard never says 已实现 and "past due with no completion record" of the same milestone.
    Each listed milestone carries ``computed`` (a ``ComputedState`` — e.g. computed as not met
    — or None), which the list shows as the reason. At most 20, latest due first; one query
    plus the registered checks of the past-due milestones (bounded by the plan, not the data).
    """
    from django.db.models import Exists, OuterRef

    from campaigns.progress.models import MilestoneRecord
    from campaigns.progress.registry import milestone_computed_state

    met = MilestoneRecord.objects.visible_to(user).filter(
        milestone=OuterRef("pk"), met_on__lte=as_of
    )
    due = (
        Milestone.objects.filter(campaign=campaign, due_on__lt=as_of)
        .exclude(Exists(met))
        .select_related("task", "campaign")
        .order_by("-due_on")
    )
    overdue = []
    for m in due:
        m.computed = milestone_computed_state(m, as_of, viewer=user)
        if m.computed is not None and m.computed.met:
            continue
        overdue.append(m)
        if len(overdue) == 20:
            break
    return overdue


def build_dashboard(
    user, *, as_of: datetime.date, today: datetime.date, campaign: Campaign | None = None
) -> Dashboard:
    """Compute the dashboard (uncached) for ``campaign`` (default: the current one on
    ``as_of``). Query count is bounded whatever the data size.

    A past ``as_of`` shows the phase, the milestones and the panels that rebuild their figures
    from history; the panels of today's records (``today_only``) only today. Panels with
    ``wants_campaign`` get the campaign too (the hub's plan panels).
    """
    campaign = campaign or campaign_current(as_of)
    data = Dashboard(
        as_of=as_of,
        today=today,
        phase=Phase.objects.filter(campaign=campaign).current(as_of),
        milestones_next_30_days=list(
            Milestone.objects.filter(campaign=campaign)
            .due_between(as_of, as_of + datetime.timedelta(days=30))
            .select_related("task")
        ),
        milestones_overdue=_overdue_milestones(user, as_of, campaign),
        campaign=campaign,
    )
    for panel in panels():
        if panel.today_only and as_of != today:
            data.values[panel.key] = panel.empty
        elif panel.wants_campaign:
            data.values[panel.key] = panel.build(user, as_of=as_of, today=today, campaign=campaign)
        else:
            data.values[panel.key] = panel.build(user, as_of=as_of, today=today)
    return data
