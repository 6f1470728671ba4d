"""Checks before an action: a registry that lets a higher app veto a lower app's action.

The app that performs the action names a *point* (``"hazard.close"``) and calls
:func:`run_checks` inside its service's transaction; apps above it register functions for that
point from their ``checks.py``. Example: closing a hazard (销号) is a ``hazards`` service, and a
hazard under listed supervision (挂牌督办) needs the listing body's sign-off first — a rule of
``enforcement``, which ``hazards`` may not import. So ``enforcement/checks.py`` registers
``register_check("hazard.close", ensure_listing_signoff)`` and ``hazards.services.hazard_close``
runs ``run_checks("hazard.close", hazard=hazard, actor=actor)``.

Contract: a check is ``fn(**kwargs) -> None`` with the keyword arguments the point documents; it
raises Django's ``ValidationError`` (shown to the user; nothing is saved, the transaction rolls
back) or ``PermissionDenied`` to refuse, and may record what the action implies (the sign-off)
since it runs in the same transaction.

Points in use:
- ``"hazard.close"`` — ``hazard`` (locked row), ``actor`` (the closing user).
"""

from __future__ import annotations

from collections.abc import Callable

CHECKS: dict[str, list[Callable[..., None]]] = {}


def register_check(point: str, fn: Callable[..., None]) -> Callable[..., None]:
    """Run ``fn`` before every action at ``point`` (once per function; idempotent)."""
    registered = CHECKS.setdefault(point, [])
    if fn not in registered:
        registered.append(fn)
    return fn


def run_checks(point: str, **kwargs) -> None:
    """Run every check registered for ``point`` in registration order; the first refusal raises."""
    for fn in CHECKS.get(point, ()):
        fn(**kwargs)
