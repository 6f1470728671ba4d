from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipoffsConfig(AppConfig):
    """Public tip-offs (举报) with a protected reporter identity, and rewards (task 25)."""

    name = "tipoffs"
    verbose_name = _("Tip-offs")
