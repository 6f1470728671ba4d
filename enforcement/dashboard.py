"""Supervision figures of the dashboard: listed hazards, missed quarterly reports, extension
requests awaiting a decision, escalation steps proposed (tasks 5, 15, 16, 26).

Each figure is one database count over what ``user`` may see, and links to the list filtered to
exactly those records (the list's count equals the figure). Two queries.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.dashboard.registry import Panel, register_panel
from hazards.dashboard import Figure

from .models import EscalationStep, ExtensionRequest, Listing


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def supervision_figures(user, *, today: datetime.date) -> dict[str, list[Figure]]:
    """``{"figures": [Figure…]}`` for the dashboard's supervision section."""
    listings = (
        Listing.objects.visible_to(user)
        .active()
        .with_report_figures(today)
        .aggregate(listed=Count("pk"), missed=Count("pk", filter=Q(missed_reports__gt=0)))
    )
    pending = (
        ExtensionRequest.objects.visible_to(user)
        .filter(status=ExtensionRequest.Status.REQUESTED)
        .count()
    )
    proposed = EscalationStep.objects.visible_to(user).proposed().count()
    return {
        "figures": [
            Figure(
                _("listed for supervision"),
                listings["listed"],
                _url("enforcement:listing_list", status=Listing.Status.LISTED),
            ),
            Figure(
                _("listed, a quarterly report missed"),
                listings["missed"],
                _url("enforcement:listing_list", status=Listing.Status.LISTED, missed=1),
            ),
            Figure(
                _("extensions awaiting a decision"),
                pending,
                _url("enforcement:extension_list", status=ExtensionRequest.Status.REQUESTED),
            ),
            Figure(
                _("escalation steps proposed"),
                proposed,
                _url("enforcement:escalation_list", status=EscalationStep.Status.PROPOSED),
            ),
        ]
    }


register_panel(
    Panel(
        key="supervision",
        title=gettext_lazy("Supervision and escalation"),
        order=40,
        build=lambda user, *, as_of, today: supervision_figures(user, today=today),
        empty={},
        template="enforcement/dashboard/_supervision.html",
        watches=(
            "enforcement.Listing",
            "enforcement.ListingProgressReport",
            "enforcement.ExtensionRequest",
            "enforcement.EscalationStep",
        ),
    )
)


# --- enforcement itself (inspections, penalties, accidents: enforcement.inspections) ---
from .inspections.dashboard import enforcement_figures  # noqa: E402

register_panel(
    Panel(
        key="enforcement",
        title=gettext_lazy("Enforcement and accidents"),
        order=15,
        build=lambda user, *, as_of, today: enforcement_figures(user, today=today),
        empty={},
        template="enforcement/dashboard/_enforcement.html",
        watches=("enforcement.Inspection", "enforcement.EnforcementAction", "enforcement.Accident"),
    )
)
