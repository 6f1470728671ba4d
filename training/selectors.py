"""Reads of the training app: focus-group coverage (task 3), duty compliance of drills
(task 22) and principal-led inspections (task 3), certificate expiry lists (task 20), rescue-team
coverage (task 22) and an enterprise's summary.

Every figure starts from ``visible_to(user)`` and is computed in the database; the rows behind
a figure are reachable by the same filters (``duty_enterprises(..., status=...)``,
``focus_enterprises(..., trained=False)``).

Duty periods (:mod:`yixian_safety.periods`): drills yearly, half-yearly for high-risk enterprises;
inspections quarterly, monthly for high-risk enterprises (an enterprise is high-risk when one of
its sectors is). For a year and ``today`` (Asia/Shanghai), each enterprise-period that has
started is **met** (a record dated in it), **missed** (ended without one) or **pending**
(current, no record yet). Periods not started yet are not counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractQuarter

from campaigns.models import Sector, Township
from hazards.models import Enterprise
from yixian_safety.periods import Frequency, Period, periods_between

from .constants import (
    AUDIENCE_SCOPE,
    CAMPAIGN_START,
    DRILL_FREQUENCY,
    DRILL_HIGH_RISK_FREQUENCY,
    EXPIRY_WINDOWS,
    FOCUS_GROUPS,
    INSPECTION_FREQUENCY,
    INSPECTION_HIGH_RISK_FREQUENCY,
    Audience,
)
from .models import Attendance, Certificate, Drill, PrincipalInspection, RescueTeam

MET, PENDING, MISSED = "met", "pending", "missed"


# --- focus-group coverage (task 3) ----------------------------------------------------------


def audience_enterprises(queryset: QuerySet, audience: str) -> QuerySet:
    """The enterprises of ``queryset`` in ``audience``'s group (by flag, sector or high risk);
    ``queryset.none()`` for audiences that are not enterprises (enforcement staff, other)."""
    kind, value = AUDIENCE_SCOPE.get(audience, (None, None))
    through = Enterprise.sectors.through
    if kind == "flag":
        from .models import EnterpriseFlag

        return queryset.filter(
            Exists(EnterpriseFlag.objects.filter(enterprise_id=OuterRef("pk"), flag=value))
        )
    if kind == "sector":
        return queryset.filter(
            Exists(through.objects.filter(enterprise_id=OuterRef("pk"), sector__code=value))
        )
    if kind == "high_risk":
        return queryset.filter(
            Exists(through.objects.filter(enterprise_id=OuterRef("pk"), sector__high_risk=True))
        )
    return queryset.none()


def trained_by(audience: str, until: datetime.date) -> Exists:
    """Has a responsible person who passed a session of ``audience`` held from the campaign's
    start to ``until`` (inclusive)."""
    return Exists(
        Attendance.objects.trained().filter(
            enterprise_id=OuterRef("pk"),
            session__audience=audience,
            session__held_on__gte=CAMPAIGN_START,
            session__held_on__lte=until,
        )
    )


def of_unit(qs: QuerySet, *, township=None, department=None) -> QuerySet:
    """Enterprises of ``qs`` belonging to one unit: a township's (its own), a department's
    (in a sector it leads); both None: ``qs`` unchanged."""
    if department is not None:
        qs = qs.filter(
            Exists(
                Enterprise.sectors.through.objects.filter(
                    enterprise_id=OuterRef("pk"), sector__lead_departments=department
                )
            )
        )
    if township is not None:
        qs = qs.filter(township=township)
    return qs


def coverage_until(year: int, today: datetime.date) -> datetime.date:
    """A year's coverage counts training up to its 31 December, or today if earlier."""
    return min(datetime.date(year, 12, 31), today)


def focus_enterprises(
    user, *, audience: str, year: int, today: datetime.date, trained: bool | None = None
) -> QuerySet:
    """The visible enterprises of ``audience``'s group annotated ``is_trained`` (by the end of
    ``year`` or today); ``trained`` True/False keeps only those trained / not yet trained."""
    qs = audience_enterprises(Enterprise.objects.visible_to(user), audience).annotate(
        is_trained=trained_by(audience, coverage_until(year, today))
    )
    if trained is not None:
        qs = qs.filter(is_trained=trained)
    return qs.select_related("township").order_by("township__order", "name", "pk")


@dataclass
class Coverage:
    """One focus group of one year: enterprises in scope, trained, not yet; ``rate`` in
    percent (None when the group is empty); ``met``: every enterprise trained (the task-3
    milestone of that year counts as met from this, not by hand)."""

    year: int
    audience: str
    label: str
    total: int
    trained: int
    by_township: list[dict] = field(default_factory=list)

    @property
    def untrained(self) -> int:
        return self.total - self.trained

    @property
    def rate(self) -> float | None:
        return round(100 * self.trained / self.total, 1) if self.total else None

    @property
    def met(self) -> bool:
        return self.total > 0 and self.trained == self.total


def focus_coverage(
    user,
    *,
    year: int,
    today: datetime.date,
    by_township: bool = False,
    township=None,
    department=None,
) -> list[Coverage]:
    """Coverage of ``year``'s focus groups (FOCUS_GROUPS) in the user's scope, optionally of
    one unit (``township`` / ``department``: see :func:`of_unit`); one aggregate query per
    group (two with ``by_township``)."""
    out = []
    for audience in FOCUS_GROUPS.get(year, ()):
        qs = focus_enterprises(user, audience=audience, year=year, today=today)
        qs = of_unit(qs, township=township, department=department).order_by()
        agg = qs.aggregate(total=Count("pk"), trained=Count("pk", filter=Q(is_trained=True)))
        cov = Coverage(
            year=year,
            audience=audience,
            label=str(Audience(audience).label),
            total=agg["total"],
            trained=agg["trained"],
        )
        if by_township:
            cov.by_township = list(
                qs.values("township__code", "township__name", "township__order")
                .annotate(
                    total=Count("pk"),
                    trained=Count("pk", filter=Q(is_trained=True)),
                    untrained=Count("pk", filter=Q(is_trained=False)),
                )
                .order_by("township__order")
            )
        out.append(cov)
    return out


def focus_year_met(year: int, today: datetime.date) -> bool | None:
    """County-wide: is ``year``'s task-3 training focus met (every enterprise of every focus
    group trained by year end)? None when no enterprise is in any of its groups."""
    covs = focus_coverage(_Everyone(), year=year, today=today)
    if not covs or all(c.total == 0 for c in covs):
        return None
    return all(c.met or c.total == 0 for c in covs)


class _Everyone:
    """A stand-in user whose scope is everything (county-wide figures for the hub)."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    role = "admin"

    def __init__(self):
        from campaigns.org.scoping import Scope

        self._yixian_scope = Scope(everything=True)


# --- duties: drills (task 22) and principal-led inspections (task 3) ------------------------


@dataclass(frozen=True)
class Duty:
    """A recurring enterprise duty: the model recording it, its date field, frequencies."""

    code: str
    model: type
    date_field: str
    frequency: str
    high_risk_frequency: str
    obligation: str  # the plan's obligation code (campaigns plan.yaml)


DRILL_DUTY = Duty(
    "drill", Drill, "held_on", DRILL_FREQUENCY, DRILL_HIGH_RISK_FREQUENCY, "t22-evacuation-drill"
)
INSPECTION_DUTY = Duty(
    "inspection",
    PrincipalInspection,
    "inspected_on",
    INSPECTION_FREQUENCY,
    INSPECTION_HIGH_RISK_FREQUENCY,
    "t3-principal-inspection",
)
DUTIES = {d.code: d for d in (DRILL_DUTY, INSPECTION_DUTY)}


def year_periods(year: int, frequency: str) -> list[Period]:
    return periods_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31), frequency)


def started_periods(year: int, frequency: str, today: datetime.date) -> list[Period]:
    return [p for p in year_periods(year, frequency) if p.start <= today]


def _period_index(frequency: str, field_name: str):
    if frequency == Frequency.MONTHLY:
        return ExtractMonth(field_name)
    if frequency == Frequency.QUARTERLY:
        return ExtractQuarter(field_name)
    if frequency == Frequency.HALF_YEARLY:
        return Case(When(**{f"{field_name}__month__lte": 6}, then=Value(1)), default=Value(2))
    return Value(1)


def _periods_with_record(duty: Duty, frequency: str, year: int, until: datetime.date):
    """Number of distinct ``frequency`` periods of ``year`` (up to ``until``) with a record."""
    f = duty.date_field
    records = (
        duty.model.objects.filter(enterprise_id=OuterRef("pk"))
        .filter(**{f"{f}__gte": datetime.date(year, 1, 1), f"{f}__lte": until})
        .annotate(_idx=_period_index(frequency, f))
        .order_by()
        .values("enterprise_id")
        .annotate(c=Count("_idx", distinct=True))
        .values("c")[:1]
    )
    return Coalesce(Subquery(records, output_field=IntegerField()), Value(0))


def duty_annotate(queryset: QuerySet, duty: Duty, *, year: int, today: datetime.date) -> QuerySet:
    """Annotate enterprises with ``is_high_risk`` and, for ``year`` as of ``today``,
    ``duty_started``, ``duty_met``, ``duty_missed``, ``duty_pending`` (numbers of periods)."""
    qs = queryset.with_high_risk()
    parts = {}
    for key, freq in (("base", duty.frequency), ("high", duty.high_risk_frequency)):
        started = started_periods(year, freq, today)
        ended = [p for p in started if p.end < today]
        cutoff = min(datetime.date(year, 12, 31), today)
        met_all = _periods_with_record(duty, freq, year, cutoff)
        met_ended = _periods_with_record(duty, freq, year, ended[-1].end) if ended else Value(0)
        parts[key] = (Value(len(started)), met_all, Value(len(ended)) - met_ended)

    def pick(i):
        return Case(
            When(is_high_risk=True, then=parts["high"][i]),
            default=parts["base"][i],
            output_field=IntegerField(),
        )

    return qs.annotate(duty_started=pick(0), duty_met=pick(1), duty_missed=pick(2)).annotate(
        duty_pending=Coalesce("duty_started", 0)
        - Coalesce("duty_met", 0)
        - Coalesce("duty_missed", 0)
    )


def duty_enterprises(
    user,
    duty: Duty,
    *,
    year: int,
    today: datetime.date,
    status: str | None = None,
    township: Township | None = None,
    sector: Sector | None = None,
    department=None,
) -> QuerySet:
    """Visible enterprises annotated by :func:`duty_annotate`, optionally only those with a
    ``status`` (met/pending/missed) period, of a township or a sector — the rows behind a
    compliance figure (``department``: enterprises of the sectors it leads)."""
    qs = of_unit(Enterprise.objects.visible_to(user), township=township, department=department)
    if sector is not None:
        qs = qs.filter(
            Exists(
                Enterprise.sectors.through.objects.filter(
                    enterprise_id=OuterRef("pk"), sector=sector
                )
            )
        )
    qs = duty_annotate(qs, duty, year=year, today=today)
    if status in (MET, PENDING, MISSED):
        qs = qs.filter(**{f"duty_{status}__gt": 0})
    return qs.select_related("township").order_by("township__order", "name", "pk")


@dataclass
class DutyFigures:
    """Enterprise-periods started / met / pending / missed; ``rate`` = met / started (percent)."""

    key: str
    name: str
    started: int = 0
    met: int = 0
    pending: int = 0
    missed: int = 0

    @property
    def rate(self) -> float | None:
        return round(100 * self.met / self.started, 1) if self.started else None

    @property
    def complete(self) -> bool:
        """The unit's periods so far are all met (a township's period is met when its
        enterprises' are)."""
        return self.started > 0 and self.met == self.started


def _figures(rows, key: str, name: str) -> list[DutyFigures]:
    return [
        DutyFigures(
            key=r[key] or "",
            name=r[name] or "—",
            started=r["s"] or 0,
            met=r["m"] or 0,
            pending=r["p"] or 0,
            missed=r["x"] or 0,
        )
        for r in rows
    ]


def duty_totals(enterprises: QuerySet, duty: Duty, *, year: int, today: datetime.date):
    """The :class:`DutyFigures` of ``enterprises`` summed — what summing :func:`duty_annotate`
    over them gives, without its correlated subqueries for every enterprise (11 s for the
    drills and inspections of 100,000 enterprises, issue 19): an enterprise with no record in
    ``year`` has started every started period of its frequency, met none, missed every ended
    one; only the enterprises with a record go through :func:`duty_annotate`. Two queries."""
    from django.db.models import Count

    f = duty.date_field
    with_record = Exists(
        duty.model.objects.filter(
            enterprise_id=OuterRef("pk"),
            **{f"{f}__gte": datetime.date(year, 1, 1), f"{f}__lte": datetime.date(year, 12, 31)},
        )
    )
    shape = {}
    for high, freq in ((False, duty.frequency), (True, duty.high_risk_frequency)):
        started = started_periods(year, freq, today)
        shape[high] = (len(started), len([p for p in started if p.end < today]))
    total = DutyFigures(key="", name="")
    counts = (
        enterprises.filter(~with_record)
        .with_high_risk()
        .order_by()
        .values_list("is_high_risk")
        .annotate(n=Count("pk"))
    )
    for high, n in counts:
        started, ended = shape[bool(high)]
        total.started += n * started
        total.missed += n * ended
        total.pending += n * (started - ended)
    recorded = (
        duty_annotate(enterprises.filter(with_record), duty, year=year, today=today)
        .order_by()
        .aggregate(
            s=Sum("duty_started"), m=Sum("duty_met"), p=Sum("duty_pending"), x=Sum("duty_missed")
        )
    )
    total.started += recorded["s"] or 0
    total.met += recorded["m"] or 0
    total.pending += recorded["p"] or 0
    total.missed += recorded["x"] or 0
    return total


def duty_compliance(
    user,
    duty: Duty,
    *,
    year: int,
    today: datetime.date,
    breakdown: bool = True,
    township=None,
    department=None,
) -> dict:
    """``{"total": DutyFigures, "townships": [...], "sectors": [...], "departments": [...]}``
    for the visible enterprises, optionally of one unit (``township`` / ``department``: see
    :func:`of_unit`); four aggregate queries (one with ``breakdown=False``, which leaves the
    lists empty)."""
    enterprises = of_unit(
        Enterprise.objects.visible_to(user), township=township, department=department
    )
    qs = duty_annotate(enterprises, duty, year=year, today=today)
    sums = {
        "s": Sum("duty_started"),
        "m": Sum("duty_met"),
        "p": Sum("duty_pending"),
        "x": Sum("duty_missed"),
    }
    total = duty_totals(enterprises, duty, year=year, today=today)
    if not breakdown:
        return {"total": total, "townships": [], "sectors": [], "departments": []}
    townships = (
        qs.order_by()
        .values("township__code", "township__name", "township__order")
        .annotate(**sums)
        .order_by("township__order")
    )
    sectors = (
        qs.order_by()
        .values("sectors__code", "sectors__name", "sectors__order")
        .annotate(**sums)
        .order_by("sectors__order")
    )
    return {
        "total": total,
        "townships": _figures(townships, "township__code", "township__name"),
        "sectors": _figures(sectors, "sectors__code", "sectors__name"),
        "departments": department_figures(user, duty, year=year, today=today),
    }


def department_figures(user, duty: Duty, *, year: int, today: datetime.date) -> list[DutyFigures]:
    """Per lead department (行业): the duty figures of the visible enterprises with a sector
    it leads (each enterprise counted once per department). One query."""
    from campaigns.models import Department

    led = Enterprise.sectors.through.objects.filter(
        enterprise_id=OuterRef("pk"), sector__lead_departments=OuterRef(OuterRef("pk"))
    )
    ents = (
        duty_annotate(
            Enterprise.objects.visible_to(user).filter(Exists(led)), duty, year=year, today=today
        )
        .order_by()
        .annotate(_one=Value(1))
        .values("_one")
    )

    def total(field_name):
        return Coalesce(
            Subquery(ents.annotate(n=Sum(field_name)).values("n")[:1], output_field=IntegerField()),
            Value(0),
        )

    rows = (
        Department.objects.filter(is_lead=True)
        .annotate(
            s=total("duty_started"),
            m=total("duty_met"),
            p=total("duty_pending"),
            x=total("duty_missed"),
        )
        .order_by("order", "pk")
    )
    return [
        DutyFigures(key=d.code, name=d.name, started=d.s, met=d.m, pending=d.p, missed=d.x)
        for d in rows
        if d.s
    ]


@dataclass
class PeriodStatus:
    period: Period
    status: str
    records: list[datetime.date]


def duty_periods(
    enterprises, duty: Duty, *, year: int, today: datetime.date
) -> dict[int, list[PeriodStatus]]:
    """Each enterprise's started periods of ``year`` with their status and record dates
    (enterprises need ``is_high_risk``, e.g. from :func:`duty_annotate`); one query."""
    enterprises = list(enterprises)
    f = duty.date_field
    dates: dict[int, list[datetime.date]] = {}
    for ent_id, day in (
        duty.model.objects.filter(
            enterprise_id__in=[e.pk for e in enterprises], **{f"{f}__year": year}
        )
        .order_by(f)
        .values_list("enterprise_id", f)
    ):
        dates.setdefault(ent_id, []).append(day)
    out = {}
    for e in enterprises:
        freq = duty.high_risk_frequency if e.is_high_risk else duty.frequency
        rows = []
        for p in started_periods(year, freq, today):
            inside = [d for d in dates.get(e.pk, []) if p.start <= d <= p.end]
            status = MET if inside else (MISSED if p.end < today else PENDING)
            rows.append(PeriodStatus(p, status, inside))
        out[e.pk] = rows
    return out


# --- certificates (task 20) -----------------------------------------------------------------


def certificate_counts(user, today: datetime.date) -> dict:
    """``{"expired": n, 30: n, 60: n, 90: n, "review_overdue": n}`` in the user's scope."""
    qs = Certificate.objects.visible_to(user).order_by()
    aggs = {
        "expired": Count("pk", filter=Q(valid_until__lt=today)),
        "review_overdue": Count("pk", filter=Q(valid_until__gte=today, review_due__lt=today)),
    }
    for days in EXPIRY_WINDOWS:
        aggs[f"within_{days}"] = Count(
            "pk",
            filter=Q(
                valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=days)
            ),
        )
    return qs.aggregate(**aggs)


# --- rescue teams (task 22) -----------------------------------------------------------------


def rescue_coverage(user, *, has_team: bool | None = None) -> QuerySet:
    """Visible high-risk enterprises annotated ``has_team``; optionally only with/without."""
    qs = (
        Enterprise.objects.visible_to(user)
        .with_high_risk()
        .filter(is_high_risk=True)
        .annotate(has_team=Exists(RescueTeam.objects.filter(enterprise_id=OuterRef("pk"))))
    )
    if has_team is not None:
        qs = qs.filter(has_team=has_team)
    return qs.select_related("township").order_by("township__order", "name", "pk")


# --- one enterprise -------------------------------------------------------------------------


def enterprise_summary(user, enterprise: Enterprise, *, today: datetime.date) -> dict:
    """What the enterprise page shows of this app: attendances, certificates (expired first),
    drills and inspections (latest 20 each), this year's duty periods, rescue teams."""
    year = today.year
    ent = Enterprise.objects.with_high_risk().get(pk=enterprise.pk)
    certs = list(Certificate.objects.visible_to(user).filter(enterprise=enterprise))
    return {
        "attendances": Attendance.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("session")[:20],
        "certificates": certs,
        "expired_certificates": [c for c in certs if c.valid_until < today],
        "drills": Drill.objects.visible_to(user).filter(enterprise=enterprise)[:20],
        "inspections": PrincipalInspection.objects.visible_to(user).filter(enterprise=enterprise)[
            :20
        ],
        "rescue_teams": RescueTeam.objects.visible_to(user).filter(enterprise=enterprise),
        "drill_periods": duty_periods([ent], DRILL_DUTY, year=year, today=today)[ent.pk],
        "inspection_periods": duty_periods([ent], INSPECTION_DUTY, year=year, today=today)[ent.pk],
        "year": year,
        "today": today,
    }


# --- the plan's enterprise obligations, per unit (for the hub's obligation pages) -----------


OBLIGATION_DUTIES = {d.obligation: d for d in DUTIES.values()}


@dataclass
class UnitPeriodStatus:
    """A unit's period of an enterprise obligation computed from its enterprises' records:
    ``status`` met (every enterprise-period overlapping it is met) / missed (one is missed) /
    pending; ``rate`` = met ÷ started enterprise-periods (percent)."""

    status: str
    started: int
    met: int
    missed: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.met / self.started, 1) if self.started else None


def unit_obligation_status(
    obligation_code: str, unit, period: Period, today: datetime.date
) -> UnitPeriodStatus | None:
    """For the plan's enterprise obligations (``t3-principal-inspection``,
    ``t22-evacuation-drill``): the status of ``unit``'s (a Township: its enterprises; a lead
    Department: the enterprises of the sectors it leads) ``period``, from the enterprise
    records. ``None`` when the obligation is not one of these or the unit has no enterprise
    (then the hand-kept ObligationRecord applies). Two queries."""
    from campaigns.models import Department

    duty = OBLIGATION_DUTIES.get(obligation_code)
    if duty is None:
        return None
    qs = Enterprise.objects.with_high_risk()
    if isinstance(unit, Township):
        qs = qs.filter(township=unit)
    elif isinstance(unit, Department):
        qs = qs.filter(
            Exists(
                Enterprise.sectors.through.objects.filter(
                    enterprise_id=OuterRef("pk"), sector__lead_departments=unit
                )
            )
        )
    else:
        return None
    enterprises = list(qs)
    if not enterprises:
        return None
    started = met = missed = 0
    years = range(period.start.year, period.end.year + 1)
    for year in years:
        for rows in duty_periods(enterprises, duty, year=year, today=today).values():
            for row in rows:
                if row.period.end < period.start or row.period.start > period.end:
                    continue
                started += 1
                met += row.status == MET
                missed += row.status == MISSED
    if not started:
        return UnitPeriodStatus(PENDING, 0, 0, 0)
    status = MISSED if missed else (MET if met == started else PENDING)
    return UnitPeriodStatus(status, started, met, missed)
