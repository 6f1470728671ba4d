"""Writes for the campaigns app: loading the plan, role groups and user accounts."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from campaigns.org.models import Department, Role, Township, User
from campaigns.org.roles import ROLE_PERMISSIONS


@transaction.atomic
def roles_sync() -> dict[str, int]:
    """Create/refresh one auth Group per :class:`Role` with the permissions of
    :data:`campaigns.roles.ROLE_PERMISSIONS`. Idempotent; returns permission counts per group."""
    counts = {}
    all_perms = Permission.objects.select_related("content_type")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if names == ["*"]:
            perms = list(all_perms)
        else:
            wanted = {tuple(n.split(".", 1)) for n in names}
            perms = [p for p in all_perms if (p.content_type.app_label, p.codename) in wanted]
        group.permissions.set(perms)
        counts[str(role)] = len(perms)
    return counts


@transaction.atomic
def user_assign_role(
    *, user: User, role: str, township: Township | None = None, department: Department | None = None
) -> User:
    """Give ``user`` exactly one role and the unit it needs; group membership follows.

    township official → ``township``; department staff → ``department``; safety office → the
    安委办 department (default); admin → no unit, and ``is_staff`` for the Django admin.
    Groups that are not roles (a named person's 举报受理人) are kept.
    Raises ``ValueError`` if the unit does not fit the role.
    """
    if role == Role.SAFETY_OFFICE and department is None:
        department = Department.objects.get(code=Department.SAFETY_OFFICE_CODE)
    needs = {
        Role.TOWNSHIP_OFFICIAL: (township, department is None),
        Role.DEPARTMENT_STAFF: (department, township is None),
        Role.SAFETY_OFFICE: (department, township is None),
        Role.ADMIN: (True, township is None and department is None),
    }
    if role not in needs:
        raise ValueError(f"unknown role {role!r}")
    unit, others_empty = needs[role]
    if not unit or not others_empty:
        raise ValueError(f"role {role} needs exactly its own kind of organisation unit")
    user.role, user.township, user.department = role, township, department
    user.is_staff = role == Role.ADMIN
    user.save()
    # Only the role groups change: named-person groups (e.g. 举报受理人) stay with the person.
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name=role))
    user.groups.add(*Group.objects.filter(name=role))
    return user


def user_create(
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    email: str = "",
    township: Township | None = None,
    department: Department | None = None,
    must_change_password: bool = True,
) -> User:
    """Create (or update, if ``username`` exists) an account with its role and unit.

    ``password`` is one the creator knows, so by default the person must choose their own at
    the first login (``must_change_password``, issue 15); the demo accounts and the test
    users pass False.
    """
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = full_name
        user.email = email
        user.must_change_password = must_change_password
        user.set_password(password)
        user_assign_role(user=user, role=role, township=township, department=department)
    return user
