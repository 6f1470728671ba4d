"""Who may read and enter the working-day calendar."""

from __future__ import annotations


def can_view_calendar(user) -> bool:
    """Every signed-in user may read the schedule its counts use."""
    return bool(user and user.is_authenticated and user.is_active)


def can_enter_calendar(user) -> bool:
    """Admins (role 系统管理员, or a superuser): Django permission ``change_calendaryear``."""
    return bool(user and user.is_active and user.has_perm("campaigns.change_calendaryear"))
