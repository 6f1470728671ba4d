"""The hub's own dashboard panels: the current phase and milestones, progress of the eight actions, the sub-plan board and the
league table (all from today's records)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from campaigns.dashboard.registry import Panel, register_panel
from campaigns.league.selectors import DEPARTMENTS, TOWNSHIPS, league_table
from campaigns.progress.selectors import action_progress
from campaigns.subplans.selectors import subplan_board


def _league(user, *, as_of, today):
    return {
        TOWNSHIPS: league_table(TOWNSHIPS, today=today),
        DEPARTMENTS: league_table(DEPARTMENTS, today=today),
    }


register_panel(
    Panel(
        key="plan",
        title=_("Current phase"),
        order=20,
        today_only=False,
        build=lambda user, *, as_of, today: None,  # the frame's phase and milestones
        template="campaigns/dashboard/_plan.html",
        watches=("campaigns.MilestoneRecord",),
    )
)
register_panel(
    Panel(
        key="action_progress",
        title=_("Progress of the eight actions"),
        order=50,
        build=lambda user, *, as_of, today, campaign: action_progress(user, campaign=campaign),
        wants_campaign=True,
        empty=[],
        template="campaigns/dashboard/_action_progress.html",
        watches=("campaigns.ProgressReport", "campaigns.MilestoneRecord"),
    )
)
register_panel(
    Panel(
        key="subplan_board",
        title=_("Sub-plans"),
        order=60,
        build=lambda user, *, as_of, today, campaign: subplan_board(
            user, today=today, campaign=campaign
        ),
        wants_campaign=True,
        empty=[],
        template="campaigns/dashboard/_subplan_board.html",
        watches=("campaigns.SubPlan", "campaigns.SubPlanEvent"),
    )
)
register_panel(
    Panel(
        key="league",
        title=_("League table"),
        order=70,
        build=_league,
        empty={},
        template="campaigns/dashboard/_league.html",
        watches=(
            "campaigns.LeagueWeight",
            "campaigns.SubPlan",
            "campaigns.ProgressReport",
            "campaigns.MilestoneRecord",
        ),
    )
)
