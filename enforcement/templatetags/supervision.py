"""``{% hazard_supervision hazard %}``: the supervision box on the hazard page (listing, open
extension, "request an extension"). Everything shown starts from ``visible_to(user)``."""

from django import template

from .. import permissions
from ..models import ExtensionRequest, Listing

register = template.Library()


@register.inclusion_tag("enforcement/_hazard_supervision.html", takes_context=True)
def hazard_supervision(context, hazard):
    user = context["request"].user
    listing = Listing.objects.visible_to(user).filter(hazard=hazard).order_by("-pk").first()
    extensions = list(ExtensionRequest.objects.visible_to(user).filter(hazard=hazard)
                      .order_by("-pk")[:3])
    rect = getattr(hazard, "rectification", None)
    return {
        "hazard": hazard, "listing": listing, "extensions": extensions,
        "can_request_extension": hazard.is_open and rect is not None and rect.deadline
        is not None and permissions.can_request_extension(user, hazard),
    }
