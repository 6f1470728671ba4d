"""Dashboard panels: the registry every app fills from its ``dashboard.py``.

A :class:`Panel` is a section of the dashboard page. The hub owns the page, the caching and the
order; a panel owns its figures (``build``) and how they look (``template``). The hub never
imports the apps: ``hazards/dashboard.py`` calls :func:`register_panel` for the plan's targets and
the statistics, ``enforcement/dashboard.py`` for supervision, and so on.

Contract:
- ``build(user, *, as_of: date, today: date) -> Any`` — figures scoped to ``user`` (start from
  ``visible_to(user)``), computed with a bounded number of queries whatever the data size.
  ``as_of`` is the day looked at (Asia/Shanghai), never after ``today``.
- ``today_only`` — True when the figures come from today's records (no history behind them):
  the panel is then not built for a past ``as_of`` and its value is ``empty``.
- ``template`` — rendered with ``panel``, ``value`` (what ``build`` returned) and ``d`` (the
  whole :class:`~campaigns.dashboard.selectors.Dashboard`).
- ``wants_campaign`` — True for panels about one campaign's plan (the hub's): ``build`` then
  also gets ``campaign=`` (the campaign the page shows, the current one by default).
- ``watches`` — ``"app_label.ModelName"`` of every model whose writes change the figures: a
  save or delete invalidates every cached dashboard. A name that is not a model fails at start-up
  (:func:`watched_models`), so a typo cannot leave the dashboard silently stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    order: int
    build: Callable[..., Any]
    template: str
    today_only: bool = True
    empty: Any = None
    watches: tuple[str, ...] = field(default_factory=tuple)
    wants_campaign: bool = False


PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> Panel:
    """Add (or replace, by ``key``) a panel. Returns it, so it can be used as a value."""
    PANELS[panel.key] = panel
    return panel


def panels() -> list[Panel]:
    """The registered panels in page order."""
    return sorted(PANELS.values(), key=lambda p: (p.order, p.key))


def watched_models() -> list[type]:
    """The model classes every panel watches. Raises ImproperlyConfigured for a name that is
    not an installed model (``"enforcement.SupervisionListing"`` when the model is ``Listing``)."""
    models = []
    for panel in panels():
        for label in panel.watches:
            try:
                models.append(apps.get_model(label))
            except (LookupError, ValueError) as exc:
                raise ImproperlyConfigured(
                    f"Dashboard panel {panel.key!r} watches {label!r}, which is not a model"
                ) from exc
    return list(dict.fromkeys(models))
