"""Writes of enforcement (source: 实施方案 action (七) tasks 26–28; 主要任务 "双下降").

Every service is atomic, keyword-only, checks rights (``PermissionDenied`` → 403) and input
(``ValidationError`` naming the field, in Chinese through gettext → 400 / form error). Hazards
found in an inspection enter the ledger only through :func:`hazards.services.hazard_report`.

The double-random draw is a pure function of its frozen inputs (:func:`draw_compute`), so
:func:`draw_replay` recomputes a stored draw exactly.
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Department, Role, Sector, Township, User
from hazards.models import Enterprise, Hazard, Level, Source
from hazards.services import hazard_report
from yixian_safety.dates import today_local

from ..constants import DRAW_MAX_ENTERPRISES, DRAW_MAX_INSPECTORS
from ..models import EscalationStep, StepKind, TargetKind, target_key
from . import permissions
from .models import (
    KIND_NEEDS_CONFISCATION,
    KIND_NEEDS_FINE,
    KIND_NEEDS_PERSON_FINE,
    Accident,
    ConflictTie,
    Draw,
    EnforcementAction,
    Expert,
    Inspection,
    Method,
    RiskFilter,
    accident_grade,
)

EARLIEST = datetime.date(2000, 1, 1)


def _require(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("%(label)s is required.") % {"label": label}})
    return value


def _not_future(day: datetime.date, field: str) -> None:
    if day > today_local():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if day < EARLIEST:
        raise ValidationError({field: _("The date cannot be before 2000-01-01.")})


def roster(department: Department):
    """Active users of ``department`` who can inspect (department staff or safety office)."""
    return User.objects.filter(
        department=department, is_active=True, role__in=[Role.DEPARTMENT_STAFF, Role.SAFETY_OFFICE]
    )


def tied_person_ids(enterprise: Enterprise) -> set[int]:
    return set(
        ConflictTie.objects.filter(enterprise=enterprise, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )


def _check_inspectors(
    department: Department, inspectors: Sequence[User], enterprise: Enterprise
) -> None:
    if not inspectors:
        raise ValidationError({"inspectors": _("Choose at least one inspector.")})
    ids = {u.pk for u in inspectors}
    outside = ids - set(roster(department).filter(pk__in=ids).values_list("pk", flat=True))
    if outside:
        raise ValidationError(
            {
                "inspectors": _("Inspectors must be active staff of %(department)s.")
                % {"department": department}
            }
        )
    tied = ids & tied_person_ids(enterprise)
    if tied:
        names = "、".join(u.get_full_name() or u.username for u in inspectors if u.pk in tied)
        raise ValidationError(
            {
                "inspectors": _(
                    "%(names)s must withdraw: a conflict of interest with %(enterprise)s is recorded."
                )
                % {"names": names, "enterprise": enterprise}
            }
        )


# ---------------------------------------------------------------------------------------------
# Inspections


@transaction.atomic
def inspection_record(
    *,
    actor,
    department: Department,
    enterprise: Enterprise,
    inspected_on: datetime.date,
    method: str,
    inspectors: Sequence[User],
    has_findings: bool = False,
    findings: str = "",
) -> Inspection:
    """Record an inspection carried out (status ``done``), with or without findings.

    ``inspectors``: users of ``department`` without a conflict tie to ``enterprise``;
    ``findings`` required when ``has_findings``. The enterprise must be visible to ``actor``.
    Raises PermissionDenied / ValidationError. Source: task 26."""
    if not permissions.can_record_inspection(actor, department):
        raise PermissionDenied(_("You may only record inspections of your own department."))
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise ValidationError({"enterprise": _("This enterprise is not in your scope.")})
    if method not in Method.values:
        raise ValidationError({"method": _("Choose a valid inspection method.")})
    _not_future(inspected_on, "inspected_on")
    _check_inspectors(department, inspectors, enterprise)
    findings = (findings or "").strip()
    if has_findings and not findings:
        raise ValidationError({"findings": _("Describe the problems found.")})
    inspection = Inspection.objects.create(
        department=department,
        enterprise=enterprise,
        inspected_on=inspected_on,
        method=method,
        status=Inspection.Status.DONE,
        has_findings=has_findings,
        findings=findings,
        recorded_by=actor,
    )
    inspection.inspectors.set(inspectors)
    return inspection


def _locked(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


@transaction.atomic
def inspection_complete(
    *,
    inspection: Inspection,
    actor,
    inspected_on: datetime.date,
    has_findings: bool = False,
    findings: str = "",
) -> Inspection:
    """A planned inspection (e.g. from a draw) carried out: planned → done."""
    inspection = _locked(inspection)
    if not permissions.can_change_inspection(actor, inspection):
        raise PermissionDenied
    if inspection.status != Inspection.Status.PLANNED:
        raise ValidationError(_("Only a planned inspection can be completed."))
    _not_future(inspected_on, "inspected_on")
    findings = (findings or "").strip()
    if has_findings and not findings:
        raise ValidationError({"findings": _("Describe the problems found.")})
    inspection.status = Inspection.Status.DONE
    inspection.inspected_on = inspected_on
    inspection.has_findings = has_findings
    inspection.findings = findings
    inspection.save(update_fields=["status", "inspected_on", "has_findings", "findings"])
    return inspection


@transaction.atomic
def inspection_cancel(*, inspection: Inspection, actor, note: str) -> Inspection:
    """A planned inspection that will not take place (the note says why)."""
    inspection = _locked(inspection)
    if not permissions.can_change_inspection(actor, inspection):
        raise PermissionDenied
    if inspection.status != Inspection.Status.PLANNED:
        raise ValidationError(_("Only a planned inspection can be cancelled."))
    note = _require(note, "note", _("The reason"))
    inspection.status = Inspection.Status.CANCELLED
    inspection.findings = note
    inspection.save(update_fields=["status", "findings"])
    return inspection


@transaction.atomic
def inspection_raise_hazard(
    *,
    inspection: Inspection,
    actor,
    location: str,
    description: str,
    level: str = Level.MAJOR,
    criterion=None,
    deadline: datetime.date | None = None,
) -> Hazard:
    """Log a hazard found in a carried-out inspection into the ledger (source 督导检查发现,
    found on the inspection date, found by the department) and link it to the inspection; the
    inspection then counts as having findings. A major hazard cites ``criterion``, the clause of
    the judgement standard it meets (the ledger refuses one without, where its sector has
    clauses)."""
    inspection = _locked(inspection)
    if not permissions.can_change_inspection(actor, inspection):
        raise PermissionDenied
    if inspection.status != Inspection.Status.DONE:
        raise ValidationError(_("Complete the inspection before raising hazards from it."))
    names = "、".join(u.get_full_name() or u.username for u in inspection.inspectors.all())
    hazard = hazard_report(
        actor=actor,
        enterprise=inspection.enterprise,
        source=Source.INSPECTION,
        found_on=inspection.inspected_on,
        found_by=f"{inspection.department.name} {names}"[:100],
        location=_require(location, "location", _("The location")),
        description=_require(description, "description", _("The description")),
        level=level,
        criterion=criterion,
        deadline=deadline,
    )
    inspection.hazards.add(hazard)
    if not inspection.has_findings:
        inspection.has_findings = True
        inspection.findings = inspection.findings or description.strip()
        inspection.save(update_fields=["has_findings", "findings"])
    return hazard


def tied_expert_ids(enterprise: Enterprise) -> set[int]:
    """Experts employed by, or with a recorded tie to, ``enterprise``."""
    ids = set(
        ConflictTie.objects.filter(enterprise=enterprise, expert__isnull=False).values_list(
            "expert_id", flat=True
        )
    )
    return ids | set(Expert.objects.filter(employer=enterprise).values_list("pk", flat=True))


@transaction.atomic
def inspection_assign_experts(
    *,
    inspection: Inspection,
    actor,
    count: int = 0,
    experts: Sequence[Expert] = (),
    seed: int | None = None,
) -> list[Expert]:
    """Assign experts to an inspection: the given ``experts``, or ``count`` drawn at random
    (``random.Random(seed)`` over the sorted ids) from available experts of the enterprise's
    sectors. Tied experts (employer or recorded tie) are never assigned. Task 28."""
    inspection = _locked(inspection)
    if not permissions.can_change_inspection(actor, inspection):
        raise PermissionDenied
    tied = tied_expert_ids(inspection.enterprise)
    if experts:
        bad = [e for e in experts if e.pk in tied]
        if bad:
            raise ValidationError(
                {
                    "experts": _(
                        "%(names)s must withdraw: a conflict of interest with %(enterprise)s is "
                        "recorded."
                    )
                    % {"names": "、".join(e.name for e in bad), "enterprise": inspection.enterprise}
                }
            )
        chosen = list(experts)
    else:
        if not 1 <= count <= DRAW_MAX_INSPECTORS:
            raise ValidationError(
                {"count": _("Draw between 1 and %(max)s experts.") % {"max": DRAW_MAX_INSPECTORS}}
            )
        sectors = inspection.enterprise.sectors.values("pk")
        pool = sorted(
            set(
                Expert.objects.available()
                .filter(sectors__in=sectors)
                .exclude(pk__in=tied)
                .values_list("pk", flat=True)
            )
        )
        if len(pool) < count:
            raise ValidationError(
                {
                    "count": _(
                        "Only %(n)s available experts without a conflict cover this enterprise's "
                        "sectors."
                    )
                    % {"n": len(pool)}
                }
            )
        rng = random.Random(secrets.randbits(63) if seed is None else seed)
        chosen = list(Expert.objects.filter(pk__in=rng.sample(pool, count)))
    inspection.experts.add(*chosen)
    return chosen


# ---------------------------------------------------------------------------------------------
# Double-random draws (双随机一公开)


def draw_compute(
    *,
    pool_ids: Sequence[int],
    roster_ids: Sequence[int],
    excluded_pairs: Iterable[Sequence[int]],
    enterprise_count: int,
    inspector_count: int,
    seed: int,
) -> list[dict]:
    """The draw as a pure function: ``random.Random(seed)`` samples ``enterprise_count`` of the
    sorted pool, then for each drawn enterprise (in draw order) ``inspector_count`` of the
    sorted roster minus the inspectors tied to it (``excluded_pairs``: [inspector, enterprise]).
    Returns ``[{"enterprise": id, "inspectors": [ids sorted]}]``. Raises ValidationError when
    the pool or an enterprise's eligible roster is too small."""
    pool = sorted(set(pool_ids))
    people = sorted(set(roster_ids))
    excluded = {(int(p), int(e)) for p, e in excluded_pairs}
    if enterprise_count > len(pool):
        raise ValidationError(
            {"enterprise_count": _("The pool has only %(n)s enterprises.") % {"n": len(pool)}}
        )
    rng = random.Random(seed)
    result = []
    for enterprise_id in rng.sample(pool, enterprise_count):
        eligible = [p for p in people if (p, enterprise_id) not in excluded]
        if inspector_count > len(eligible):
            raise ValidationError(
                {
                    "inspector_count": _(
                        "Only %(n)s inspectors without a conflict are available for one of the drawn "
                        "enterprises."
                    )
                    % {"n": len(eligible)}
                }
            )
        result.append(
            {
                "enterprise": enterprise_id,
                "inspectors": sorted(rng.sample(eligible, inspector_count)),
            }
        )
    return result


def draw_pool(*, actor, township: Township | None, sector: Sector | None, risk: str):
    """Enterprises matching the filters among those ``actor`` may see."""
    qs = Enterprise.objects.visible_to(actor).with_high_risk()
    if township is not None:
        qs = qs.filter(township=township)
    if sector is not None:
        qs = qs.filter(sectors=sector)
    if risk == RiskFilter.HIGH:
        qs = qs.filter(is_high_risk=True)
    elif risk == RiskFilter.OTHER:
        qs = qs.filter(is_high_risk=False)
    return qs.distinct()


@transaction.atomic
def draw_create(
    *,
    actor,
    department: Department,
    title: str,
    planned_on: datetime.date,
    enterprise_count: int,
    inspector_count: int,
    township: Township | None = None,
    sector: Sector | None = None,
    risk: str = RiskFilter.ALL,
    method: str = Method.DOUBLE_RANDOM,
    seed: int | None = None,
) -> Draw:
    """Draw ``enterprise_count`` enterprises from the filtered pool and ``inspector_count``
    inspectors of ``department`` for each, excluding recorded conflict ties; freeze the inputs
    (pool ids, roster ids, excluded pairs, seed — a fresh 63-bit seed from ``secrets`` unless
    given), store the result and create one planned inspection per enterprise. Task 26."""
    if not permissions.can_draw(actor, department):
        raise PermissionDenied(_("You may only draw for your own department."))
    title = _require(title, "title", _("The title"))
    if not 1 <= enterprise_count <= DRAW_MAX_ENTERPRISES:
        raise ValidationError(
            {
                "enterprise_count": _("Draw between 1 and %(max)s enterprises.")
                % {"max": DRAW_MAX_ENTERPRISES}
            }
        )
    if not 1 <= inspector_count <= DRAW_MAX_INSPECTORS:
        raise ValidationError(
            {
                "inspector_count": _("Draw between 1 and %(max)s inspectors.")
                % {"max": DRAW_MAX_INSPECTORS}
            }
        )
    if risk not in RiskFilter.values:
        raise ValidationError({"risk": _("Choose a valid risk filter.")})
    if planned_on < today_local():
        raise ValidationError({"planned_on": _("The planned date cannot be in the past.")})
    if seed is None:
        seed = secrets.randbits(63)
    pool_ids = sorted(
        draw_pool(actor=actor, township=township, sector=sector, risk=risk).values_list(
            "pk", flat=True
        )
    )
    roster_ids = sorted(roster(department).values_list("pk", flat=True))
    excluded = sorted(
        [p, e]
        for p, e in ConflictTie.objects.filter(
            person_id__in=roster_ids, enterprise_id__in=pool_ids
        ).values_list("person_id", "enterprise_id")
    )
    result = draw_compute(
        pool_ids=pool_ids,
        roster_ids=roster_ids,
        excluded_pairs=excluded,
        enterprise_count=enterprise_count,
        inspector_count=inspector_count,
        seed=seed,
    )
    draw = Draw.objects.create(
        department=department,
        title=title,
        township=township,
        sector=sector,
        risk=risk,
        enterprise_count=enterprise_count,
        inspector_count=inspector_count,
        method=method,
        planned_on=planned_on,
        seed=seed,
        pool_ids=pool_ids,
        roster_ids=roster_ids,
        excluded_pairs=excluded,
        result=result,
        drawn_by=actor,
    )
    for row in result:
        inspection = Inspection.objects.create(
            department=department,
            enterprise_id=row["enterprise"],
            inspected_on=planned_on,
            method=method,
            status=Inspection.Status.PLANNED,
            draw=draw,
            recorded_by=actor,
        )
        inspection.inspectors.set(row["inspectors"])
    return draw


def draw_replay(draw: Draw) -> list[dict]:
    """Recompute ``draw`` from its stored seed, pool, roster and excluded pairs (no writes);
    equal to ``draw.result`` unless the stored record was altered."""
    return draw_compute(
        pool_ids=draw.pool_ids,
        roster_ids=draw.roster_ids,
        excluded_pairs=draw.excluded_pairs,
        enterprise_count=draw.enterprise_count,
        inspector_count=draw.inspector_count,
        seed=draw.seed,
    )


@transaction.atomic
def draw_publish(*, draw: Draw, actor) -> Draw:
    """公开: give the draw its public page (enterprises, inspection date, method, seed — no
    inspector names). Idempotent."""
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if not permissions.can_publish_draw(actor, draw):
        raise PermissionDenied
    if draw.published_at is None:
        draw.published_at = timezone.now()
        draw.public_slug = Draw.new_public_slug()
        draw.save(update_fields=["published_at", "public_slug"])
    return draw


# ---------------------------------------------------------------------------------------------
# Conflict ties, experts


@transaction.atomic
def tie_record(
    *,
    actor,
    enterprise: Enterprise,
    reason: str,
    person: User | None = None,
    expert: Expert | None = None,
) -> ConflictTie:
    """Record that an inspector (``person``) or an ``expert`` is tied to ``enterprise``."""
    if not permissions.can_record_tie(actor):
        raise PermissionDenied
    if (person is None) == (expert is None):
        raise ValidationError({"person": _("Name either an inspector or an expert.")})
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise ValidationError({"enterprise": _("This enterprise is not in your scope.")})
    reason = _require(reason, "reason", _("The reason"))
    try:
        with transaction.atomic():
            return ConflictTie.objects.create(
                person=person,
                expert=expert,
                enterprise=enterprise,
                reason=reason[:200],
                recorded_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"enterprise": _("This tie is already recorded.")}) from None


@transaction.atomic
def expert_create(
    *,
    actor,
    name: str,
    specialities: str,
    sectors: Sequence[Sector],
    title: str = "",
    employer: Enterprise | None = None,
    employer_name: str = "",
    phone: str = "",
    available: bool = True,
) -> Expert:
    """Add an expert to the pool (task 28); at least one sector."""
    if not permissions.can_manage_experts(actor):
        raise PermissionDenied
    if not sectors:
        raise ValidationError({"sectors": _("Choose at least one sector.")})
    expert = Expert(
        name=_require(name, "name", _("The name")),
        title=title.strip(),
        specialities=_require(specialities, "specialities", _("The specialities")),
        employer=employer,
        employer_name=employer_name.strip() or (employer.name if employer else ""),
        phone=phone.strip(),
        available=available,
    )
    expert.full_clean()
    expert.save()
    expert.sectors.set(sectors)
    return expert


@transaction.atomic
def expert_set_available(*, expert: Expert, actor, available: bool) -> Expert:
    if not permissions.can_manage_experts(actor):
        raise PermissionDenied
    expert.available = available
    expert.save(update_fields=["available"])
    return expert


# ---------------------------------------------------------------------------------------------
# Enforcement actions (行政处罚等)


def _check_amounts(
    kind: str, fine_amount, person_fine_amount, confiscated_amount, responsible_person: str
) -> None:
    def present(v):
        return v is not None and v != ""

    if kind in KIND_NEEDS_FINE and not present(fine_amount):
        raise ValidationError({"fine_amount": _("Enter the fine on the enterprise (yuan).")})
    if kind in KIND_NEEDS_PERSON_FINE:
        if not present(person_fine_amount):
            raise ValidationError(
                {
                    "person_fine_amount": _(
                        "One case, two penalties: enter the fine on the responsible person (yuan)."
                    )
                }
            )
        if not responsible_person.strip():
            raise ValidationError(
                {"responsible_person": _("One case, two penalties: name the responsible person.")}
            )
    if kind in KIND_NEEDS_CONFISCATION and not present(confiscated_amount):
        raise ValidationError(
            {"confiscated_amount": _("Enter the illegal gains confiscated (yuan).")}
        )


@transaction.atomic
def action_record(
    *,
    actor,
    department: Department,
    enterprise: Enterprise,
    kind: str,
    legal_basis: str,
    decision_number: str,
    decided_on: datetime.date,
    fine_amount: Decimal | None = None,
    responsible_person: str = "",
    person_fine_amount: Decimal | None = None,
    confiscated_amount: Decimal | None = None,
    facts: str = "",
    inspection: Inspection | None = None,
    hazards: Sequence[Hazard] = (),
    referred_for_prosecution: bool = False,
    referred_on: datetime.date | None = None,
    referral_note: str = "",
) -> EnforcementAction:
    """Record a 行政处罚 decision. Amounts in 元 (Decimal, 0.01 – 100,000,000, two decimals);
    which are required depends on ``kind`` (罚款/上限处罚: the enterprise's fine; 一案双罚: both
    fines and the person; 没收违法所得: the amount). ``inspection`` must be of the same
    enterprise and department; ``hazards`` of the same enterprise. Task 26."""
    if not permissions.can_record_action(actor, department):
        raise PermissionDenied(_("You may only record decisions of your own department."))
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise ValidationError({"enterprise": _("This enterprise is not in your scope.")})
    if inspection is not None and (
        inspection.enterprise_id != enterprise.pk or inspection.department_id != department.pk
    ):
        raise ValidationError(
            {"inspection": _("The inspection is of another enterprise or department.")}
        )
    if any(h.enterprise_id != enterprise.pk for h in hazards):
        raise ValidationError({"hazards": _("The hazards must be of the same enterprise.")})
    _check_amounts(
        kind, fine_amount, person_fine_amount, confiscated_amount, responsible_person or ""
    )
    _not_future(decided_on, "decided_on")
    if referred_for_prosecution:
        if referred_on is None:
            raise ValidationError({"referred_on": _("Enter the date of the referral.")})
        _not_future(referred_on, "referred_on")
    action = EnforcementAction(
        department=department,
        enterprise=enterprise,
        inspection=inspection,
        kind=kind,
        fine_amount=fine_amount,
        responsible_person=(responsible_person or "").strip(),
        person_fine_amount=person_fine_amount,
        confiscated_amount=confiscated_amount,
        legal_basis=_require(legal_basis, "legal_basis", _("The legal basis")),
        decision_number=_require(decision_number, "decision_number", _("The decision number")),
        decided_on=decided_on,
        facts=(facts or "").strip(),
        referred_for_prosecution=referred_for_prosecution,
        referred_on=referred_on if referred_for_prosecution else None,
        referral_note=(referral_note or "").strip(),
        recorded_by=actor,
    )
    action.full_clean()
    action.save()
    action.hazards.set(hazards)
    return action


@transaction.atomic
def action_refer(
    *, action: EnforcementAction, actor, referred_on: datetime.date, referral_note: str
) -> EnforcementAction:
    """行刑衔接: refer a case to the public security organs / procuratorate."""
    action = EnforcementAction.objects.select_for_update().get(pk=action.pk)
    if not permissions.can_refer(actor, action):
        raise PermissionDenied
    if action.referred_for_prosecution:
        raise ValidationError(_("This case is already referred."))
    _not_future(referred_on, "referred_on")
    action.referred_for_prosecution = True
    action.referred_on = referred_on
    action.referral_note = _require(referral_note, "referral_note", _("The referral note"))[:300]
    action.save(update_fields=["referred_for_prosecution", "referred_on", "referral_note"])
    return action


# ---------------------------------------------------------------------------------------------
# Accidents


@transaction.atomic
def accident_record(
    *,
    actor,
    occurred_on: datetime.date,
    township: Township,
    sector: Sector,
    summary: str,
    deaths: int = 0,
    serious_injuries: int = 0,
    direct_loss: Decimal = Decimal("0"),
    grade: str = "",
    enterprise: Enterprise | None = None,
    investigation_status: str = Accident.Investigation.INVESTIGATING,
    report: str = "",
) -> Accident:
    """Record a 生产安全事故. The grade is derived from deaths, serious injuries and direct loss
    (元); a ``grade`` entered that differs is refused with the derived one named."""
    if not permissions.can_record_accident(actor):
        raise PermissionDenied
    if enterprise is not None:
        if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
            raise ValidationError({"enterprise": _("This enterprise is not in your scope.")})
        if enterprise.township_id != township.pk:
            raise ValidationError({"township": _("The enterprise is in another township.")})
    _not_future(occurred_on, "occurred_on")
    derived = accident_grade(deaths, serious_injuries, direct_loss)
    if grade and grade != derived:
        from .models import AccidentGrade

        raise ValidationError(
            {
                "grade": _("The figures entered make this a %(derived)s, not a %(grade)s.")
                % {"derived": AccidentGrade(derived).label, "grade": AccidentGrade(grade).label}
            }
        )
    accident = Accident(
        occurred_on=occurred_on,
        township=township,
        sector=sector,
        enterprise=enterprise,
        summary=_require(summary, "summary", _("The summary")),
        deaths=deaths,
        serious_injuries=serious_injuries,
        direct_loss=direct_loss,
        grade=derived,
        investigation_status=investigation_status,
        report=(report or "").strip(),
        recorded_by=actor,
    )
    accident.full_clean()
    accident.save()
    if not Accident.objects.visible_to(actor).filter(pk=accident.pk).exists():
        raise PermissionDenied(_("You may only record accidents of your own township or sectors."))
    return accident


@transaction.atomic
def accident_close_investigation(*, accident: Accident, actor, report: str) -> Accident:
    accident = Accident.objects.select_for_update().get(pk=accident.pk)
    if not permissions.can_change_accident(actor):
        raise PermissionDenied
    accident.report = _require(report, "report", _("The investigation report"))
    accident.investigation_status = Accident.Investigation.CLOSED
    accident.save(update_fields=["report", "investigation_status"])
    return accident


# ---------------------------------------------------------------------------------------------
# 零处罚 → the escalation ladder


@transaction.atomic
def zero_penalty_propose(
    *,
    actor,
    department: Department,
    year: int,
    quarter: int,
    inspections: int,
    with_findings: int,
    kind: str = StepKind.SUMMONS_INTERVIEW,
) -> EscalationStep:
    """Propose (never approve) a 约谈 or 通报 step against a department that inspected with
    findings but recorded no enforcement action in the quarter (只检查不处罚). The safety office
    then decides it on the escalation page like any other step."""
    if not permissions.can_propose_zero_penalty_step(actor):
        raise PermissionDenied
    if kind not in (StepKind.SUMMONS_INTERVIEW, StepKind.CIRCULATED_NOTICE):
        raise ValidationError({"kind": _("Propose a summons interview or a circulated notice.")})
    key = target_key(TargetKind.DEPARTMENT, department.pk)
    if EscalationStep.objects.filter(
        target_key=key, kind=kind, status=EscalationStep.Status.PROPOSED
    ).exists():
        raise ValidationError(
            _("This step is already proposed for %(department)s.") % {"department": department}
        )
    with translation.override(settings.LANGUAGE_CODE):
        grounds = _(
            "%(year)s Q%(q)s: %(n)s inspections, %(f)s with problems found, no "
            "enforcement action (inspecting without penalising)."
        ) % {"year": year, "q": quarter, "n": inspections, "f": with_findings}
    return EscalationStep.objects.create(
        kind=kind,
        target_kind=TargetKind.DEPARTMENT,
        target_key=key,
        department=department,
        grounds=grounds,
    )
