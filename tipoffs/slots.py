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


register_slot("hazard_detail", Slot("tipoffs", 30, "tipoffs/_hazard_tipoffs.html", _hazard_tipoffs))


def _reporting_scheme(request, enterprise):
    from .forms import ReportingSchemeForm
    from .models import ReportingScheme

    scheme = ReportingScheme.objects.filter(enterprise=enterprise).first()
    initial = (
        {}
        if scheme is None
        else {
            f: getattr(scheme, f)
            for f in (
                "has_scheme",
                "established_on",
                "rewards_paid_count",
                "rewards_paid_yuan",
                "note",
            )
        }
    )
    return {
        "scheme": scheme,
        "can_edit": request.user.has_perm("hazards.change_enterprise"),
        "form": ReportingSchemeForm(initial=initial),
        "enterprise": enterprise,
    }


register_slot(
    "enterprise_detail",
    Slot("tipoffs_scheme", 40, "tipoffs/_reporting_scheme.html", _reporting_scheme),
)
