"""Constants of the campaign: frequencies and fixed dates from the plan (one place for each)."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    """How often a recurring obligation falls due (source: 实施方案 tasks 3, 5, 22, 29)."""

    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half_yearly", _("half-yearly")
    YEARLY = "yearly", _("yearly")


# Stock (存量) hazards were found on or before this date; later ones are increment (增量).
STOCK_CUTOFF = datetime.date(2023, 12, 31)

# Demo accounts share this password (printed by ``make run``); never used outside demo data.
DEMO_PASSWORD = "Yixian-demo-2024"
