"""Models of the campaigns app, one module per area (import from ``campaigns.models``).

- :mod:`.org` — townships, departments, sectors, users and roles
- :mod:`.plan` — the campaign plan (phases, actions, tasks, milestones, obligations)
- :mod:`.notifications` — reminder digests, their items and sends, the task outbox
"""

from .notifications import (
    Digest,
    DigestSend,
    NotificationPreference,
    OutboxMessage,
    ReminderItem,
)
from .org import Department, Role, Sector, Township, User
from .plan import Action, Campaign, Milestone, Obligation, Phase, Task

__all__ = ["Action", "Campaign", "Department", "Digest", "DigestSend", "Milestone",
           "NotificationPreference", "Obligation", "OutboxMessage", "Phase", "ReminderItem",
           "Role", "Sector", "Task", "Township", "User"]
