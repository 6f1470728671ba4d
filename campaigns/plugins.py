"""How the other apps plug into the hub — one place that names every registry and finds the
modules that fill them.

The hub (``campaigns``) never imports an app above it. When it needs something from them it
defines a registry; each app fills it from a module with a fixed name, imported at start-up by
:func:`discover` (as Django's admin finds ``admin.py``):

==================  ===============================================  ==========================
module in an app    what it registers                                registry (contract)
==================  ===============================================  ==========================
``reminders.py``    reminder sources ``(today) -> Iterable[Reminder]``  :mod:`campaigns.notifications.sources`
``dashboard.py``    dashboard panels (:class:`~campaigns.dashboard.registry.Panel`)  :mod:`campaigns.dashboard.registry`
``league.py``       league metrics (:class:`~campaigns.league.registry.Metric`)      :mod:`campaigns.league.registry`
``report.py``       quarterly-report sections (:class:`~campaigns.reports.registry.Section`)  :mod:`campaigns.reports.registry`
``checks.py``       checks run before an action (``"hazard.close"`` …)  :mod:`campaigns.checks`
``slots.py``        boxes on another app's page (``"hazard_detail"`` …)  :mod:`campaigns.slots`
``progress.py``     computed task progress, milestone states           :mod:`campaigns.progress.registry`
==================  ===============================================  ==========================

The hub's own entries are registered by the hub's own modules of the same names (e.g.
``campaigns/reminders.py``) and by ``campaigns/dashboard/panels.py`` and
``campaigns/league/metrics.py``.
"""

from __future__ import annotations

from django.utils.module_loading import autodiscover_modules

PLUGIN_MODULES = ("reminders", "dashboard", "league", "report", "checks", "slots", "progress")

_discovered = False


def discover() -> None:
    """Import every installed app's plug-in modules once (from ``CampaignsConfig.ready``)."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    # the hub's own entries first, so they keep their place when orders tie
    import campaigns.calendar.plugins  # noqa: F401  (the working-day calendar's reminder, menu)
    import campaigns.dashboard.panels  # noqa: F401
    import campaigns.league.metrics  # noqa: F401
    import campaigns.org.context_processors  # noqa: F401  (the hub's menu entries)

    for name in PLUGIN_MODULES:
        autodiscover_modules(name)
