"""What supervision adds to other apps' pages (:mod:`campaigns.slots`): its menu entries and the
supervision box on the hazard page (listing, open extensions, "request an extension").
Everything shown starts from ``visible_to(user)``."""

from django.utils.translation import gettext_lazy as _

from campaigns.slots import NavItem, Slot, register_nav, register_slot

from . import permissions
from .models import Accident, EnforcementAction, ExtensionRequest, Inspection, Listing


def hazard_supervision(request, hazard) -> dict:
    user = request.user
    listing = Listing.objects.visible_to(user).filter(hazard=hazard).order_by("-pk").first()
    extensions = list(
        ExtensionRequest.objects.visible_to(user).filter(hazard=hazard).order_by("-pk")[:3]
    )
    rect = getattr(hazard, "rectification", None)
    return {
        "hazard": hazard,
        "listing": listing,
        "extensions": extensions,
        "can_request_extension": hazard.is_open
        and rect is not None
        and rect.deadline is not None
        and permissions.can_request_extension(user, hazard),
    }


register_slot(
    "hazard_detail",
    Slot(
        key="supervision",
        order=10,
        template="enforcement/_hazard_supervision.html",
        context=hazard_supervision,
    ),
)

register_nav(
    NavItem(_("Listed supervision"), "enforcement:listing_list", 90, "enforcement.view_listing")
)
register_nav(
    NavItem(_("Extensions"), "enforcement:extension_list", 100, "enforcement.view_extensionrequest")
)
register_nav(
    NavItem(_("Escalation"), "enforcement:escalation_list", 110, "enforcement.view_escalationstep")
)
register_nav(
    NavItem(_("Slow progress"), "enforcement:slow_progress", 120, "enforcement.view_listing")
)


# --- enforcement (enforcement.inspections): menu entries and the boxes on hazard/enterprise ---


def hazard_inspections(request, hazard) -> dict:
    """The inspection(s) that raised this hazard and the enforcement actions naming it."""
    user = request.user
    return {
        "inspections": list(
            Inspection.objects.visible_to(user)
            .filter(hazards=hazard)
            .select_related("department")[:5]
        ),
        "actions": list(EnforcementAction.objects.visible_to(user).filter(hazards=hazard)[:5]),
    }


def enterprise_enforcement(request, enterprise) -> dict:
    """Recent inspections, enforcement actions and accidents of the enterprise; links to the
    filtered lists and to record an inspection."""
    user = request.user
    return {
        "enterprise": enterprise,
        "inspections": list(
            Inspection.objects.visible_to(user)
            .filter(enterprise=enterprise)
            .select_related("department")[:5]
        ),
        "actions": list(
            EnforcementAction.objects.visible_to(user).filter(enterprise=enterprise)[:5]
        ),
        "accidents": list(Accident.objects.visible_to(user).filter(enterprise=enterprise)[:5]),
        "can_inspect": user.has_perm("enforcement.add_inspection"),
    }


register_slot(
    "hazard_detail",
    Slot(
        key="inspections",
        order=20,
        template="enforcement/inspections/_hazard_box.html",
        context=hazard_inspections,
    ),
)
register_slot(
    "enterprise_detail",
    Slot(
        key="enforcement",
        order=20,
        template="enforcement/inspections/_enterprise_box.html",
        context=enterprise_enforcement,
    ),
)

register_nav(
    NavItem(_("Inspections"), "enforcement:inspection_list", 130, "enforcement.view_inspection")
)
register_nav(
    NavItem(_("Double-random draws"), "enforcement:draw_list", 135, "enforcement.view_draw")
)
register_nav(
    NavItem(
        _("Enforcement actions"),
        "enforcement:action_list",
        140,
        "enforcement.view_enforcementaction",
    )
)
register_nav(
    NavItem(
        _("Enforcement statistics"),
        "enforcement:enforcement_statistics",
        145,
        "enforcement.view_inspection",
    )
)
register_nav(NavItem(_("Expert pool"), "enforcement:expert_list", 150, "enforcement.view_expert"))
register_nav(
    NavItem(
        _("Conflict-of-interest ties"), "enforcement:tie_list", 155, "enforcement.view_conflicttie"
    )
)
register_nav(NavItem(_("Accidents"), "enforcement:accident_list", 160, "enforcement.view_accident"))
