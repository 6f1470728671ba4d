"""Writes for the campaigns app: loading the plan, role groups and user accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from campaigns.models import (
    Action,
    Campaign,
    Department,
    Milestone,
    Obligation,
    Phase,
    Role,
    Sector,
    Task,
    Township,
    User,
)
from campaigns.roles import ROLE_PERMISSIONS

PLAN_FILE = Path(__file__).resolve().parent.parent / "data" / "plan.yaml"


class PlanDataError(ValueError):
    """plan.yaml is inconsistent (e.g. a task names an unknown department code)."""


def plan_read(path: Path = PLAN_FILE) -> dict[str, Any]:
    """Parse plan.yaml into a dict (keys: campaign, townships, departments, sectors, phases,
    actions, tasks, milestones, obligations — see the file's header)."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _pick(mapping: dict[str, Any], codes: list[str], what: str, owner: str) -> list[Any]:
    try:
        return [mapping[code] for code in codes or []]
    except KeyError as exc:
        raise PlanDataError(f"{owner}: unknown {what} code {exc.args[0]!r}") from None


@transaction.atomic
def plan_load(*, data: dict[str, Any] | None = None) -> dict[str, int]:
    """Create or update the whole plan from ``data`` (default: campaigns/data/plan.yaml).

    Idempotent: records are matched by their natural keys (codes, numbers), so a second run
    changes nothing and creates no duplicates. Returns counts per kind.
    Raises :class:`PlanDataError` on dangling codes; nothing is saved then (atomic).
    """
    data = data if data is not None else plan_read()
    c = data["campaign"]
    campaign, _ = Campaign.objects.update_or_create(
        name=c["name"],
        defaults={k: c.get(k) or "" for k in ("document_number", "issued_by", "contact")}
        | {k: c.get(k) for k in ("issued_on", "starts_on", "ends_on")},
    )
    townships = {}
    for order, row in enumerate(data["townships"], start=1):
        townships[row["code"]], _ = Township.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "order": order})
    departments = {}
    for order, row in enumerate(data["departments"], start=1):
        departments[row["code"]], _ = Department.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "short_name": row.get("short_name") or "",
                      "is_lead": bool(row.get("is_lead")), "order": order})
    sectors = {}
    for order, row in enumerate(data["sectors"], start=1):
        sector, _ = Sector.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "high_risk": bool(row.get("high_risk")),
                      "note": row.get("note") or "", "order": order})
        sector.lead_departments.set(
            _pick(departments, row.get("lead_departments"), "department", row["name"]))
        sectors[row["code"]] = sector
    for order, row in enumerate(data["phases"], start=1):
        Phase.objects.update_or_create(
            code=row["code"],
            defaults={"campaign": campaign, "name": row["name"], "order": order,
                      "starts_on": row["starts_on"], "ends_on": row["ends_on"],
                      "requirements": row["requirements"], "note": row.get("note") or ""})
    actions = {}
    for row in data["actions"]:
        actions[row["number"]], _ = Action.objects.update_or_create(
            number=row["number"],
            defaults={"campaign": campaign, "numeral": row["numeral"], "title": row["title"]})
    tasks = {}
    for row in data["tasks"]:
        owner = f"task {row['number']}"
        task, _ = Task.objects.update_or_create(
            number=row["number"],
            defaults={"action": _pick(actions, [row["action"]], "action", owner)[0],
                      "title": row["title"], "text": row["text"]})
        task.lead_departments.set(
            _pick(departments, row.get("lead_departments"), "department", owner))
        task.participating_departments.set(
            _pick(departments, row.get("participating_departments"), "department", owner))
        task.sectors.set(_pick(sectors, row.get("sectors"), "sector", owner))
        tasks[row["number"]] = task
    for row in data["milestones"]:
        task = tasks.get(row["task"]) if row.get("task") else None
        if row.get("task") and task is None:
            raise PlanDataError(f"milestone {row['code']}: unknown task {row['task']}")
        Milestone.objects.update_or_create(
            code=row["code"],
            defaults={"campaign": campaign, "task": task, "title": row["title"],
                      "due_on": row["due_on"], "kind": row.get("kind") or "deliverable",
                      "quote": row["quote"]})
    for row in data["obligations"]:
        Obligation.objects.update_or_create(
            code=row["code"],
            defaults={"task": _pick(tasks, [row["task"]], "task", row["code"])[0],
                      "title": row["title"], "frequency": row["frequency"],
                      "high_risk_frequency": row.get("high_risk_frequency") or "",
                      "minimum_count": row.get("minimum_count") or 1,
                      "subject": row["subject"], "quote": row["quote"]})
    return {
        "townships": len(townships), "departments": len(departments), "sectors": len(sectors),
        "phases": len(data["phases"]), "actions": len(actions), "tasks": len(tasks),
        "milestones": len(data["milestones"]), "obligations": len(data["obligations"]),
    }


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
def user_assign_role(*, user: User, role: str, township: Township | None = None,
                     department: Department | None = None) -> User:
    """Give ``user`` exactly one role and the unit it needs; group membership follows.

    township official → ``township``; department staff → ``department``; safety office → the
    安委办 department (default); admin → no unit, and ``is_staff`` for the Django admin.
    Raises ``ValueError`` if the unit does not fit the role.
    """
    if role == Role.SAFETY_OFFICE and department is None:
        department = Department.objects.get(code=Department.SAFETY_OFFICE_CODE)
    needs = {Role.TOWNSHIP_OFFICIAL: (township, department is None),
             Role.DEPARTMENT_STAFF: (department, township is None),
             Role.SAFETY_OFFICE: (department, township is None),
             Role.ADMIN: (True, township is None and department is None)}
    if role not in needs:
        raise ValueError(f"unknown role {role!r}")
    unit, others_empty = needs[role]
    if not unit or not others_empty:
        raise ValueError(f"role {role} needs exactly its own kind of organisation unit")
    user.role, user.township, user.department = role, township, department
    user.is_staff = role == Role.ADMIN
    user.save()
    user.groups.set(Group.objects.filter(name=role))
    return user


def user_create(*, username: str, password: str, role: str, full_name: str = "",
                email: str = "", township: Township | None = None,
                department: Department | None = None) -> User:
    """Create (or update, if ``username`` exists) an account with its role and unit."""
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = full_name
        user.email = email
        user.set_password(password)
        user_assign_role(user=user, role=role, township=township, department=department)
    return user

