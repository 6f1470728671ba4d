"""What the hazard ledger adds to the hub's pages (:mod:`campaigns.slots`): its menu entries."""

from django.utils.translation import gettext_lazy as _

from campaigns.slots import NavItem, register_nav

register_nav(NavItem(_("Hazard ledger"), "hazards:list", 60, "hazards.view_hazard"))
register_nav(NavItem(_("Statistics"), "hazards:statistics", 70, "hazards.view_hazard"))
register_nav(NavItem(_("Enterprises"), "hazards:enterprise_list", 80, "hazards.view_enterprise"))
