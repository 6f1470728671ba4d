"""Writes for the campaigns app: loading the plan, role groups and user accounts."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.org.models import Department, Sector, Township
from campaigns.plan.models import Action, Campaign, Milestone, Obligation, Phase, Task

PLAN_FILE = Path(__file__).resolve().parent.parent / "data" / "plan.yaml"


class PlanDataError(ValueError):
    """A plan file is inconsistent (e.g. a task names an unknown department code)."""


REQUIRED_KEYS = ("campaign", "phases", "actions", "tasks")


def plan_read(path: Path | str = PLAN_FILE) -> dict[str, Any]:
    """Parse a plan file (YAML, UTF-8) into a dict (keys: campaign, townships, departments,
    sectors, phases, actions, tasks, milestones, obligations — see the seed file's header;
    townships, departments, sectors, milestones and obligations may be left out).
    Raises :class:`PlanDataError` when the file is not a plan (YAML error, missing keys)."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise PlanDataError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or any(k not in data for k in REQUIRED_KEYS):
        raise PlanDataError(f"{path}: a plan file needs the keys {', '.join(REQUIRED_KEYS)}")
    return data


def _slug_of(c: dict[str, Any]) -> str:
    """The campaign's slug: ``slug`` in the file, else "<first year>-<last year>"."""
    if c.get("slug"):
        return str(c["slug"])
    start, end = c["starts_on"].year, c["ends_on"].year
    return str(start) if start == end else f"{start}-{end}"


def campaign_ensure_open(campaign: Campaign, *, today: datetime.date | None = None) -> None:
    """Refuse a write to an ended campaign (archive, read-only): raises ``ValidationError``
    with a Chinese message naming the campaign and its last day. The last day itself
    (``ends_on``, Asia/Shanghai) still takes writes — the 总结评估 reports are filed until then.
    Called by every service that writes a campaign's sub-plans or progress."""
    from yixian_safety.dates import today_local

    today = today or today_local()
    if campaign.ended_on(today):
        raise ValidationError(
            _(
                "“%(name)s” ended on %(date)s and is kept as a read-only archive: nothing can be added or changed."
            )
            % {"name": campaign.name, "date": f"{campaign.ends_on:%Y-%m-%d}"}
        )


def _pick(mapping: dict[str, Any], codes: list[str], what: str, owner: str) -> list[Any]:
    try:
        return [mapping[code] for code in codes or []]
    except KeyError as exc:
        raise PlanDataError(f"{owner}: unknown {what} code {exc.args[0]!r}") from None


@transaction.atomic
def plan_load(*, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Create or update one campaign's plan from ``data`` (default: campaigns/data/plan.yaml),
    beside the campaigns already loaded.

    The campaign is matched by its slug (``campaign.slug``, default "<first year>-<last
    year>"); its phases, actions, tasks, milestones and obligations by their codes and numbers
    *within the campaign*, so a second run changes nothing and creates no duplicates, and
    another plan may reuse numbers and codes. Townships, departments and sectors are shared by
    every campaign (matched by code; a plan file may leave them out and use the loaded ones).
    Returns counts per kind and ``campaign`` (the slug). Raises :class:`PlanDataError` on
    dangling codes, duplicate numbers or a slug taken by another campaign's name; nothing is
    saved then (atomic).
    """
    data = data if data is not None else plan_read()
    c = data["campaign"]
    slug = _slug_of(c)
    other = Campaign.objects.filter(name=c["name"]).exclude(slug=slug).first()
    if other is not None:
        raise PlanDataError(
            f"campaign {c['name']!r} is already loaded under the slug {other.slug!r}"
        )
    campaign, _ = Campaign.objects.update_or_create(
        slug=slug,
        defaults={"name": c["name"]}
        | {k: c.get(k) or "" for k in ("document_number", "issued_by", "contact")}
        | {k: c.get(k) for k in ("issued_on", "starts_on", "ends_on")},
    )
    for kind, key in (("action", "number"), ("task", "number"), ("phase", "code")):
        seen = [row[key] for row in data[kind + "s"]]
        if len(seen) != len(set(seen)):
            raise PlanDataError(f"{kind}s: duplicate {key} in the plan file")
    townships = {t.code: t for t in Township.objects.all()}
    for order, row in enumerate(data.get("townships") or [], start=1):
        townships[row["code"]], _ = Township.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "order": order}
        )
    departments = {d.code: d for d in Department.objects.all()}
    for order, row in enumerate(data.get("departments") or [], start=1):
        departments[row["code"]], _ = Department.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row.get("short_name") or "",
                "is_lead": bool(row.get("is_lead")),
                "order": order,
            },
        )
    sectors = {s.code: s for s in Sector.objects.all()}
    for order, row in enumerate(data.get("sectors") or [], start=1):
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
            campaign=campaign,
            code=row["code"],
            defaults={
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
            campaign=campaign,
            number=row["number"],
            defaults={"numeral": row["numeral"], "title": row["title"]},
        )
    tasks = {}
    for row in data["tasks"]:
        owner = f"task {row['number']}"
        task, _ = Task.objects.update_or_create(
            campaign=campaign,
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
    milestones = data.get("milestones") or []
    obligations = data.get("obligations") or []
    for row in milestones:
        task = tasks.get(row["task"]) if row.get("task") else None
        if row.get("task") and task is None:
            raise PlanDataError(f"milestone {row['code']}: unknown task {row['task']}")
        Milestone.objects.update_or_create(
            campaign=campaign,
            code=row["code"],
            defaults={
                "task": task,
                "title": row["title"],
                "due_on": row["due_on"],
                "kind": row.get("kind") or "deliverable",
                "quote": row["quote"],
            },
        )
    for row in obligations:
        Obligation.objects.update_or_create(
            campaign=campaign,
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
        "campaign": campaign.slug,
        "townships": len(townships),
        "departments": len(departments),
        "sectors": len(sectors),
        "phases": len(data["phases"]),
        "actions": len(actions),
        "tasks": len(tasks),
        "milestones": len(milestones),
        "obligations": len(obligations),
    }
