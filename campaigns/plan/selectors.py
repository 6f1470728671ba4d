"""Reads across the plan's models: which campaign (the current one, the one a request chose),
today's phase, upcoming milestones, the overview."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Prefetch, Q, Subquery, Value, When
from django.http import Http404

from campaigns.plan.models import Action, Campaign, Milestone, Phase, Task
from yixian_safety.dates import today_local

CAMPAIGN_PARAM = "campaign"  # ?campaign=<slug or id> on pages and the API
SESSION_KEY = "campaign_id"  # a page's choice, kept for the next pages of the session


def _choose_current(campaigns: list[Campaign], today: datetime.date) -> Campaign | None:
    running = [c for c in campaigns if c.starts_on <= today <= c.ends_on]
    started = running or [c for c in campaigns if c.starts_on <= today]
    if started:
        return max(started, key=lambda c: (c.starts_on, c.pk))
    return min(campaigns, key=lambda c: (c.starts_on, -c.pk)) if campaigns else None


def campaign_current(today: datetime.date | None = None) -> Campaign | None:
    """The campaign of ``today`` (Asia/Shanghai; default today): the one whose dates contain
    it (the latest started if several do), else the latest started — an ended campaign with no
    newer one, shown as the archive (2027-01-15 → the 2024–2026 campaign) — else, before any has
    started, the first to come. ``None`` when no plan is loaded. One query."""
    return _choose_current(list(Campaign.objects.all()), today or today_local())


def campaign_current_id(today: datetime.date):
    """:func:`campaign_current` as a subquery of its id, for filters inside another query
    (``Task.objects.filter(campaign=campaign_current_id(today))``: no query of its own)."""
    ranked = Campaign.objects.annotate(
        rank=Case(
            When(Q(starts_on__lte=today, ends_on__gte=today), then=Value(0)),
            When(starts_on__lte=today, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        started=Case(When(starts_on__lte=today, then=F("starts_on")), default=None),
    ).order_by("rank", F("started").desc(nulls_last=True), "starts_on", "-pk")
    return Subquery(ranked.values("pk")[:1])


def campaign_for_period(start: datetime.date, end: datetime.date) -> Campaign | None:
    """The campaign a report period belongs to: the latest started one overlapping
    ``start``…``end`` (inclusive dates), else :func:`campaign_current` of ``end``."""
    overlapping = (
        Campaign.objects.filter(starts_on__lte=end, ends_on__gte=start)
        .order_by("-starts_on", "-pk")
        .first()
    )
    return overlapping or campaign_current(end)


def campaign_lookup(value: str, campaigns: list[Campaign] | None = None) -> Campaign | None:
    """The campaign named by ``value``: its slug or its id (``"2024-2026"`` or ``"1"``);
    ``None`` when there is none (or ``value`` is longer than a slug can be)."""
    value = (value or "").strip()
    if not value or len(value) > 40:
        return None
    pool = campaigns if campaigns is not None else list(Campaign.objects.all())
    for c in pool:
        if c.slug == value or (value.isdigit() and c.pk == int(value)):
            return c
    return None


def campaigns_all(request) -> list[Campaign]:
    """Every campaign, newest first, read once per request (the switcher and the selection
    share it)."""
    cached = getattr(request, "_campaigns_all", None)
    if cached is None:
        cached = list(Campaign.objects.all())
        request._campaigns_all = cached
    return cached


def campaign_for_request(request, *, remember: bool = True) -> Campaign | None:
    """The campaign a page or API request is about.

    ``?campaign=<slug or id>`` chooses one (an unknown value → 404) and, for pages
    (``remember``), is kept in the session for the next pages; without it the session's
    choice, else :func:`campaign_current`. ``None`` only when no plan is loaded. One query per
    request (cached on the request)."""
    if hasattr(request, "_campaign"):
        return request._campaign
    pool = campaigns_all(request)
    raw = request.GET.get(CAMPAIGN_PARAM)
    chosen = None
    session = getattr(request, "session", None)
    if raw is not None:
        chosen = campaign_lookup(raw, pool)
        if chosen is None:
            raise Http404("unknown campaign")
        if remember and session is not None:
            if chosen == _choose_current(pool, today_local()):
                session.pop(SESSION_KEY, None)
            else:
                session[SESSION_KEY] = chosen.pk
    elif remember and session is not None and session.get(SESSION_KEY):
        chosen = campaign_lookup(str(session[SESSION_KEY]), pool)
        if chosen is None:
            session.pop(SESSION_KEY, None)
    if chosen is None:
        chosen = _choose_current(pool, today_local())
    request._campaign = chosen
    return chosen


@dataclass
class Overview:
    """What the campaign overview page shows. ``current_phase`` is None outside the campaign."""

    campaign: Campaign | None
    phases: list[Phase]
    current_phase: Phase | None
    actions: list[Action]
    upcoming_milestones: list[Milestone]
    today: datetime.date


def campaign_overview(
    *,
    campaign: Campaign | None = None,
    today: datetime.date | None = None,
    horizon_days: int = 90,
) -> Overview:
    """The campaign (default: :func:`campaign_current`), its phases (today's marked), its
    actions with their tasks, and its milestones falling due within ``horizon_days`` of
    ``today`` (Asia/Shanghai). 5 queries."""
    today = today or today_local()
    campaign = campaign or campaign_current(today)
    phases = list(Phase.objects.filter(campaign=campaign))
    current = next((p for p in phases if p.starts_on <= today <= p.ends_on), None)
    actions = list(
        Action.objects.filter(campaign=campaign).prefetch_related(
            Prefetch("tasks", queryset=Task.objects.order_by("number"))
        )
    )
    milestones = Milestone.objects.filter(campaign=campaign).select_related("task")
    return Overview(
        campaign=campaign,
        phases=phases,
        current_phase=current,
        actions=actions,
        upcoming_milestones=list(
            milestones.due_between(today, today + datetime.timedelta(days=horizon_days))
        ),
        today=today,
    )
