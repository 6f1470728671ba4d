"""Reference data: national judgement standards for major accident hazards (判定标准) and their
clauses, from ``hazards/data/judgement_standards.yaml`` (shape and verification notes at the
top of that file).

Loaded by the data migration ``0006_load_judgement_standards`` (so ``migrate`` has them), again
after every ``migrate``/``flush`` (``post_migrate``, see :mod:`hazards.apps`) and by
``manage.py load_hazard_criteria``. Idempotent: standards are keyed on ``code``, clauses on
standard + clause label; the file wins for the fields it holds; a clause that left the file is
set inactive, never deleted (hazards cite it). Sectors are linked by their plan code, so the
data loads before ``load_plan`` creates the sectors.
"""

from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "judgement_standards.yaml"

STANDARD_FIELDS = (
    "title",
    "short_name",
    "document_number",
    "issued_by",
    "issued_on",
    "effective_on",
    "superseded_on",
    "source",
    "source_url",
    "verified",
    "note",
)


def standards_read(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    """The standards of the data file (raises ``ValueError`` naming a malformed entry)."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    standards = data.get("standards") or []
    for s in standards:
        for key in ("code", "title", "articles"):
            if key not in s:
                raise ValueError(f"judgement standard {s.get('code', '?')}: missing {key}")
        for a in s["articles"]:
            if not a.get("sectors"):
                raise ValueError(f"{s['code']} {a.get('article')}: no sectors")
    return standards


def clause_label(article: str, item: str) -> str:
    """Citation label: 第十一条 + （一） → 第十一条第（一）项; "" + 第五项 → 第五项;
    5.2 + 5.2.1 → 5.2.1; 第十条 + "" → 第十条; a chapter of a national standard cited as a
    whole: 5 + "" → 第5章."""
    article, item = (article or "").strip(), (item or "").strip()
    if item.startswith("（") and article.startswith("第"):
        return f"{article}第{item}项"
    if not item and article.isdigit():
        return f"第{article}章"
    return item or article


def _models(models: dict | None):
    if models is None:
        from .models import CriterionSector, HazardCriterion, JudgementStandard

        return JudgementStandard, HazardCriterion, CriterionSector
    return models["JudgementStandard"], models["HazardCriterion"], models["CriterionSector"]


def criteria_load(*, models: dict | None = None, path: Path = DATA_FILE) -> int:
    """Create or update every standard and clause of the data file; returns how many clauses
    were created. ``models`` (historical models from a migration) defaults to the app's."""
    Standard, Criterion, Link = _models(models)
    rows = standards_read(path)
    created = 0
    by_code = {}
    for order, s in enumerate(rows, start=1):
        defaults = {k: s.get(k) for k in STANDARD_FIELDS}
        for k in (
            "title",
            "short_name",
            "document_number",
            "issued_by",
            "source",
            "source_url",
            "note",
        ):
            defaults[k] = (defaults[k] or "").strip() if isinstance(defaults[k], str) else ""
        for k in ("issued_on", "effective_on", "superseded_on"):
            if defaults[k] is not None and not isinstance(defaults[k], datetime.date):
                raise ValueError(f"{s['code']}: {k} must be a date (YYYY-MM-DD) or null")
        defaults["verified"] = bool(defaults["verified"])
        standard, _made = Standard.objects.update_or_create(
            code=s["code"], defaults={**defaults, "order": order}
        )
        by_code[s["code"]] = standard
        kept = []
        n = 0
        for a in s["articles"]:
            for it in a.get("items") or []:
                n += 1
                label = clause_label(a.get("article", ""), it.get("item", ""))
                crit, made = Criterion.objects.update_or_create(
                    standard=standard,
                    clause=label,
                    defaults={
                        "document": f"《{standard.title}》",
                        "article": a.get("article", "") or "",
                        "item": it.get("item", "") or "",
                        "topic": a.get("topic", "") or "",
                        "text": it["text"].strip(),
                        "short_title": bool(it.get("short")),
                        "verified": bool(it.get("verified")),
                        "note": (it.get("note") or "").strip(),
                        "order": n,
                        "active": True,
                    },
                )
                created += made
                kept.append(crit.pk)
                codes = set(a["sectors"])
                links = Link.objects.filter(criterion_id=crit.pk)
                links.exclude(sector_code__in=codes).delete()
                have = set(links.values_list("sector_code", flat=True))
                Link.objects.bulk_create(
                    [Link(criterion=crit, sector_code=c) for c in sorted(codes - have)]
                )
        Criterion.objects.filter(standard=standard, active=True).exclude(pk__in=kept).update(
            active=False
        )
    for s in rows:
        if s.get("superseded_by"):
            Standard.objects.filter(pk=by_code[s["code"]].pk).update(
                superseded_by=by_code[s["superseded_by"]]
            )
    return created


def _normal(text: str) -> str:
    return re.sub(r"[\s，。；、,.;：:“”\"'（）()的]", "", text or "")


# Old condensed text vs a clause's official wording: this similarity (difflib ratio of the
# texts without punctuation) or more means the same clause.
LEGACY_MATCH = 0.85


def legacy_criteria_adopt(*, models: dict) -> int:
    """Migration helper: the old per-sector rows (no standard yet). A row whose text is that
    of a loaded clause of the same standard is merged into it (its hazards now cite the
    clause with the right number); any other row is kept, attached to its standard (or to a
    ``legacy`` standard), inactive and marked unverified. Returns how many rows were merged."""
    Standard, Criterion, Link = _models(models)
    merged = 0
    legacy = None
    for old in Criterion.objects.filter(standard__isnull=True):
        title = (old.document or "").strip().strip("《》")
        standard = (
            Standard.objects.filter(title=title).first()
            or Standard.objects.filter(title__startswith=title[:12]).first()
            if title
            else None
        )
        target = None
        if standard is not None:
            want = _normal(old.text)
            best = 0.0
            for crit in Criterion.objects.filter(standard=standard):
                have = _normal(crit.text)
                score = (
                    1.0
                    if want and (want in have or have in want)
                    else (difflib.SequenceMatcher(None, want, have).ratio())
                )
                if score >= LEGACY_MATCH and score > best:
                    target, best = crit, score
        if target is not None:
            models["Hazard"].objects.filter(criterion_id=old.pk).update(criterion_id=target.pk)
            if old.sector_id:
                Link.objects.get_or_create(criterion=target, sector_code=old.sector.code)
            old.delete()
            merged += 1
            continue
        if standard is None:
            if legacy is None:
                legacy, _made = Standard.objects.get_or_create(
                    code="legacy",
                    defaults={
                        "title": "旧版条款（来源未核实）",
                        "order": 999,
                        "verified": False,
                        "note": "迁移前录入、未能对应到已核实标准的条款，已停用。",
                    },
                )
            standard = legacy
        clause = old.clause
        if Criterion.objects.filter(standard=standard, clause=clause).exists():
            clause = f"{clause}（旧）"
        old.standard = standard
        old.clause = clause
        old.active = False
        old.verified = False
        old.note = "迁移前的条款，条款号未经核对，已停用；原文号：" + (old.document_number or "—")
        old.save()
        if old.sector_id:
            Link.objects.get_or_create(criterion=old, sector_code=old.sector.code)
    return merged


def criteria_for(sector, day: datetime.date | None = None):
    """Active clauses for ``sector`` (in force on ``day`` when given), with their standard."""
    from .models import HazardCriterion

    qs = HazardCriterion.objects.filter(active=True).for_sector(sector)
    if day is not None:
        qs = qs.in_force_on(day)
    return qs.select_related("standard")
