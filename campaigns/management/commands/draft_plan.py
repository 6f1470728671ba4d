"""``manage.py draft_plan DOCUMENT OUT.yaml``: draft a plan file from a plan document laid out
like ours, for a person to check and correct before ``manage.py load_plan OUT.yaml``.

The document is read with the parser the seed plan is checked with
(:mod:`campaigns.plan.source`): actions and tasks from 二、主要任务, phases from 三、进度安排.
What it cannot place is printed (and written at the top of the file as comments): the other
sections, preambles, paragraphs that do not read like a phase, and the parts of a plan file a
document does not give (departments per task, milestones, obligations, exact dates).
"""

from __future__ import annotations

import calendar
import datetime
import re
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from campaigns.plan import source

KNOWN_PHASES = {
    "动员部署阶段": "mobilization",
    "专项治理阶段": "special_rectification",
    "巩固提升阶段": "consolidation",
    "总结评估阶段": "evaluation",
}
TITLE_MAX = 40


class _Dumper(yaml.SafeDumper):
    """Writes every value in place (no &anchors / *aliases for repeated dates)."""

    def ignore_aliases(self, data):
        return True


def _title(text: str) -> str:
    """A task's draft title: its first clause (up to "，" or "。"), at most 40 characters —
    the seed plan's titles are written by hand, so the notes ask for a check."""
    first = re.split("[，。；]", text, maxsplit=1)[0]
    return first[:TITLE_MAX]


def _phase_dates(period: str, previous_end: datetime.date | None, campaign_start):
    months = source.period_months(period)
    if not months:
        return None, None
    (y1, m1), (y2, m2) = months[0], months[-1]
    end = datetime.date(y2, m2, calendar.monthrange(y2, m2)[1])
    if len(months) == 1 and "前" in period:  # "2024 年 4 月前": from the start up to then
        start = (previous_end + datetime.timedelta(days=1)) if previous_end else campaign_start
    else:
        start = datetime.date(y1, m1, 1)
    return start, end


def draft(text: str) -> tuple[dict, list[str]]:
    """The plan-file dict drafted from the document ``text`` and the list of what could not be
    placed (human-readable lines, Chinese quotes shortened)."""
    notes: list[str] = []
    header = source.parse_header(text)
    first, last = header["first_year"], header["last_year"]
    starts_on = datetime.date(first, 1, 1) if first else None
    ends_on = datetime.date(last, 12, 31) if last else None
    if not header["name"]:
        notes.append("campaign: no 《…》 title found — fill in campaign.name")
    if not first:
        notes.append("campaign: no years found in the title — fill in starts_on / ends_on")
    campaign = {
        "name": header["name"],
        "slug": (f"{first}-{last}" if first != last else str(first)) if first else "",
        "document_number": header["document_number"],
        "issued_by": "",
        "issued_on": None,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "contact": "",
    }
    notes.append("campaign: issued_by, issued_on and contact are not read — fill them in")
    sections = dict(source.top_sections(text))
    before = source.lines_before_sections(text)
    if before:
        notes.append(
            f"{before} lines before the first section (notice, title, preamble): not placed"
        )
    for title, n in sections.items():
        if title not in source.PLACED_SECTIONS:
            notes.append(
                f"section {title} ({n} lines): not placed (targets, milestones and "
                "obligations in it are entered by hand)"
            )
    actions, tasks, phases = [], [], []
    if "主要任务" in sections:
        try:
            actions = source.parse_actions(text)
            tasks = source.parse_tasks(text)
        except ValueError as exc:
            notes.append(f"主要任务: {exc} — actions/tasks left out, fix the document or the file")
        for leftover in source.section_leftovers(text, "主要任务"):
            notes.append(f"主要任务: paragraph not placed: {leftover[:60]}…")
    else:
        notes.append("no section 主要任务: no actions or tasks drafted")
    if "进度安排" in sections:
        try:
            phases = source.parse_phases(text, strict=False)
        except ValueError as exc:
            notes.append(f"进度安排: {exc} — phases left out")
        for leftover in source.section_leftovers(text, "进度安排"):
            notes.append(f"进度安排: paragraph not placed: {leftover[:60]}…")
    else:
        notes.append("no section 进度安排: no phases drafted")
    phase_rows, previous_end = [], None
    for p in phases:
        start, end = _phase_dates(p["period"], previous_end, starts_on)
        if start is None:
            notes.append(f"phase {p['name']}: period “{p['period']}” has no dates — fill them in")
        phase_rows.append(
            {
                "code": KNOWN_PHASES.get(p["name"], f"phase-{p['number']}"),
                "name": p["name"],
                "starts_on": start,
                "ends_on": end,
                "requirements": p["requirements"],
                "note": f"方案写“{p['period']}”（草稿按此推算日期，请核对）",
            }
        )
        previous_end = end or previous_end
    if tasks:
        notes.append(
            f"tasks: lead/participating departments and sectors of the {len(tasks)} tasks are "
            "not read — fill them in (codes of the loaded departments and sectors); titles "
            "are each task's first clause — shorten them"
        )
    notes.append(
        "milestones and obligations: none drafted — enter the plan's dated "
        "commitments and frequencies by hand"
    )
    data = {
        "campaign": campaign,
        "phases": phase_rows,
        "actions": actions,
        "tasks": [
            {
                "number": t["number"],
                "action": t["action"],
                "title": _title(t["text"]),
                "text": t["text"],
                "lead_departments": [],
                "participating_departments": [],
                "sectors": [],
            }
            for t in tasks
        ],
        "milestones": [],
        "obligations": [],
    }
    return data, notes


class Command(BaseCommand):
    help = (
        "Draft a plan file (YAML) from a plan document laid out like 黟安〔2024〕3 号 (UTF-8 text), "
        "for a person to check; prints what could not be placed."
    )

    def add_arguments(self, parser):
        parser.add_argument("document", help="the plan document as UTF-8 text")
        parser.add_argument("out", help="the plan file to write (YAML)")
        parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")

    def handle(self, *args, document, out, force, **options):
        path = Path(document)
        if not path.is_file():
            raise CommandError(f"{document}: no such file")
        if Path(out).exists() and not force:
            raise CommandError(f"{out} exists: choose another name or pass --force")
        try:
            text = source.read_plan_text(path)
        except UnicodeDecodeError:
            raise CommandError(f"{document}: not UTF-8 text") from None
        data, notes = draft(text)
        header = (
            f"# Plan file DRAFTED by `manage.py draft_plan {path.name}` — check every part against\n"
            "# the document and correct it before `manage.py load_plan` (see campaigns/data/plan.yaml).\n"
            "# Not placed:\n" + "".join(f"# - {n}\n" for n in notes) + "\n"
        )
        body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        Path(out).write_text(header + body, encoding="utf-8")
        self.stdout.write(
            f"{out}: {len(data['actions'])} actions, {len(data['tasks'])} tasks, "
            f"{len(data['phases'])} phases drafted."
        )
        self.stdout.write(f"Not placed ({len(notes)}):")
        for n in notes:
            self.stdout.write(f"  - {n}")
