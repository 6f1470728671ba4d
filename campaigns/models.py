"""Every model of the hub, gathered here for Django (which loads ``campaigns.models``) and for the
other apps, which import them as ``from campaigns.models import Township, User``. Inside the hub,
code imports from the concern that defines the model:

- :mod:`campaigns.org.models` — townships, departments, sectors, users and roles; the
  "owned by one unit" base (``UnitOwned``)
- :mod:`campaigns.plan.models` — the campaign plan (phases, actions, tasks, milestones, obligations)
- :mod:`campaigns.subplans.models` — sub-plans (子实施方案), their versions and review events
- :mod:`campaigns.progress.models` — progress reports, milestones met, obligation records, cadences
- :mod:`campaigns.league.models` — league-table weights
- :mod:`campaigns.numbering.models` — per-year counters of the ledger numbers and 文号
- :mod:`campaigns.notifications.models` — reminder digests, their items and sends, the task outbox
- :mod:`campaigns.reports.models` — built quarterly and final reports (frozen, versioned)
- :mod:`campaigns.audit.models` — the append-only, hash-chained audit trail (审计日志)
"""

from campaigns.audit.models import AuditEvent
from campaigns.calendar.models import CalendarDay, CalendarYear  # noqa: F401  (the calendar)
from campaigns.league.models import LeagueWeight
from campaigns.notifications.models import (
    Digest,
    DigestSend,
    NotificationPreference,
    OutboxMessage,
    ReminderItem,
    ReminderRun,
)
from campaigns.numbering.models import DocumentCounter
from campaigns.org.models import Department, Role, Sector, Township, UnitOwned, User
from campaigns.plan.models import Action, Campaign, Milestone, Obligation, Phase, Task
from campaigns.progress.models import (
    MilestoneRecord,
    ObligationRecord,
    ProgressReport,
    ReportingCadence,
)
from campaigns.reports.models import Outcome, Report
from campaigns.subplans.models import SubPlan, SubPlanEvent, SubPlanVersion

__all__ = [
    "Action",
    "AuditEvent",
    "Campaign",
    "Department",
    "DocumentCounter",
    "Digest",
    "DigestSend",
    "LeagueWeight",
    "Milestone",
    "MilestoneRecord",
    "NotificationPreference",
    "Obligation",
    "ObligationRecord",
    "OutboxMessage",
    "Outcome",
    "Phase",
    "ProgressReport",
    "ReminderItem",
    "ReminderRun",
    "Report",
    "ReportingCadence",
    "Role",
    "Sector",
    "SubPlan",
    "SubPlanEvent",
    "SubPlanVersion",
    "Task",
    "Township",
    "UnitOwned",
    "User",
]
