"""Action rights on hazards and enterprises (visibility itself is ``visible_to``).

Township officials and department staff report, confirm and enter rectification in their scope;
acceptance and closure (销号) are for staff of a supervising department (one leading the hazard's
sector, or its ``supervising_department``) or the safety office — never the user who submitted
the rectification for acceptance.
"""

from __future__ import annotations

from campaigns.models import Role
from campaigns.org.scoping import scope_for


def can_report(user) -> bool:
    return user.has_perm("hazards.add_hazard")


def can_confirm(user, hazard) -> bool:
    return user.has_perm("hazards.confirm_hazard")


def can_rectify(user, hazard) -> bool:
    """Enter the five implementations, upload after photos, submit for acceptance."""
    return user.has_perm("hazards.change_hazard")


def can_merge(user) -> bool:
    return user.has_perm("hazards.merge_hazard")


def can_export(user) -> bool:
    return user.has_perm("hazards.export_hazard")


def can_import(user) -> bool:
    return user.has_perm("hazards.add_hazard") and user.has_perm("hazards.add_enterprise")


def is_supervisor(user, hazard) -> bool:
    """Safety office/admin, or staff of a department leading the sector / supervising it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in (Role.SAFETY_OFFICE, Role.ADMIN) or user.is_superuser:
        return True
    if user.role != Role.DEPARTMENT_STAFF:
        return False
    scope = scope_for(user)
    return (
        hazard.sector_id in scope.sector_ids
        or hazard.supervising_department_id in scope.department_ids
    )


def can_sign_off(user, hazard) -> bool:
    """Acceptance check and closure: a supervisor who did not submit the rectification."""
    if not (user.has_perm("hazards.close_hazard") and is_supervisor(user, hazard)):
        return False
    rect = getattr(hazard, "rectification", None)
    return not (rect is not None and rect.submitted_by_id == user.pk)
