"""Action rights of enforcement (visibility itself is ``visible_to``).

A department acts for itself: its staff record its inspections, draws and enforcement actions;
the safety office (and admins) may act for any department. Experts are kept by the safety
office. Every rule has an outsider test in ``tests/enforcement/test_inspections.py``.
"""

from __future__ import annotations

from campaigns.org.scoping import scope_for


def acts_for(user, department) -> bool:
    """The user's own department, or everything (safety office / admin)."""
    if department is None:
        return False
    return scope_for(user).everything or user.department_id == department.pk


def can_record_inspection(user, department) -> bool:
    return user.has_perm("enforcement.add_inspection") and acts_for(user, department)


def can_change_inspection(user, inspection) -> bool:
    """Complete, cancel, raise hazards, assign experts: the inspecting department."""
    return user.has_perm("enforcement.change_inspection") and acts_for(user, inspection.department)


def can_draw(user, department) -> bool:
    return user.has_perm("enforcement.add_draw") and acts_for(user, department)


def can_publish_draw(user, draw) -> bool:
    return can_draw(user, draw.department)


def can_record_action(user, department) -> bool:
    return user.has_perm("enforcement.add_enforcementaction") and acts_for(user, department)


def can_refer(user, action) -> bool:
    return user.has_perm("enforcement.change_enforcementaction") and acts_for(
        user, action.department
    )


def can_record_tie(user) -> bool:
    return user.has_perm("enforcement.add_conflicttie")


def can_manage_experts(user) -> bool:
    return user.has_perm("enforcement.add_expert")


def can_record_accident(user) -> bool:
    return user.has_perm("enforcement.add_accident")


def can_change_accident(user) -> bool:
    return user.has_perm("enforcement.change_accident")


def can_export(user) -> bool:
    return user.has_perm("enforcement.export_inspection")


def can_propose_zero_penalty_step(user) -> bool:
    """Propose a 约谈/通报 step against a department that inspects but never penalises."""
    return user.has_perm("enforcement.decide_escalationstep")
