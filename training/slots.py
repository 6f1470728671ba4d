"""The menu entry of the training app, and its box on the enterprise page
(``enterprise_detail``): this app's summary of the enterprise — expired special-operations certificates first, then this year's drill and
inspection periods — rendered by ``training/_enterprise_slot.html``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from campaigns.slots import NavItem, Slot, register_nav, register_slot
from yixian_safety.dates import today_local

from . import permissions
from .selectors import enterprise_summary


def enterprise_slot_context(request, obj) -> dict:
    """``obj``: the enterprise (already visible to ``request.user``)."""
    if not permissions.can_view(request.user):
        return None
    return {"enterprise": obj, **enterprise_summary(request.user, obj, today=today_local())}


register_slot(
    "enterprise_detail",
    Slot(
        key="training",
        order=50,
        template="training/_enterprise_slot.html",
        context=enterprise_slot_context,
    ),
)
register_nav(NavItem(_("Training and drills"), "training:overview", 85))
