"""What the tip-offs add to the hub's pages (:mod:`campaigns.slots`): menu entries, and on the
hazard page the tip-offs it came from (number and status only — never the reporter)."""

from django.utils.translation import gettext_lazy as _

from campaigns.slots import NavItem, Slot, register_nav, register_slot

register_nav(NavItem(_("Tip-offs"), "tipoffs:list", 85, "tipoffs.view_tipoff"))
register_nav(NavItem(_("Tip-off rewards"), "tipoffs:rewards", 86, "tipoffs.view_reward"))


def _hazard_tipoffs(request, hazard):
    from .models import TipOff

    tipoffs = list(TipOff.objects.visible_to(request.user).filter(hazard=hazard))
    return {"tipoffs": tipoffs} if tipoffs else None


register_slot("hazard_detail", Slot("tipoffs", 30, "tipoffs/_hazard_tipoffs.html",
                                    _hazard_tipoffs))
