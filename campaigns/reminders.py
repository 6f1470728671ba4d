"""Reminder sources of the campaigns app: plan milestones (时间节点) due soon or missed,
sub-plans (子实施方案) not submitted or returned and not resubmitted, task progress reports
due or missed, and recurring obligations (频次要求) about to be missed.

Registered with :func:`campaigns.notifications.sources.register_source`; other apps add theirs in
their own ``reminders.py`` the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.constants import MILESTONE_OVERDUE_WINDOW_DAYS, REMIND_DAYS_BEFORE
from campaigns.notifications.sources import Kind, Reminder, register_source
from campaigns.org.models import Department, Township
from campaigns.plan.models import Milestone
from campaigns.plan.selectors import campaign_current
from campaigns.progress.models import MilestoneRecord, ReportingCadence
from campaigns.subplans.models import SubPlan, SubPlanEvent


@register_source("milestone")
def milestones_due(today: datetime.date) -> Iterator[Reminder]:
    """Milestones due in 7, 3 or 1 days, due today, or missed within the last 30 days.

    Recipients: the lead departments of the milestone's task that have not recorded it as met
    (MilestoneRecord); campaign-wide milestones (no task) go to the safety office (县安委会办公室).
    Missed ones are listed for :data:`MILESTONE_OVERDUE_WINDOW_DAYS` days (escalating on the
    way); after that the dashboard and the task page keep showing them as overdue.
    """
    before = {today + datetime.timedelta(days=n) for n in REMIND_DAYS_BEFORE}
    oldest = today - datetime.timedelta(days=MILESTONE_OVERDUE_WINDOW_DAYS)
    office_id = (
        Department.objects.filter(code=Department.SAFETY_OFFICE_CODE)
        .values_list("pk", flat=True)
        .first()
    )
    milestones = Milestone.objects.filter(due_on__in=before | {today}) | Milestone.objects.filter(
        due_on__gte=oldest, due_on__lt=today
    )
    milestones = milestones.select_related("task").prefetch_related("task__lead_departments")
    met = set(
        MilestoneRecord.objects.filter(
            milestone__in=milestones, department__isnull=False
        ).values_list("milestone_id", "department_id")
    )
    for m in milestones.order_by("due_on", "code"):
        if m.task_id:
            departments = tuple(
                d.pk for d in m.task.lead_departments.all() if (m.pk, d.pk) not in met
            )
            if not departments:
                continue
            url = m.task.get_absolute_url()
            what = _("Task %(number)s milestone “%(title)s”") % {
                "number": m.task.number,
                "title": m.title,
            }
        else:
            departments = (office_id,) if office_id else ()
            url = reverse("campaigns:overview")
            what = _("Campaign milestone “%(title)s”") % {"title": m.title}
        days = (m.due_on - today).days
        if days > 0:
            kind = Kind.DUE_SOON
            text = _("%(what)s is due in %(days)s days (%(due)s)") % {
                "what": what,
                "days": days,
                "due": f"{m.due_on:%Y-%m-%d}",
            }
        elif days == 0:
            kind = Kind.DUE_TODAY
            text = _("%(what)s is due today (%(due)s)") % {
                "what": what,
                "due": f"{m.due_on:%Y-%m-%d}",
            }
        else:
            kind = Kind.OVERDUE
            text = _("%(what)s is %(days)s days overdue (due %(due)s)") % {
                "what": what,
                "days": -days,
                "due": f"{m.due_on:%Y-%m-%d}",
            }
        yield Reminder(
            item_key=f"milestone:{m.code}",
            kind=kind,
            text=text[:500],
            url=url,
            due_on=m.due_on,
            days_overdue=max(0, -days),
            departments=departments,
        )


@register_source("subplan")
def subplans_missing(today: datetime.date) -> Iterator[Reminder]:
    """Townships and lead departments whose campaign sub-plan was never submitted (days overdue
    counted from the due date, 2024-03-15), or was returned for revision and not resubmitted
    (counted from the return). Four queries."""
    from campaigns.subplans.services import subplan_due_on

    campaign = campaign_current(today)
    if campaign is None or today > campaign.ends_on:
        return
    due = subplan_due_on(campaign)
    plans = SubPlan.objects.filter(campaign=campaign, sector__isnull=True)
    submitted = {(p.township_id, p.department_id): p for p in plans}
    returned_at = dict(
        SubPlanEvent.objects.filter(
            sub_plan__in=plans.filter(status=SubPlan.Status.RETURNED),
            to_status=SubPlan.Status.RETURNED,
        )
        .order_by()
        .values("sub_plan_id")
        .annotate(last=models.Max("at"))
        .values_list("sub_plan_id", "last")
    )
    units = [(t, (t.pk, None)) for t in Township.objects.all()]
    units += [(d, (None, d.pk)) for d in Department.objects.filter(is_lead=True)]
    url = reverse("campaigns:subplans")
    for unit, key in units:
        plan = submitted.get(key)
        unit_ids = {"townships": (key[0],)} if key[0] else {"departments": (key[1],)}
        if plan is None or plan.first_submitted_on is None:
            days = (today - due).days
            if days < -7:
                continue
            text = _("%(unit)s has not submitted its sub-plan (due %(due)s)") % {
                "unit": unit,
                "due": f"{due:%Y-%m-%d}",
            }
            yield Reminder(
                item_key=f"subplan:{key[0] or ''}:{key[1] or ''}:missing",
                kind=Kind.MISSING if days > 0 else Kind.DUE_SOON,
                text=text,
                url=url,
                due_on=due,
                days_overdue=max(0, days),
                **unit_ids,
            )
        elif plan.pk in returned_at:
            returned_on = timezone.localdate(returned_at[plan.pk])
            text = _(
                "%(unit)s: the sub-plan was returned for revision on %(on)s and has not "
                "been resubmitted"
            ) % {"unit": unit, "on": f"{returned_on:%Y-%m-%d}"}
            yield Reminder(
                item_key=f"subplan:{plan.pk}:returned",
                kind=Kind.MISSING,
                text=text,
                url=plan.get_absolute_url(),
                days_overdue=max(0, (today - returned_on).days),
                **unit_ids,
            )


@register_source("progress")
def progress_reports_due(today: datetime.date) -> Iterator[Reminder]:
    """One reminder per unit and reporting period: how many of its tasks' progress reports for
    that period are still missing, when the report is due in 7/3/1 days or today, or was missed
    within the last :data:`MILESTONE_OVERDUE_WINDOW_DAYS` days (due = period end + grace days;
    cadence per task set by the office, default quarterly).

    Who is missing comes from :func:`campaigns.progress.selectors.progress_not_submitted`, the
    selector of the not-submitted lists (task page, sub-plan board, API), so a reminder names
    exactly the units those lists show for the same period; its link opens the board's list
    for the period. Five queries."""
    from collections import Counter

    from campaigns.constants import DEFAULT_REPORTING_FREQUENCY, REPORT_GRACE_DAYS
    from campaigns.progress.selectors import progress_not_submitted
    from yixian_safety.periods import periods_between

    campaign = campaign_current(today)
    if campaign is None:
        return
    frequencies = {DEFAULT_REPORTING_FREQUENCY} | set(
        ReportingCadence.objects.values_list("frequency", flat=True)
    )
    grace = datetime.timedelta(days=REPORT_GRACE_DAYS)
    window_start = today - grace - datetime.timedelta(days=MILESTONE_OVERDUE_WINDOW_DAYS + 31)
    soon = {today + datetime.timedelta(days=n) for n in REMIND_DAYS_BEFORE} | {today}
    # the periods whose report is due soon or was recently missed, of every cadence in use
    due_periods = [
        p
        for frequency in sorted(frequencies)
        for p in periods_between(
            max(window_start, campaign.starts_on),
            min(today + datetime.timedelta(days=7), campaign.ends_on),
            frequency,
        )
        if (
            p.end + grace in soon
            or 0 < (today - p.end - grace).days <= MILESTONE_OVERDUE_WINDOW_DAYS
        )
    ]
    missing: Counter = Counter()
    due_on = {}
    for row in progress_not_submitted(due_periods, campaign=campaign):
        missing[(row.unit_kind, row.unit.pk, row.period.key)] += 1
        due_on[row.period.key] = row.due_on
    board = reverse("campaigns:subplans")
    for (kind, pk, period), n in sorted(missing.items()):
        due = due_on[period]
        days = (due - today).days
        text = _("%(n)s task progress reports for %(period)s not submitted (due %(due)s)") % {
            "n": n,
            "period": period,
            "due": f"{due:%Y-%m-%d}",
        }
        unit = {"townships": (pk,)} if kind == "t" else {"departments": (pk,)}
        yield Reminder(
            item_key=f"progress:{kind}{pk}:{period}",
            kind=Kind.DUE_SOON if days > 0 else Kind.DUE_TODAY if days == 0 else Kind.OVERDUE,
            text=text,
            url=f"{board}?period={period}#not-submitted",
            due_on=due,
            days_overdue=max(0, -days),
            **unit,
        )


@register_source("obligation")
def obligation_periods_ending(today: datetime.date) -> Iterator[Reminder]:
    """Recurring obligations (task 3 principal-led inspections, task 22 drills, task 29 warning
    film …) whose current period ends in 7/3/1 days or today with nothing recorded for the
    unit — the last chance before the period counts as missed. Two queries."""
    from campaigns.progress.selectors import obligation_periods_for

    soon = {today + datetime.timedelta(days=n) for n in REMIND_DAYS_BEFORE} | {today}
    url = reverse("campaigns:obligations")
    for row in obligation_periods_for(today=today):
        if row.status != "pending" or row.period.end not in soon:
            continue
        days = (row.period.end - today).days
        text = _("“%(title)s” for %(period)s is not recorded yet; the period ends %(end)s") % {
            "title": row.obligation.title,
            "period": row.period.key,
            "end": f"{row.period.end:%Y-%m-%d}",
        }
        unit = (
            {"townships": (row.unit.pk,)}
            if isinstance(row.unit, Township)
            else {"departments": (row.unit.pk,)}
        )
        yield Reminder(
            item_key=f"obligation:{row.obligation.code}:{row.period.key}:"
            f"{'t' if isinstance(row.unit, Township) else 'd'}{row.unit.pk}",
            kind=Kind.DUE_SOON if days > 0 else Kind.DUE_TODAY,
            text=text[:500],
            url=url,
            due_on=row.period.end,
            **unit,
        )
