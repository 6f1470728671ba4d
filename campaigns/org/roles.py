"""Roles as Django auth Groups: which model permissions each role holds.

Apps check rights with ``user.has_perm("hazards.close_hazard")`` (or the helpers in their
``permissions.py``); :func:`campaigns.services.roles_sync` writes these groups into the database.
Permissions named here but not (yet) defined by a model are skipped.
"""

from campaigns.org.models import Role

_READ_PLAN = [
    "campaigns.view_task",
    "campaigns.view_action",
    "campaigns.view_phase",
    "campaigns.view_milestone",
    "campaigns.view_obligation",
]

# Units (townships, departments) draft and submit their own sub-plans and report progress.
_UNIT_PROGRESS = [
    "campaigns.view_subplan",
    "campaigns.add_subplan",
    "campaigns.change_subplan",
    "campaigns.view_subplanversion",
    "campaigns.view_progressreport",
    "campaigns.add_progressreport",
    "campaigns.view_milestonerecord",
    "campaigns.add_milestonerecord",
    "campaigns.view_obligationrecord",
    "campaigns.add_obligationrecord",
    "campaigns.view_reportingcadence",
    "campaigns.view_leagueweight",
]
# The safety office reviews sub-plans, sets reporting cadences, sees every unit's progress and
# records its own obligations (e.g. task 29's quarterly warning film).
_OFFICE_PROGRESS = [
    "campaigns.view_subplan",
    "campaigns.review_subplan",
    "campaigns.view_subplanversion",
    "campaigns.view_progressreport",
    "campaigns.view_milestonerecord",
    "campaigns.view_obligationrecord",
    "campaigns.add_obligationrecord",
    "campaigns.view_reportingcadence",
    "campaigns.add_reportingcadence",
    "campaigns.change_reportingcadence",
    "campaigns.view_leagueweight",
]
# Supervision and escalation (enforcement app, tasks 5/15/16/26): everyone in scope reads listings,
# extensions and escalation steps, reports quarterly progress and requests extensions; department
# staff decide extensions of hazards they supervise; the safety office acts for the listing body.
_SUPERVISION = [
    "enforcement.view_listing",
    "enforcement.view_listingprogressreport",
    "enforcement.add_listingprogressreport",
    "enforcement.view_extensionrequest",
    "enforcement.add_extensionrequest",
    "enforcement.view_escalationstep",
    "enforcement.export_listing",
]

# Tip-offs (tipoffs app, task 25): departments verify what is assigned to them; the office triages,
# answers, closes and rewards. Reading a reporter's identity is in no role: it is the separate
# group 举报受理人 (tipoffs.constants.RECEIVER_GROUP) that admins give to named people.
_TIPOFFS_DEPARTMENT = ["tipoffs.view_tipoff", "tipoffs.verify_tipoff", "tipoffs.export_tipoff"]
_TIPOFFS_OFFICE = _TIPOFFS_DEPARTMENT + [
    "tipoffs.triage_tipoff",
    "tipoffs.decide_reward",
    "tipoffs.view_reward",
]
# Enforcement (enforcement.inspections, tasks 26–28): everyone in scope reads inspections, draws,
# enforcement actions, experts and accidents; departments inspect, draw, penalise, record ties
# and accidents; the safety office keeps the expert pool.
_ENFORCEMENT_READ = [
    "enforcement.view_inspection",
    "enforcement.view_draw",
    "enforcement.view_enforcementaction",
    "enforcement.view_expert",
    "enforcement.view_conflicttie",
    "enforcement.view_accident",
    "enforcement.export_inspection",
]
_ENFORCEMENT_DEPARTMENT = _ENFORCEMENT_READ + [
    "enforcement.add_inspection",
    "enforcement.change_inspection",
    "enforcement.add_draw",
    "enforcement.add_enforcementaction",
    "enforcement.change_enforcementaction",
    "enforcement.add_conflicttie",
    "enforcement.add_accident",
    "enforcement.change_accident",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DEPARTMENT_STAFF: _READ_PLAN
    + _UNIT_PROGRESS
    + [
        "hazards.view_enterprise",
        "hazards.add_enterprise",
        "hazards.change_enterprise",
        "hazards.view_hazard",
        "hazards.add_hazard",
        "hazards.change_hazard",
        "hazards.confirm_hazard",
        "hazards.close_hazard",
        "hazards.merge_hazard",
        "hazards.export_hazard",
        "hazards.view_hazardcriterion",
    ]
    + _SUPERVISION
    + ["enforcement.decide_extensionrequest"]
    + _TIPOFFS_DEPARTMENT
    + _ENFORCEMENT_DEPARTMENT,
    Role.TOWNSHIP_OFFICIAL: _READ_PLAN
    + _UNIT_PROGRESS
    + [
        "hazards.view_enterprise",
        "hazards.add_enterprise",
        "hazards.change_enterprise",
        "hazards.view_hazard",
        "hazards.add_hazard",
        "hazards.change_hazard",
        "hazards.confirm_hazard",
        "hazards.merge_hazard",
        "hazards.export_hazard",
        "hazards.view_hazardcriterion",
    ]
    + _SUPERVISION
    + _ENFORCEMENT_READ,
    Role.SAFETY_OFFICE: _READ_PLAN
    + _OFFICE_PROGRESS
    + [
        "hazards.view_enterprise",
        "hazards.add_enterprise",
        "hazards.change_enterprise",
        "hazards.view_hazard",
        "hazards.add_hazard",
        "hazards.change_hazard",
        "hazards.confirm_hazard",
        "hazards.close_hazard",
        "hazards.merge_hazard",
        "hazards.export_hazard",
        "hazards.view_hazardcriterion",
        "campaigns.run_reminders",
    ]
    + _SUPERVISION
    + [
        "enforcement.add_listing",
        "enforcement.sign_off_listing",
        "enforcement.decide_extensionrequest",
        "enforcement.decide_escalationstep",
        "enforcement.view_escalationrule",
    ]
    + _TIPOFFS_OFFICE
    + _ENFORCEMENT_DEPARTMENT
    + ["enforcement.add_expert", "enforcement.change_expert"],
    Role.ADMIN: ["*"],  # every permission (admins manage accounts and reference data)
}
