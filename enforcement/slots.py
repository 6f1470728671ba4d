"""What supervision adds to other apps' pages (:mod:`campaigns.slots`): its menu entries and the
supervision box on the hazard page (listing, open extensions, "request an extension").
Everything shown starts from ``visible_to(user)``."""

from django.utils.translation import gettext_lazy as _

from campaigns.slots import NavItem, Slot, register_nav, register_slot

from . import permissions
from .models import ExtensionRequest, Listing


def hazard_supervision(request, hazard) -> dict:
    user = request.user
    listing = Listing.objects.visible_to(user).filter(hazard=hazard).order_by("-pk").first()
    extensions = list(ExtensionRequest.objects.visible_to(user).filter(hazard=hazard)
                      .order_by("-pk")[:3])
    rect = getattr(hazard, "rectification", None)
    return {
        "hazard": hazard, "listing": listing, "extensions": extensions,
        "can_request_extension": hazard.is_open and rect is not None and rect.deadline
        is not None and permissions.can_request_extension(user, hazard),
    }


register_slot("hazard_detail", Slot(key="supervision", order=10,
                                    template="enforcement/_hazard_supervision.html",
                                    context=hazard_supervision))

register_nav(NavItem(_("Listed supervision"), "enforcement:listing_list", 90,
                     "enforcement.view_listing"))
register_nav(NavItem(_("Extensions"), "enforcement:extension_list", 100,
                     "enforcement.view_extensionrequest"))
register_nav(NavItem(_("Escalation"), "enforcement:escalation_list", 110,
                     "enforcement.view_escalationstep"))
register_nav(NavItem(_("Slow progress"), "enforcement:slow_progress", 120,
                     "enforcement.view_listing"))
