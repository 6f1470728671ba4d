"""Page slots: boxes that a higher app puts on a lower app's page.

The page names a slot and renders it with ``{% slot "hazard_detail" hazard %}`` (template tag
in ``campaigns_tags``); apps register :class:`Slot` entries for it from their ``slots.py``. The
hazard page (``hazards``) thus shows the supervision box (``enforcement``) without loading
enforcement's templates or tags.

Contract: ``context(request, obj) -> dict | None`` builds the box's context (scoped to
``request.user``: start from ``visible_to``); ``None`` or ``{}`` hides the box. ``template`` is
rendered with that context plus ``request`` and ``obj``. Boxes appear in ``order``.

Slots in use: ``"hazard_detail"`` (obj: Hazard), ``"enterprise_detail"`` (obj: Enterprise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Slot:
    key: str
    order: int
    template: str
    context: Callable[[Any, Any], dict | None]


SLOTS: dict[str, dict[str, Slot]] = {}


def register_slot(name: str, slot: Slot) -> Slot:
    """Add (or replace, by ``slot.key``) a box in the slot ``name``."""
    SLOTS.setdefault(name, {})[slot.key] = slot
    return slot


def render_slot(name: str, request, obj) -> SafeString:
    """The HTML of every box registered for ``name`` (empty when none applies)."""
    parts = []
    for slot in sorted(SLOTS.get(name, {}).values(), key=lambda s: (s.order, s.key)):
        context = slot.context(request, obj)
        if context:
            parts.append(render_to_string(slot.template, {**context, "obj": obj}, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates (autoescaped)


# --- the main navigation: entries every app adds from its slots.py ---------------------------


@dataclass(frozen=True)
class NavItem:
    """An entry of the main navigation. ``url_name``: reversed without arguments; ``perm``:
    the permission needed (None: every signed-in user); ``staff_only``: admins only;
    ``when(user) -> bool``: any other condition (e.g. holds an API token)."""

    label: str
    url_name: str
    order: int
    perm: str | None = None
    staff_only: bool = False
    when: Callable[[Any], bool] | None = None

    def shown_to(self, user) -> bool:
        if self.perm and not user.has_perm(self.perm):
            return False
        if self.staff_only and not user.is_staff:
            return False
        return self.when is None or self.when(user)


NAV_ITEMS: dict[str, NavItem] = {}


def register_nav(item: NavItem) -> NavItem:
    """Add (or replace, by ``url_name``) an entry of the main navigation."""
    NAV_ITEMS[item.url_name] = item
    return item


def nav_items() -> list[NavItem]:
    """The entries in menu order."""
    return sorted(NAV_ITEMS.values(), key=lambda i: (i.order, i.url_name))
