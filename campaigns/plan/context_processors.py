"""Template context of every page: the campaign shown and the campaign switcher."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from campaigns.plan.selectors import (
    _choose_current,
    campaign_for_request,
    campaigns_all,
)
from yixian_safety.dates import today_local


def campaign(request):
    """``campaign``: the campaign the page is about (``?campaign=``, the session's choice or
    the current one); ``campaign_ended``: it is past its last day (archive, read-only);
    ``campaign_switch``: ``[{campaign, url, active, current}]`` for the navigation's switcher,
    empty unless more than one campaign is loaded. One query per request (shared with the
    view). Signed-in users only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    pool = campaigns_all(request)
    try:
        shown = campaign_for_request(request)
    except Http404:  # a bad ?campaign= on a page that is not about a campaign
        shown = _choose_current(pool, today_local())
    today = today_local()
    switch = []
    if len(pool) > 1:
        current = _choose_current(pool, today)
        overview = reverse("campaigns:overview")
        switch = [
            {
                "campaign": c,
                "url": f"{overview}?campaign={c.slug}",
                "active": c == shown,
                "current": c == current,
                "ended": c.ended_on(today),
            }
            for c in pool
        ]
    return {
        "campaign": shown,
        "campaign_ended": bool(shown and shown.ended_on(today)),
        "campaign_switch": switch,
    }
