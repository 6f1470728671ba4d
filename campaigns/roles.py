"""Roles as Django auth Groups: which model permissions each role holds.

Apps check rights with ``user.has_perm("hazards.close_hazard")`` (or the helpers in their
``permissions.py``); :func:`campaigns.services.roles_sync` writes these groups into the database.
Permissions named here but not (yet) defined by a model are skipped.
"""

from .models import Role

_READ_PLAN = ["campaigns.view_task", "campaigns.view_action", "campaigns.view_phase",
              "campaigns.view_milestone", "campaigns.view_obligation"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DEPARTMENT_STAFF: _READ_PLAN + [
        "hazards.view_enterprise", "hazards.add_enterprise", "hazards.change_enterprise",
        "hazards.view_hazard", "hazards.add_hazard", "hazards.change_hazard",
        "hazards.confirm_hazard", "hazards.close_hazard", "hazards.merge_hazard",
        "hazards.export_hazard", "hazards.view_hazardcriterion",
    ],
    Role.TOWNSHIP_OFFICIAL: _READ_PLAN + [
        "hazards.view_enterprise", "hazards.add_enterprise", "hazards.change_enterprise",
        "hazards.view_hazard", "hazards.add_hazard", "hazards.change_hazard",
        "hazards.confirm_hazard", "hazards.merge_hazard", "hazards.export_hazard",
        "hazards.view_hazardcriterion",
    ],
    Role.SAFETY_OFFICE: _READ_PLAN + [
        "hazards.view_enterprise", "hazards.add_enterprise", "hazards.change_enterprise",
        "hazards.view_hazard", "hazards.add_hazard", "hazards.change_hazard",
        "hazards.confirm_hazard",
        "hazards.close_hazard", "hazards.merge_hazard", "hazards.export_hazard",
        "hazards.view_hazardcriterion",
    ],
    Role.ADMIN: ["*"],  # every permission (admins manage accounts and reference data)
}
