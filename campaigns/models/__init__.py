"""Models of the campaigns app, one module per area (import from ``campaigns.models``).

- :mod:`.org` — townships, departments, sectors, users and roles
- :mod:`.plan` — the campaign plan (phases, actions, tasks, milestones, obligations)
- :mod:`.units` — the abstract "owned by one township or department" base
- :mod:`.subplans` — sub-plans (子实施方案), their versions and review events
- :mod:`.progress` — progress reports, milestones met, obligation records, league weights
- :mod:`.notifications` — reminder digests, their items and sends, the task outbox
"""

from ..calendar.models import CalendarDay, CalendarYear  # noqa: F401  (the calendar package)
from .notifications import (
    Digest,
    DigestSend,
    NotificationPreference,
    OutboxMessage,
    ReminderItem,
)
from .org import Department, Role, Sector, Township, User
from .plan import Action, Campaign, Milestone, Obligation, Phase, Task
from .progress import (
    LeagueWeight,
    MilestoneRecord,
    ObligationRecord,
    ProgressReport,
    ReportingCadence,
)
from .subplans import SubPlan, SubPlanEvent, SubPlanVersion

__all__ = [
    "Action",
    "Campaign",
    "Department",
    "Digest",
    "DigestSend",
    "LeagueWeight",
    "Milestone",
    "MilestoneRecord",
    "NotificationPreference",
    "Obligation",
    "ObligationRecord",
    "OutboxMessage",
    "Phase",
    "ProgressReport",
    "ReminderItem",
    "ReportingCadence",
    "Role",
    "Sector",
    "SubPlan",
    "SubPlanEvent",
    "SubPlanVersion",
    "Task",
    "Township",
    "User",
]
