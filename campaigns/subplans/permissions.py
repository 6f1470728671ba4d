"""Action rights of the campaigns app (visibility is ``visible_to``; this is what a user may
*do* to a record they can see — refusals are 403).

Township officials act for their township, department staff for their department, the
safety office reviews; admins hold every permission (roles.py) but act for no unit.
"""

from __future__ import annotations

from campaigns.org.models import Role
from campaigns.org.permissions import acts_for


def can_create_subplan(user) -> bool:
    return user.has_perm("campaigns.add_subplan") and user.role in (
        Role.TOWNSHIP_OFFICIAL,
        Role.DEPARTMENT_STAFF,
    )


def can_submit_subplan(user, sub_plan) -> bool:
    """The owning unit submits, resubmits and uploads new versions."""
    return user.has_perm("campaigns.change_subplan") and acts_for(user, sub_plan)


def can_review_subplan(user, sub_plan=None) -> bool:
    """The safety office (and admins) return or approve."""
    return user.has_perm("campaigns.review_subplan")
