"""Template context shared by every page: the navigation the user's role may use."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed or None for every signed-in user, staff only)
NAV_ITEMS = [
    (_("Dashboard"), "campaigns:dashboard", None, False),
    (_("Campaign plan"), "campaigns:overview", None, False),
    (_("Sub-plans"), "campaigns:subplans", "campaigns.view_subplan", False),
    (_("Obligations"), "campaigns:obligations", "campaigns.view_obligationrecord", False),
    (_("League table"), "campaigns:league", None, False),
    (_("Hazard ledger"), "hazards:list", "hazards.view_hazard", False),
    (_("Statistics"), "hazards:statistics", "hazards.view_hazard", False),
    (_("Enterprises"), "hazards:enterprise_list", "hazards.view_enterprise", False),
    (_("Listed supervision"), "enforcement:listing_list", "enforcement.view_listing", False),
    (_("Extensions"), "enforcement:extension_list", "enforcement.view_extensionrequest", False),
    (_("Escalation"), "enforcement:escalation_list", "enforcement.view_escalationstep", False),
    (_("Slow progress"), "enforcement:slow_progress", "enforcement.view_listing", False),
    (_("API"), "swagger-ui", None, False),
    (_("Administration"), "admin:index", None, True),
]


def navigation(request):
    """``nav_items``: list of {label, url, active} the current user may open (empty if anonymous);
    ``notifications_unread``: the user's unread reminder digests (navbar badge; one query)."""
    from campaigns.notifications.models import Digest

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "notifications_unread": 0}
    items = []
    for label, url_name, perm, staff_only in NAV_ITEMS:
        if (perm and not user.has_perm(perm)) or (staff_only and not user.is_staff):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # the app providing it is not installed
            continue
        items.append({"label": label, "url": url,
                      "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items,
            "notifications_unread": Digest.objects.visible_to(user).unread().count()}
