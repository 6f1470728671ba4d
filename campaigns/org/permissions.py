"""Action rights of the campaigns app (visibility is ``visible_to``; this is what a user may
*do* to a record they can see — refusals are 403).

Township officials act for their township, department staff for their department, the
safety office reviews; admins hold every permission (roles.py) but act for no unit.
"""

from __future__ import annotations

from campaigns.org.models import Department, Role, Township


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
