"""The calendar's plug-ins into the hub: its reminder source (``reminders.py``: next year's
holidays not entered) and its menu entry for admins. A package inside the hub is not found by
``autodiscover_modules``, so :func:`campaigns.plugins.discover` imports this module (one line).
"""

from django.utils.translation import gettext_lazy as _

from campaigns.slots import NavItem, register_nav

from . import reminders  # noqa: F401  (registers the "calendar" reminder source)

register_nav(
    NavItem(
        _("Working-day calendar"), "campaigns:calendar:years", 890, "campaigns.change_calendaryear"
    )
)
