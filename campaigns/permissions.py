"""Action rights of the campaigns app (visibility is ``visible_to``; this is what a user may
*do* to a record they can see — refusals are 403).

Township officials act for their township, department staff for their department, the
safety office reviews; admins hold every permission (roles.py) but act for no unit.
"""

from __future__ import annotations

from campaigns.models import Department, Role, Township


def acting_unit(user) -> Township | Department | None:
    """The unit ``user`` reports for: township officials → township; department staff and the
    safety office → their department; admins and others → None."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.TOWNSHIP_OFFICIAL:
        return user.township
    if user.role in (Role.DEPARTMENT_STAFF, Role.SAFETY_OFFICE):
        return user.department
    return None


def acts_for(user, record) -> bool:
    """``user`` acts for the unit owning ``record`` (a UnitOwned record)."""
    unit = acting_unit(user)
    return unit is not None and unit == record.unit


def can_create_subplan(user) -> bool:
    return (user.has_perm("campaigns.add_subplan")
            and user.role in (Role.TOWNSHIP_OFFICIAL, Role.DEPARTMENT_STAFF))


def can_submit_subplan(user, sub_plan) -> bool:
    """The owning unit submits, resubmits and uploads new versions."""
    return user.has_perm("campaigns.change_subplan") and acts_for(user, sub_plan)


def can_review_subplan(user, sub_plan=None) -> bool:
    """The safety office (and admins) return or approve."""
    return user.has_perm("campaigns.review_subplan")


def can_report_progress(user) -> bool:
    return (user.has_perm("campaigns.add_progressreport")
            and user.role in (Role.TOWNSHIP_OFFICIAL, Role.DEPARTMENT_STAFF))


def can_record_milestone(user) -> bool:
    return (user.has_perm("campaigns.add_milestonerecord")
            and user.role in (Role.TOWNSHIP_OFFICIAL, Role.DEPARTMENT_STAFF))


def can_record_obligation(user) -> bool:
    return user.has_perm("campaigns.add_obligationrecord") and acting_unit(user) is not None


def can_set_cadence(user) -> bool:
    return user.has_perm("campaigns.change_reportingcadence")
