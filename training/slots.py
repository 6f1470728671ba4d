"""Page slot of the enterprise page (``enterprise_detail``): this app's summary of the
enterprise — expired special-operations certificates first, then this year's drill and
inspection periods — rendered by ``training/_enterprise_slot.html``."""

from __future__ import annotations

from campaigns.selectors import today_local

from .selectors import enterprise_summary

SLOT_KEY = "training"
SLOT_ORDER = 50
SLOT_TEMPLATE = "training/_enterprise_slot.html"


def enterprise_slot_context(request, obj) -> dict:
    """``obj``: the enterprise (already visible to ``request.user``)."""
    return {"enterprise": obj, **enterprise_summary(request.user, obj, today=today_local())}
