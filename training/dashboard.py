"""The training panel of the dashboard: this year's focus coverage (task 3), certificates
expired and expiring (task 20), drills and principal-led inspections missed (tasks 22, 3).

``training_panel(user, *, as_of, today)`` returns figures only (the template
``training/plugins/dashboard_panel.html`` renders them); every figure links to its rows. Today
only: the records carry no history to rebuild a past day from.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from campaigns.dashboard.registry import Panel, register_panel

from . import selectors
from .constants import CAMPAIGN_YEARS


@dataclass
class TrainingPanel:
    year: int
    coverage: list  # selectors.Coverage
    certificates: dict  # selectors.certificate_counts
    drills: selectors.DutyFigures
    inspections: selectors.DutyFigures


def training_panel(user, *, as_of: datetime.date, today: datetime.date) -> TrainingPanel:
    """Figures of the panel for ``user``'s scope (a handful of aggregate queries)."""
    year = today.year if today.year in CAMPAIGN_YEARS else CAMPAIGN_YEARS[-1]
    return TrainingPanel(
        year=year,
        coverage=selectors.focus_coverage(user, year=year, today=today),
        certificates=selectors.certificate_counts(user, today),
        drills=selectors.duty_compliance(
            user, selectors.DRILL_DUTY, year=year, today=today, breakdown=False
        )["total"],
        inspections=selectors.duty_compliance(
            user, selectors.INSPECTION_DUTY, year=year, today=today, breakdown=False
        )["total"],
    )


register_panel(
    Panel(
        key="training",
        title=_("Training, certificates and drills"),
        order=45,
        build=training_panel,
        template="training/plugins/dashboard_panel.html",
        today_only=True,
        watches=(
            "training.TrainingSession",
            "training.Attendance",
            "training.Certificate",
            "training.Drill",
            "training.PrincipalInspection",
            "training.EnterpriseFlag",
            "training.RescueTeam",
            "hazards.Enterprise",
        ),
    )
)
