"""Roles as Django auth Groups: which model permissions each role holds.

Apps check rights with ``user.has_perm("hazards.close_hazard")`` (or the helpers in their
``permissions.py``); :func:`campaigns.services.roles_sync` writes these groups into the database.
Permissions named here but not (yet) defined by a model are skipped.
"""

from .models import Role

_READ_PLAN = ["campaigns.view_task", "campaigns.view_action", "campaigns.view_phase",
              "campaigns.view_milestone", "campaigns.view_obligation"]

# Units (townships, departments) draft and submit their own sub-plans and report progress.
_UNIT_PROGRESS = [
    "campaigns.view_subplan", "campaigns.add_subplan", "campaigns.change_subplan",
    "campaigns.view_subplanversion", "campaigns.view_progressreport",
    "campaigns.add_progressreport", "campaigns.view_milestonerecord",
    "campaigns.add_milestonerecord", "campaigns.view_obligationrecord",
    "campaigns.add_obligationrecord", "campaigns.view_reportingcadence",
    "campaigns.view_leagueweight",
]
# The safety office reviews sub-plans, sets reporting cadences, sees every unit's progress and
# records its own obligations (e.g. task 29's quarterly warning film).
_OFFICE_PROGRESS = [
    "campaigns.view_subplan", "campaigns.review_subplan", "campaigns.view_subplanversion",
    "campaigns.view_progressreport", "campaigns.view_milestonerecord",
    "campaigns.view_obligationrecord", "campaigns.add_obligationrecord",
    "campaigns.view_reportingcadence", "campaigns.add_reportingcadence",
    "campaigns.change_reportingcadence", "campaigns.view_leagueweight",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DEPARTMENT_STAFF: _READ_PLAN + _UNIT_PROGRESS + [
        "hazards.view_enterprise", "hazards.add_enterprise", "hazards.change_enterprise",
        "hazards.view_hazard", "hazards.add_hazard", "hazards.change_hazard",
        "hazards.confirm_hazard", "hazards.close_hazard", "hazards.merge_hazard",
        "hazards.export_hazard", "hazards.view_hazardcriterion",
    ],
    Role.TOWNSHIP_OFFICIAL: _READ_PLAN + _UNIT_PROGRESS + [
        "hazards.view_enterprise", "hazards.add_enterprise", "hazards.change_enterprise",
        "hazards.view_hazard", "hazards.add_hazard", "hazards.change_hazard",
        "hazards.confirm_hazard", "hazards.merge_hazard", "hazards.export_hazard",
        "hazards.view_hazardcriterion",
    ],
    Role.SAFETY_OFFICE: _READ_PLAN + _OFFICE_PROGRESS + [
        "hazards.view_enterprise", "hazards.add_enterprise", "hazards.change_enterprise",
        "hazards.view_hazard", "hazards.add_hazard", "hazards.change_hazard",
        "hazards.confirm_hazard",
        "hazards.close_hazard", "hazards.merge_hazard", "hazards.export_hazard",
        "hazards.view_hazardcriterion",
    ],
    Role.ADMIN: ["*"],  # every permission (admins manage accounts and reference data)
}
