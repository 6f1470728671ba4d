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

# Sub-plan documents (PDF / Word / WPS) and progress attachments: upper size limit in bytes.
SUBPLAN_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024

# Progress reports are on time when submitted within this many days after the period ends.
REPORT_GRACE_DAYS = 10

# Progress reporting cadence of a task the office has not set.
DEFAULT_REPORTING_FREQUENCY = Frequency.QUARTERLY

# The plan's milestone that sets the sub-plans' due date (三、进度安排（一）: 2024-03-15).
SUBPLAN_DUE_MILESTONE_KIND = "phase_deadline"
SUBPLAN_DUE_FALLBACK = datetime.date(2024, 3, 15)
