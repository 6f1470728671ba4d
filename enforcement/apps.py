from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    """Inspections, penalties, tip-offs, experts and accidents (tasks 25–28)."""

    name = "enforcement"
    verbose_name = _("Enforcement")
