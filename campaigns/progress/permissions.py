"""Action rights of the campaigns app (visibility is ``visible_to``; this is what a user may
*do* to a record they can see — refusals are 403).

Township officials act for their township, department staff for their department, the
safety office reviews; admins hold every permission (roles.py) but act for no unit.
"""

from __future__ import annotations

from campaigns.org.models import Role
from campaigns.org.permissions import acting_unit


def can_report_progress(user) -> bool:
    return user.has_perm("campaigns.add_progressreport") and user.role in (
        Role.TOWNSHIP_OFFICIAL,
        Role.DEPARTMENT_STAFF,
    )


def can_record_milestone(user) -> bool:
    return user.has_perm("campaigns.add_milestonerecord") and user.role in (
        Role.TOWNSHIP_OFFICIAL,
        Role.DEPARTMENT_STAFF,
    )


def can_record_obligation(user) -> bool:
    return user.has_perm("campaigns.add_obligationrecord") and acting_unit(user) is not None


def can_set_cadence(user) -> bool:
    return user.has_perm("campaigns.change_reportingcadence")
