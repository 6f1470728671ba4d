from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Training, certificates, drills and principal-led inspections (tasks 3, 20–22)."""

    name = "training"
    verbose_name = _("Training and drills")
