"""Writes for the campaigns app: loading the plan, role groups and user accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from campaigns.org.models import Department, Sector, Township
from campaigns.plan.models import Action, Campaign, Milestone, Obligation, Phase, Task

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
            code=row["code"], defaults={"name": row["name"], "order": order}
        )
    departments = {}
    for order, row in enumerate(data["departments"], start=1):
        departments[row["code"]], _ = Department.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row.get("short_name") or "",
                "is_lead": bool(row.get("is_lead")),
                "order": order,
            },
        )
    sectors = {}
    for order, row in enumerate(data["sectors"], start=1):
        sector, _ = Sector.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "high_risk": bool(row.get("high_risk")),
                "note": row.get("note") or "",
                "order": order,
            },
        )
        sector.lead_departments.set(
            _pick(departments, row.get("lead_departments"), "department", row["name"])
        )
        sectors[row["code"]] = sector
    for order, row in enumerate(data["phases"], start=1):
        Phase.objects.update_or_create(
            code=row["code"],
            defaults={
                "campaign": campaign,
                "name": row["name"],
                "order": order,
                "starts_on": row["starts_on"],
                "ends_on": row["ends_on"],
                "requirements": row["requirements"],
                "note": row.get("note") or "",
            },
        )
    actions = {}
    for row in data["actions"]:
        actions[row["number"]], _ = Action.objects.update_or_create(
            number=row["number"],
            defaults={"campaign": campaign, "numeral": row["numeral"], "title": row["title"]},
        )
    tasks = {}
    for row in data["tasks"]:
        owner = f"task {row['number']}"
        task, _ = Task.objects.update_or_create(
            number=row["number"],
            defaults={
                "action": _pick(actions, [row["action"]], "action", owner)[0],
                "title": row["title"],
                "text": row["text"],
            },
        )
        task.lead_departments.set(
            _pick(departments, row.get("lead_departments"), "department", owner)
        )
        task.participating_departments.set(
            _pick(departments, row.get("participating_departments"), "department", owner)
        )
        task.sectors.set(_pick(sectors, row.get("sectors"), "sector", owner))
        tasks[row["number"]] = task
    for row in data["milestones"]:
        task = tasks.get(row["task"]) if row.get("task") else None
        if row.get("task") and task is None:
            raise PlanDataError(f"milestone {row['code']}: unknown task {row['task']}")
        Milestone.objects.update_or_create(
            code=row["code"],
            defaults={
                "campaign": campaign,
                "task": task,
                "title": row["title"],
                "due_on": row["due_on"],
                "kind": row.get("kind") or "deliverable",
                "quote": row["quote"],
            },
        )
    for row in data["obligations"]:
        Obligation.objects.update_or_create(
            code=row["code"],
            defaults={
                "task": _pick(tasks, [row["task"]], "task", row["code"])[0],
                "title": row["title"],
                "frequency": row["frequency"],
                "high_risk_frequency": row.get("high_risk_frequency") or "",
                "minimum_count": row.get("minimum_count") or 1,
                "subject": row["subject"],
                "quote": row["quote"],
            },
        )
    return {
        "townships": len(townships),
        "departments": len(departments),
        "sectors": len(sectors),
        "phases": len(data["phases"]),
        "actions": len(actions),
        "tasks": len(tasks),
        "milestones": len(data["milestones"]),
        "obligations": len(data["obligations"]),
    }
