"""Action rights on training, certificates, drills, inspections and rescue teams.

Visibility itself is each QuerySet's ``visible_to(user)`` (outside scope → 404). The rights
here answer "visible, but may this user do it?" (no → 403). They follow the user's role
(``campaigns.models.Role``) rather than model permissions of auth groups, so that the role
table in ``campaigns.roles`` need not list this app:

- every role (township officials, department staff, the safety office, admins) reads in its
  scope and exports what it reads;
- township officials, department staff and the office record training, attendance,
  certificates, drills, inspections and rescue teams of enterprises they may see, and
  organise sessions for their own unit;
- enterprise categories (二级医院 …, which decide the focus groups of task 3) are set by the
  office and department staff, never by townships;
- admins may do everything (they also have the Django admin).
"""

from __future__ import annotations

from campaigns.models import Role

_RECORDERS = (Role.TOWNSHIP_OFFICIAL, Role.DEPARTMENT_STAFF, Role.SAFETY_OFFICE, Role.ADMIN)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_view(user) -> bool:
    """Any active user with a role (what they see is their scope)."""
    return _active(user) and (user.is_superuser or user.role in _RECORDERS)


def can_record(user) -> bool:
    """Record attendance, certificates, drills, inspections, rescue teams (in scope)."""
    return _active(user) and (user.is_superuser or user.role in _RECORDERS)


def can_organise(user) -> bool:
    """Create and change training sessions (organised by the user's own unit)."""
    return can_record(user)


def can_change_session(user, session) -> bool:
    """The organising unit's people, the office and admins."""
    if not can_organise(user):
        return False
    if user.is_superuser or user.role in (Role.SAFETY_OFFICE, Role.ADMIN):
        return True
    if user.role == Role.TOWNSHIP_OFFICIAL:
        return session.organiser_township_id == user.township_id
    return session.organiser_department_id == user.department_id


def can_flag(user) -> bool:
    """Set an enterprise's categories (focus groups of task 3): office, departments, admins."""
    return _active(user) and (
        user.is_superuser or user.role in (Role.DEPARTMENT_STAFF, Role.SAFETY_OFFICE, Role.ADMIN)
    )


def can_export(user) -> bool:
    return can_view(user)


def can_import(user) -> bool:
    return can_record(user)
