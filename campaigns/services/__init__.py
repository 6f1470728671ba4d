"""Writes of the campaigns app (keyword-only ``<entity>_<verb>`` functions, each atomic).

- :mod:`.plan` — loading the plan, role groups, user accounts
- :mod:`.subplans` — sub-plans: create, new version, submit, return, approve
- :mod:`.progress` — progress reports, milestones met, obligation records, reporting cadence
"""

from campaigns.services.plan import (
    PLAN_FILE,
    PlanDataError,
    plan_load,
    plan_read,
    roles_sync,
    user_assign_role,
    user_create,
)

__all__ = ["PLAN_FILE", "PlanDataError", "plan_load", "plan_read", "roles_sync",
           "user_assign_role", "user_create"]
