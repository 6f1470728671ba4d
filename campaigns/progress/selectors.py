"""Reads of task progress: who answers for what, reporting periods, obligation periods with
their status, overdue milestones, progress summaries for the task/action/overview pages.

Responsibility (our reading of the plan's 属地 + 行业 principle, 保障措施（二）):
- a task's progress and milestones are owed by every township and by its lead and
  participating departments;
- an obligation is owed by the units of its subject: townships (``township``), lead
  departments (``department``), the safety office (``safety_office``/``county_government``),
  and for ``enterprise`` duties by the townships and lead departments reporting for the
  enterprises of their area or sectors — at the high-risk frequency for a department leading
  a high-risk sector.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from campaigns.constants import DEFAULT_REPORTING_FREQUENCY, REPORT_GRACE_DAYS, Frequency
from campaigns.org.models import Department, Sector, Township
from campaigns.plan.models import Action, Campaign, Milestone, Obligation, Task
from campaigns.plan.selectors import campaign_current
from campaigns.progress.models import (
    MilestoneRecord,
    ObligationRecord,
    ProgressReport,
    ReportingCadence,
)
from yixian_safety.dates import today_local
from yixian_safety.periods import Period, period_containing, periods_between

Unit = Township | Department


def task_frequency(task: Task) -> str:
    """The task's progress-reporting frequency (the office's cadence, default quarterly)."""
    cadence = ReportingCadence.objects.filter(task=task).values_list("frequency", flat=True)
    return cadence.first() or DEFAULT_REPORTING_FREQUENCY


def report_due_on(period: Period) -> datetime.date:
    """A progress report for ``period`` is on time until its end plus REPORT_GRACE_DAYS."""
    return period.end + datetime.timedelta(days=REPORT_GRACE_DAYS)


def unit_answers_for_task(unit: Unit, task: Task) -> bool:
    if isinstance(unit, Township):
        return True
    return (
        task.lead_departments.filter(pk=unit.pk).exists()
        or task.participating_departments.filter(pk=unit.pk).exists()
    )


def _of_campaign(qs, campaign: Campaign | None, field: str = "campaign"):
    return qs if campaign is None else qs.filter(**{field: campaign})


def tasks_of_unit(unit: Unit, campaign: Campaign | None = None):
    """Tasks ``unit`` reports progress on (of ``campaign``; every campaign's when ``None``)."""
    if isinstance(unit, Township):
        return _of_campaign(Task.objects.all(), campaign)
    return _of_campaign(
        Task.objects.filter(Q(lead_departments=unit) | Q(participating_departments=unit)),
        campaign,
    ).distinct()


def milestones_of_unit(unit: Unit, campaign: Campaign | None = None):
    """Milestones ``unit`` must meet: the dated milestones of its tasks (of ``campaign``)."""
    return Milestone.objects.filter(task__in=tasks_of_unit(unit, campaign).values("pk"))


def overdue_milestones(
    unit: Unit, today: datetime.date | None = None, campaign: Campaign | None = None
):
    """Milestones of ``unit`` due before ``today`` with no record of being met (derived);
    of ``campaign`` when given."""
    today = today or today_local()
    met = MilestoneRecord.objects.of_unit(unit).filter(milestone=OuterRef("pk"))
    return milestones_of_unit(unit, campaign).filter(due_on__lt=today).exclude(Exists(met))


def milestone_state(
    milestone: Milestone, record: MilestoneRecord | None, today: datetime.date
) -> str:
    """met / overdue / open for one unit."""
    if record is not None:
        return "met"
    return "overdue" if milestone.due_on < today else "open"


# --- obligations -------------------------------------------------------------------------


def obligation_units(obligation: Obligation) -> list[Unit]:
    """The units that owe ``obligation`` (see module docstring)."""
    subject = obligation.subject
    if subject == Obligation.Subject.TOWNSHIP:
        return list(Township.objects.all())
    if subject == Obligation.Subject.DEPARTMENT:
        return list(Department.objects.filter(is_lead=True))
    if subject in (Obligation.Subject.SAFETY_OFFICE, Obligation.Subject.COUNTY_GOVERNMENT):
        return list(Department.objects.filter(code=Department.SAFETY_OFFICE_CODE))
    return list(Township.objects.all()) + list(Department.objects.filter(is_lead=True))


def unit_is_high_risk(unit: Unit) -> bool:
    return (
        isinstance(unit, Department)
        and Sector.objects.filter(lead_departments=unit, high_risk=True).exists()
    )


def obligation_frequency(obligation: Obligation, *, high_risk: bool = False) -> str:
    """``high_risk_frequency`` where the subject is high-risk and one is set, else frequency."""
    if high_risk and obligation.high_risk_frequency:
        return obligation.high_risk_frequency
    return obligation.frequency


def obligation_periods(
    obligation: Obligation, start: datetime.date, end: datetime.date, *, high_risk: bool = False
) -> list[Period]:
    """The periods of ``obligation`` overlapping [start, end] (Asia/Shanghai dates), e.g.
    quarterly from 2024-01-01 to 2024-07-01 → 2024-Q1, 2024-Q2, 2024-Q3."""
    return periods_between(start, end, obligation_frequency(obligation, high_risk=high_risk))


@dataclass
class ObligationPeriod:
    """One period of one obligation for one unit: ``status`` met / pending / missed."""

    obligation: Obligation
    unit: Unit
    period: Period
    status: str
    record: ObligationRecord | None


def obligation_status(period: Period, record, today: datetime.date) -> str:
    if record is not None:
        return "met"
    return "pending" if period.end >= today else "missed"


def obligation_periods_for(
    *,
    units: list[Unit] | None = None,
    obligations: list[Obligation] | None = None,
    today: datetime.date | None = None,
    campaign: Campaign | None = None,
) -> list[ObligationPeriod]:
    """Every (obligation, unit, period) of ``campaign`` (default: the current one, see
    :func:`~campaigns.plan.selectors.campaign_current`) from its start to ``today`` (at most
    its end) with its status. Two queries for the records; the periods are computed."""
    today = today or today_local()
    campaign = campaign or campaign_current(today)
    if campaign is None:
        return []
    start = campaign.starts_on
    end = min(today, campaign.ends_on)
    obligations = (
        [o for o in obligations if o.campaign_id == campaign.pk]
        if obligations is not None
        else list(Obligation.objects.filter(campaign=campaign).select_related("task"))
    )
    high_risk_departments = set(
        Sector.objects.filter(high_risk=True).values_list("lead_departments", flat=True)
    )
    records = {}
    for r in ObligationRecord.objects.filter(obligation__in=[o.pk for o in obligations]):
        records[(r.obligation_id, r.township_id, r.department_id, r.period)] = r
    rows = []
    wanted = None if units is None else {(type(u), u.pk) for u in units}
    for obligation in obligations:
        for unit in obligation_units(obligation):
            if wanted is not None and (type(unit), unit.pk) not in wanted:
                continue
            high_risk = isinstance(unit, Department) and unit.pk in high_risk_departments
            tw = unit.pk if isinstance(unit, Township) else None
            dp = unit.pk if isinstance(unit, Department) else None
            for period in obligation_periods(obligation, start, end, high_risk=high_risk):
                record = records.get((obligation.pk, tw, dp, period.key))
                rows.append(
                    ObligationPeriod(
                        obligation, unit, period, obligation_status(period, record, today), record
                    )
                )
    return rows


# --- progress reports not submitted ------------------------------------------------------------


@dataclass(frozen=True)
class NotSubmitted:
    """One progress report owed and not sent: ``unit`` (a Township or a Department) has no
    report on ``task`` for ``period``; ``due_on`` is the period end + REPORT_GRACE_DAYS
    (Asia/Shanghai date), overdue once it is before today."""

    task: Task
    unit: Unit
    period: Period
    due_on: datetime.date

    @property
    def unit_kind(self) -> str:
        """``"t"`` for a township, ``"d"`` for a department (the reminder item key's letter)."""
        return "t" if isinstance(self.unit, Township) else "d"


def progress_not_submitted(
    period: Period | Iterable[Period],
    task: Task | None = None,
    campaign: Campaign | None = None,
) -> list[NotSubmitted]:
    """Who owes a progress report for ``period`` (one or several periods) and has not sent it
    — the one selector behind the not-submitted lists (task page, sub-plan board, API, Excel)
    **and** the ``progress`` reminders, so both always name the same units.

    A task is owed for the periods of its reporting cadence only (:func:`task_frequency`: a
    quarterly task has nothing due for "2026-11"), by every township and by its lead and
    participating departments (:func:`unit_answers_for_task`). ``task``: that task only; else
    the tasks of ``campaign`` (default: :func:`campaign_current`). Rows ordered by task number, period, townships then departments (plan order). Not
    scoped: a caller showing them to a user filters with :func:`not_submitted_visible`. Four
    queries whatever the number of periods."""
    periods = [period] if isinstance(period, Period) else list(period)
    if not periods:
        return []
    tasks_qs = Task.objects.prefetch_related("lead_departments", "participating_departments")
    if task is not None:
        tasks = list(tasks_qs.filter(pk=task.pk))
    else:
        tasks = list(tasks_qs.filter(campaign=campaign or campaign_current()))
    cadence = dict(ReportingCadence.objects.values_list("task_id", "frequency"))
    reported = set(
        ProgressReport.objects.filter(
            period__in={p.key for p in periods}, task__in=[t.pk for t in tasks]
        ).values_list("task_id", "period", "township_id", "department_id")
    )
    townships = list(Township.objects.all())
    grace = datetime.timedelta(days=REPORT_GRACE_DAYS)
    rows = []
    for t in tasks:
        frequency = cadence.get(t.pk, DEFAULT_REPORTING_FREQUENCY)
        departments = sorted(
            {*t.lead_departments.all(), *t.participating_departments.all()},
            key=lambda d: (d.order, d.pk),
        )
        for p in sorted(q for q in periods if q.frequency == frequency):
            for unit in [*townships, *departments]:
                is_township = isinstance(unit, Township)
                key = (
                    t.pk,
                    p.key,
                    unit.pk if is_township else None,
                    None if is_township else unit.pk,
                )
                if key not in reported:
                    rows.append(NotSubmitted(t, unit, p, p.end + grace))
    return rows


def not_submitted_visible(rows: list[NotSubmitted], user) -> list[NotSubmitted]:
    """The rows ``user`` may see — the scope of progress reports (``UnitOwnedQuerySet``): the
    office everything, a township its own rows, department staff their own department's."""
    from campaigns.org.scoping import scope_for

    scope = scope_for(user)
    if scope.everything:
        return rows
    own_department = getattr(user, "department_id", None)
    return [
        r
        for r in rows
        if (r.unit_kind == "t" and r.unit.pk in scope.township_ids)
        or (
            r.unit_kind == "d"
            and r.unit.pk == own_department
            and own_department in scope.department_ids
        )
    ]


def not_submitted_by_unit(rows: list[NotSubmitted]) -> list[dict]:
    """Rows grouped per (unit, period) — the grain of the reminders: ``{"unit", "period",
    "due_on", "tasks": [Task, …]}``, by period, townships then departments."""
    groups: dict[tuple, dict] = {}
    for r in rows:
        g = groups.setdefault(
            (r.unit_kind, r.unit.pk, r.period.key),
            {"unit": r.unit, "period": r.period, "due_on": r.due_on, "tasks": []},
        )
        g["tasks"].append(r.task)
    return sorted(
        groups.values(),
        key=lambda g: (
            g["period"],
            isinstance(g["unit"], Department),
            g["unit"].order,
            g["unit"].pk,
        ),
    )


def not_submitted_periods(
    today: datetime.date | None = None, campaign: Campaign | None = None
) -> list[Period]:
    """The reporting periods a not-submitted list can be asked for: every period of the
    cadences in use (quarterly by default, monthly where the office set it) from the start of
    ``campaign`` (default: :func:`campaign_current`) to the current one, newest first."""
    today = today or today_local()
    campaign = campaign or campaign_current(today)
    if campaign is None:
        return []
    end = min(today, campaign.ends_on)
    frequencies = {DEFAULT_REPORTING_FREQUENCY} | set(
        ReportingCadence.objects.values_list("frequency", flat=True)
    )
    periods = [p for f in frequencies for p in periods_between(campaign.starts_on, end, f)]
    return sorted(periods, key=lambda p: (p.end, p.frequency), reverse=True)


def default_not_submitted_period(
    periods: list[Period], today: datetime.date | None = None
) -> Period | None:
    """The period a not-submitted list opens on: the newest of ``periods`` whose report is
    already due (grace days over), else the newest; None without periods."""
    today = today or today_local()
    due = [p for p in periods if report_due_on(p) < today]
    return due[0] if due else (periods[0] if periods else None)


def pick_period(key: str, periods: list[Period], today: datetime.date | None = None):
    """The period named ``key`` among ``periods`` (a ``?period=`` parameter), the default one
    when ``key`` is empty; ``ValueError`` for a key not in ``periods``."""
    if not key:
        return default_not_submitted_period(periods, today)
    for p in periods:
        if p.key == key:
            return p
    raise ValueError(key)


# --- progress summaries --------------------------------------------------------------------


def current_report_period(task: Task, today: datetime.date | None = None) -> Period:
    return period_containing(today or today_local(), task_frequency(task))


def report_periods(task: Task, today: datetime.date | None = None) -> list[Period]:
    """The task's reporting periods from its campaign's start up to the current one (newest
    first) — the choices of the progress form."""
    today = today or today_local()
    campaign = task.campaign
    start = campaign.starts_on if campaign else today
    end = min(today, campaign.ends_on) if campaign else today
    return list(reversed(periods_between(start, end, task_frequency(task))))


def latest_reports(reports):
    """The newest report per (task, unit) of a ``ProgressReport`` queryset (a window function,
    so it runs on PostgreSQL and on the embedded SQLite alike)."""
    ranked = reports.annotate(
        newest=Window(
            RowNumber(),
            partition_by=[F("task_id"), F("township_id"), F("department_id")],
            order_by=[F("period").desc(), F("pk").desc()],
        )
    )
    return reports.filter(pk__in=ranked.filter(newest=1).values("pk"))


def status_counts(reports) -> dict[str, int]:
    """{status: n} over the latest report per task and unit (one query)."""
    latest = latest_reports(reports).values_list("status", flat=True)
    counts = Counter(latest)
    return {s: counts.get(s, 0) for s in ProgressReport.Status.values}


def action_progress(user, *, campaign: Campaign | None = None) -> list[dict]:
    """For each action of ``campaign`` (default: the current one): status counts of the latest
    visible report per task and unit, and milestones met / overdue (visible records). Used by
    the overview page and the dashboard."""
    today = today_local()
    campaign = campaign or campaign_current(today)
    reports = ProgressReport.objects.visible_to(user).filter(task__campaign=campaign)
    latest_ids = latest_reports(reports).values("pk")
    by_action = (
        ProgressReport.objects.filter(pk__in=latest_ids)
        .values("task__action_id", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, Counter] = {}
    for row in by_action:
        counts.setdefault(row["task__action_id"], Counter())[row["status"]] = row["n"]
    milestones = (
        Milestone.objects.filter(campaign=campaign, task__isnull=False)
        .values("task__action_id")
        .annotate(
            due=Count("pk", filter=Q(due_on__lt=today), distinct=True),
            total=Count("pk", distinct=True),
        )
    )
    due = {row["task__action_id"]: row for row in milestones}
    met = (
        MilestoneRecord.objects.visible_to(user)
        .filter(milestone__campaign=campaign)
        .values("milestone__task__action_id")
        .annotate(n=Count("pk"))
    )
    met_by_action = {row["milestone__task__action_id"]: row["n"] for row in met}
    result = []
    for action in Action.objects.filter(campaign=campaign):
        c = counts.get(action.pk, Counter())
        total = sum(c.values())
        result.append(
            {
                "action": action,
                "counts": {s: c.get(s, 0) for s in ProgressReport.Status.values},
                "reports": total,
                "done_share": round(100 * c.get("done", 0) / total) if total else 0,
                "on_track_share": round(100 * c.get("on_track", 0) / total) if total else 0,
                "at_risk_share": round(100 * c.get("at_risk", 0) / total) if total else 0,
                "milestones_total": due.get(action.pk, {}).get("total", 0),
                "milestones_due": due.get(action.pk, {}).get("due", 0),
                "milestone_records": met_by_action.get(action.pk, 0),
            }
        )
    return result


__all__ = [
    "Frequency",
    "NotSubmitted",
    "ObligationPeriod",
    "Period",
    "action_progress",
    "current_report_period",
    "latest_reports",
    "default_not_submitted_period",
    "milestone_state",
    "not_submitted_by_unit",
    "not_submitted_periods",
    "not_submitted_visible",
    "obligation_frequency",
    "obligation_periods",
    "obligation_periods_for",
    "obligation_units",
    "overdue_milestones",
    "pick_period",
    "progress_not_submitted",
    "report_due_on",
    "report_periods",
    "status_counts",
    "task_frequency",
    "tasks_of_unit",
    "unit_answers_for_task",
    "unit_is_high_risk",
]
