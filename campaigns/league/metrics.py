"""The hub's league metrics: sub-plan on time, progress reports on time, milestones met."""

from __future__ import annotations

import datetime
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
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from campaigns.constants import DEFAULT_REPORTING_FREQUENCY, REPORT_GRACE_DAYS, Frequency
from campaigns.league.registry import Metric, register_metric
from campaigns.league.selectors import TOWNSHIPS, unit_field
from campaigns.plan.models import Milestone, Task
from campaigns.plan.selectors import campaign_current, campaign_current_id
from campaigns.progress.models import MilestoneRecord, ProgressReport
from campaigns.subplans.models import SubPlan
from yixian_safety.db import SubqueryCount
from yixian_safety.periods import closed_periods_count


def subplan_on_time(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Campaign sub-plan: 1 submitted by the due date, ½ submitted late, 0 not submitted."""
    points = (
        SubPlan.objects.filter(
            **{unit_field(kind): OuterRef("pk")},
            sector__isnull=True,
            campaign=campaign_current_id(today),
        )
        .annotate(
            points=Case(
                When(first_submitted_on__isnull=True, then=Value(0.0)),
                When(first_submitted_on__lte=F("due_on"), then=Value(1.0)),
                default=Value(0.5),
                output_field=FloatField(),
            )
        )
        .values("points")[:1]
    )
    return qs.annotate(
        subplan_on_time_num=Coalesce(Subquery(points), Value(0.0)), subplan_on_time_den=Value(1.0)
    )


def _expected_reports(kind: str, today: datetime.date, campaign, campaign_start):
    months = closed_periods_count(campaign_start, today, Frequency.MONTHLY, REPORT_GRACE_DAYS)
    quarters = closed_periods_count(campaign_start, today, Frequency.QUARTERLY, REPORT_GRACE_DAYS)
    monthly_q = Q(cadence__frequency=Frequency.MONTHLY)
    if DEFAULT_REPORTING_FREQUENCY == Frequency.MONTHLY:  # pragma: no cover - constant
        monthly_q |= Q(cadence__isnull=True)
    if kind == TOWNSHIPS:
        n_monthly = Task.objects.filter(monthly_q, campaign=campaign).count()
        n_all = Task.objects.filter(campaign=campaign).count()
        return Value(n_monthly * months + (n_all - n_monthly) * quarters)
    tasks = Task.objects.filter(
        Q(lead_departments=OuterRef("pk")) | Q(participating_departments=OuterRef("pk")),
        campaign=campaign,
    ).distinct()
    n_all = SubqueryCount(tasks.values("pk"))
    n_monthly = SubqueryCount(tasks.filter(monthly_q).values("pk"))
    return n_monthly * Value(months) + (n_all - n_monthly) * Value(quarters)


def reports_on_time(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Progress reports submitted on time (≤ period end + grace) for periods already due,
    over the reports owed for those periods (tasks × closed periods, by each task's cadence)."""
    campaign = campaign_current(today)  # one query, as the campaign start always cost
    start = campaign.starts_on if campaign else today
    on_time = ProgressReport.objects.filter(
        **{unit_field(kind): OuterRef("pk")},
        due_on__lt=today,
        submitted_on__lte=F("due_on"),
        task__campaign=campaign,
    )
    return qs.annotate(
        reports_on_time_num=SubqueryCount(on_time.values("pk")),
        reports_on_time_den=_expected_reports(kind, today, campaign, start),
    )


def milestones_met(qs: QuerySet, kind: str, today: datetime.date) -> QuerySet:
    """Milestones due before today that the unit marked met, over its milestones due."""
    campaign = campaign_current_id(today)
    met = MilestoneRecord.objects.filter(
        **{unit_field(kind): OuterRef("pk")},
        milestone__due_on__lt=today,
        milestone__campaign=campaign,
    )
    if kind == TOWNSHIPS:
        due = Value(
            Milestone.objects.filter(
                campaign=campaign, task__isnull=False, due_on__lt=today
            ).count()
        )
    else:
        due = SubqueryCount(
            Milestone.objects.filter(
                Q(task__lead_departments=OuterRef("pk"))
                | Q(task__participating_departments=OuterRef("pk")),
                campaign=campaign,
                due_on__lt=today,
            )
            .distinct()
            .values("pk")
        )
    return qs.annotate(milestones_met_num=SubqueryCount(met.values("pk")), milestones_met_den=due)


register_metric(
    Metric(
        "subplan_on_time",
        _("Sub-plan on time"),
        _(
            "1 if the campaign sub-plan was submitted by the due date, 0.5 if late, 0 if not "
            "submitted."
        ),
        Decimal("20"),
        subplan_on_time,
        order=10,
    )
)
register_metric(
    Metric(
        "reports_on_time",
        _("Progress reports on time"),
        _(
            "Reports submitted within the period plus the grace days, over the reports owed "
            "for periods already due."
        ),
        Decimal("30"),
        reports_on_time,
        order=20,
    )
)
register_metric(
    Metric(
        "milestones_met",
        _("Milestones met"),
        _("Milestones due before today marked met, over the milestones due."),
        Decimal("30"),
        milestones_met,
        order=30,
    )
)
