from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    """Enterprises and the major accident hazard ledger (tasks 14–16)."""

    name = "hazards"
    verbose_name = _("Hazard ledger")
