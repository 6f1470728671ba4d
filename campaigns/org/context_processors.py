"""Template context shared by every page: the navigation the user's role may use."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from campaigns.slots import NavItem, nav_items, register_nav


def _uses_the_api(user) -> bool:
    """The API docs are for admins and API users: those an admin gave the permission "Can view
    Token" (authtoken) when issuing their token (no extra query: permissions are cached)."""
    return user.is_staff or user.has_perm("authtoken.view_token")


# The hub's own entries; the other apps add theirs from their slots.py (campaigns.slots).
for _item in [
    NavItem(_("Dashboard"), "campaigns:dashboard", 10),
    NavItem(_("Campaign plan"), "campaigns:overview", 20),
    NavItem(_("Sub-plans"), "campaigns:subplans", 30, "campaigns.view_subplan"),
    NavItem(_("Obligations"), "campaigns:obligations", 40, "campaigns.view_obligationrecord"),
    NavItem(_("League table"), "campaigns:league", 50),
    NavItem(_("Reports"), "campaigns:reports", 60),
    NavItem(_("API"), "swagger-ui", 900, when=_uses_the_api),
    NavItem(_("Administration"), "admin:index", 910, staff_only=True),
]:
    register_nav(_item)


def navigation(request):
    """``nav_items``: list of {label, url, active} the current user may open (empty if anonymous);
    ``notifications_unread``: the user's unread reminder digests of the last
    ``UNREAD_BADGE_DAYS`` days (navbar badge; one query)."""
    from campaigns.notifications.models import Digest
    from yixian_safety.dates import today_local

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "notifications_unread": 0}
    items = []
    for item in nav_items():
        if not item.shown_to(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # the app providing it is not installed
            continue
        items.append(
            {"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"}
        )
    return {
        "nav_items": items,
        "notifications_unread": Digest.objects.visible_to(user)
        .unread()
        .recent(today_local())
        .count(),
    }
