"""The league table (“赛马”): townships and lead departments ranked on measurable things only.

Each metric is an entry of :data:`METRICS`: a function annotating a queryset of units
(townships or departments) with ``<code>_num`` and ``<code>_den`` computed in the database
(subqueries and aggregates, no Python loops over records). A metric's value is num/den in
[0, 1] (1 when nothing is due); the score is Σ weight × value / Σ weights × 100 over the
available metrics. Weights: :class:`campaigns.models.LeagueWeight` rows (admins edit them in
the Django admin), else each metric's default.

The two hazard metrics count the hazard ledger: a township's hazards (属地) and the hazards a
department supervises (行业); deadlines are the rectification deadlines (五落实).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Window
from django.db.models.functions import Cast, Coalesce, Least, NullIf, Rank
from django.utils.translation import gettext_lazy as _

from campaigns.constants import DEFAULT_REPORTING_FREQUENCY, REPORT_GRACE_DAYS, Frequency
from campaigns.league.models import LeagueWeight
from campaigns.org.models import Department, Township
from campaigns.plan.models import Milestone, Task
from campaigns.progress.models import MilestoneRecord, ProgressReport
from campaigns.subplans.models import SubPlan
from yixian_safety.dates import today_local
from yixian_safety.db import SubqueryCount
from yixian_safety.periods import closed_periods_count

TOWNSHIPS = "townships"
DEPARTMENTS = "departments"
KINDS = {TOWNSHIPS: _("townships"), DEPARTMENTS: _("departments")}


def units_of(kind: str) -> QuerySet:
    """The ranked units: all 8 townships, or the lead departments."""
    if kind == TOWNSHIPS:
        return Township.objects.all()
    if kind == DEPARTMENTS:
        return Department.objects.filter(is_lead=True)
    raise ValueError(kind)


def _unit_field(kind: str) -> str:
    return "township" if kind == TOWNSHIPS else "department"


# --- metrics --------------------------------------------------------------------------------


def subplan_on_time(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Campaign sub-plan: 1 submitted by the due date, ½ submitted late, 0 not submitted."""
    points = (SubPlan.objects.filter(**{_unit_field(kind): OuterRef("pk")}, sector__isnull=True)
              .annotate(points=Case(
                  When(first_submitted_on__isnull=True, then=Value(0.0)),
                  When(first_submitted_on__lte=F("due_on"), then=Value(1.0)),
                  default=Value(0.5), output_field=FloatField()))
              .values("points")[:1])
    return qs.annotate(subplan_on_time_num=Coalesce(Subquery(points), Value(0.0)),
                       subplan_on_time_den=Value(1.0))


def _expected_reports(kind: str, today: datetime.date, campaign_start: datetime.date):
    months = closed_periods_count(campaign_start, today, Frequency.MONTHLY, REPORT_GRACE_DAYS)
    quarters = closed_periods_count(campaign_start, today, Frequency.QUARTERLY, REPORT_GRACE_DAYS)
    monthly_q = Q(cadence__frequency=Frequency.MONTHLY)
    if DEFAULT_REPORTING_FREQUENCY == Frequency.MONTHLY:  # pragma: no cover - constant
        monthly_q |= Q(cadence__isnull=True)
    if kind == TOWNSHIPS:
        n_monthly = Task.objects.filter(monthly_q).count()
        n_all = Task.objects.count()
        return Value(n_monthly * months + (n_all - n_monthly) * quarters)
    tasks = Task.objects.filter(Q(lead_departments=OuterRef("pk"))
                                | Q(participating_departments=OuterRef("pk"))).distinct()
    n_all = SubqueryCount(tasks.values("pk"))
    n_monthly = SubqueryCount(tasks.filter(monthly_q).values("pk"))
    return n_monthly * Value(months) + (n_all - n_monthly) * Value(quarters)


def reports_on_time(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Progress reports submitted on time (≤ period end + grace) for periods already due,
    over the reports owed for those periods (tasks × closed periods, by each task's cadence)."""
    from campaigns.plan.models import Campaign

    campaign = Campaign.objects.first()
    start = campaign.starts_on if campaign else today
    on_time = ProgressReport.objects.filter(**{_unit_field(kind): OuterRef("pk")},
                                            due_on__lt=today, submitted_on__lte=F("due_on"))
    return qs.annotate(reports_on_time_num=SubqueryCount(on_time.values("pk")),
                       reports_on_time_den=_expected_reports(kind, today, start))


def milestones_met(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Milestones due before today that the unit marked met, over its milestones due."""
    met = MilestoneRecord.objects.filter(**{_unit_field(kind): OuterRef("pk")},
                                         milestone__due_on__lt=today)
    if kind == TOWNSHIPS:
        due = Value(Milestone.objects.filter(task__isnull=False, due_on__lt=today).count())
    else:
        due = SubqueryCount(
            Milestone.objects.filter(Q(task__lead_departments=OuterRef("pk"))
                                     | Q(task__participating_departments=OuterRef("pk")),
                                     due_on__lt=today).distinct().values("pk"))
    return qs.annotate(milestones_met_num=SubqueryCount(met.values("pk")),
                       milestones_met_den=due)


def _hazards_of_unit(kind: str) -> QuerySet:
    """Ledger hazards (merged reports excluded) of the unit in the outer query: its township
    (属地), or the department supervising the hazard (行业)."""
    from hazards.models import Hazard

    unit = "township" if kind == TOWNSHIPS else "supervising_department"
    return Hazard.objects.ledger().filter(**{unit: OuterRef("pk")})


def hazards_closed_on_time(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Hazards closed (销号, local date) by their rectification deadline, over hazards closed or
    open past their deadline."""
    from hazards.models import CLOSED_ON_TIME_Q, OPEN_STATUSES, Status

    # Conditions stay flat: a nested subquery here would re-bind the unit's OuterRef.
    mine = _hazards_of_unit(kind)
    on_time = mine.filter(CLOSED_ON_TIME_Q)
    due = mine.filter(Q(status=Status.CLOSED)
                      | Q(status__in=OPEN_STATUSES, rectification__deadline__lt=today))
    return qs.annotate(hazards_closed_on_time_num=SubqueryCount(on_time.values("pk")),
                       hazards_closed_on_time_den=SubqueryCount(due.values("pk")))


def overdue_hazards(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Open hazards within their deadline (or without one yet), over all open hazards: every
    overdue hazard lowers the score."""
    open_ = _hazards_of_unit(kind).open()
    in_time = open_.filter(Q(rectification__isnull=True) | Q(rectification__deadline__gte=today))
    return qs.annotate(overdue_hazards_num=SubqueryCount(in_time.values("pk")),
                       overdue_hazards_den=SubqueryCount(open_.values("pk")))


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    description: str
    default_weight: Decimal
    annotate: Callable[[QuerySet, str, datetime.date], QuerySet | None]


METRICS: list[Metric] = [
    Metric("subplan_on_time", _("Sub-plan on time"),
           _("1 if the campaign sub-plan was submitted by the due date, 0.5 if late, 0 if not "
             "submitted."), Decimal("20"), subplan_on_time),
    Metric("reports_on_time", _("Progress reports on time"),
           _("Reports submitted within the period plus the grace days, over the reports owed "
             "for periods already due."), Decimal("30"), reports_on_time),
    Metric("milestones_met", _("Milestones met"),
           _("Milestones due before today marked met, over the milestones due."),
           Decimal("30"), milestones_met),
    Metric("hazards_closed_on_time", _("Hazards closed on time"),
           _("Hazards closed by their deadline, over hazards closed or past their deadline."),
           Decimal("10"), hazards_closed_on_time),
    Metric("overdue_hazards", _("No overdue hazards"),
           _("Open hazards within their deadline, over all open hazards."),
           Decimal("10"), overdue_hazards),
]
METRIC_CODES = [m.code for m in METRICS]


def weights() -> dict[str, Decimal]:
    """{metric code: weight} — the admins' LeagueWeight rows over the defaults."""
    stored = dict(LeagueWeight.objects.filter(metric__in=METRIC_CODES)
                  .values_list("metric", "weight"))
    return {m.code: stored.get(m.code, m.default_weight) for m in METRICS}


@dataclass
class MetricResult:
    metric: Metric
    available: bool
    weight: Decimal
    num: float | None = None
    den: float | None = None
    value: float | None = None  # 0…1
    points: float = 0.0  # contribution to the 0…100 score


@dataclass
class LeagueRow:
    unit: Township | Department
    rank: int
    score: float
    metrics: list[MetricResult]


def league_table(kind: str, *, today: datetime.date | None = None,
                 unit_pk: int | None = None) -> list[LeagueRow]:
    """The ranked table of ``kind`` (townships/departments); one query for all units."""
    today = today or today_local()
    w = weights()
    qs = units_of(kind)
    available: list[Metric] = []
    for metric in METRICS:
        annotated = metric.annotate(qs, kind, today)
        if annotated is not None:  # a metric may have nothing to count (None)
            qs = annotated
            available.append(metric)
    total_weight = sum((w[m.code] for m in available), Decimal(0)) or Decimal(1)
    score = Value(0.0)
    for m in available:
        value = Coalesce(
            Least(Cast(F(f"{m.code}_num"), FloatField())
                  / NullIf(Cast(F(f"{m.code}_den"), FloatField()), Value(0.0)), Value(1.0)),
            Value(1.0))
        qs = qs.annotate(**{f"{m.code}_value": value})
        score = score + F(f"{m.code}_value") * Value(float(w[m.code]))
    qs = qs.annotate(score=score * Value(100.0 / float(total_weight)))
    qs = qs.annotate(rank=Window(Rank(), order_by=F("score").desc())).order_by("-score", "order")
    rows = []
    for unit in qs:
        if unit_pk is not None and unit.pk != unit_pk:
            continue
        results = []
        for metric in METRICS:
            weight = w[metric.code]
            if metric not in available:
                results.append(MetricResult(metric, False, weight))
                continue
            value = getattr(unit, f"{metric.code}_value")
            results.append(MetricResult(
                metric, True, weight, num=getattr(unit, f"{metric.code}_num"),
                den=getattr(unit, f"{metric.code}_den"), value=value,
                points=value * float(weight) * 100.0 / float(total_weight)))
        rows.append(LeagueRow(unit, unit.rank, round(unit.score, 1), results))
    return rows
