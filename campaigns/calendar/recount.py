"""Recounting stored working-day figures when a year's schedule changes.

Apps that store a count (e.g. ``enforcement.ExtensionRequest.working_days_before``) register a
function from their ``workdays.py`` module (found by ``autodiscover_modules``, as the admin
finds ``admin.py``; the calendar never imports the apps above it):

    @register_recount("extension")
    def recount_extensions(years: frozenset[int]) -> int:
        ...  # re-count the rows whose counted range touches one of ``years``
        return changed_rows
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

RecountFn = Callable[[frozenset[int]], int]
_RECOUNTS: dict[str, RecountFn] = {}
_discovered = False


def register_recount(name: str) -> Callable[[RecountFn], RecountFn]:
    """Decorator: register ``fn(years) -> rows changed`` under ``name`` (re-registering the
    same name replaces it)."""

    def decorator(fn: RecountFn) -> RecountFn:
        _RECOUNTS[name] = fn
        return fn

    return decorator


def registered_recounts() -> dict[str, RecountFn]:
    """Name → recount function, after importing every installed app's ``workdays`` module."""
    global _discovered
    if not _discovered:
        autodiscover_modules("workdays")
        _discovered = True
    return dict(_RECOUNTS)


def workdays_recount(years: frozenset[int] | set[int]) -> dict[str, int]:
    """Run every registered recount for ``years``; {name: rows changed}. Call inside the
    transaction that changed the schedule, so figures and schedule change together."""
    years = frozenset(years)
    return {name: fn(years) for name, fn in registered_recounts().items()}
