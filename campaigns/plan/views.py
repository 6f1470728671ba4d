"""Pages of the campaign plan: overview (phases, actions, tasks, progress), action and task
pages with progress across units."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from campaigns.org.models import Township
from campaigns.org.permissions import acting_unit
from campaigns.org.scoping import scope_for
from campaigns.plan.models import Action, Task
from campaigns.plan.selectors import campaign_for_request, campaign_overview
from campaigns.progress.forms import CadenceForm
from campaigns.progress.models import MilestoneRecord, ProgressReport, ReportingCadence
from campaigns.progress.permissions import (
    can_record_milestone,
    can_report_progress,
    can_set_cadence,
)
from campaigns.progress.registry import (
    milestone_computed_state,
    report_unit_figures,
    task_figures,
)
from campaigns.progress.selectors import (
    action_progress,
    latest_reports,
    not_submitted_visible,
    pick_period,
    progress_not_submitted,
    report_periods,
    task_frequency,
    unit_answers_for_task,
)
from yixian_safety.dates import today_local


@login_required
def overview(request):
    """Campaign overview of the chosen campaign (``?campaign=``, default the current one): its
    phases on a timeline with today's marked and the current phase's requirements, its
    actions with their progress (latest report per task and unit the user may see) and
    tasks, milestones due in the next 90 days; an ended campaign says so (archive)."""
    campaign = campaign_for_request(request)
    progress = {p["action"].pk: p for p in action_progress(request.user, campaign=campaign)}
    ov = campaign_overview(campaign=campaign)
    return render(
        request,
        "campaigns/overview.html",
        {
            "overview": ov,
            "progress": progress,
            "everything": scope_for(request.user).everything,
            "actions": [(a, progress.get(a.pk)) for a in ov.actions],
        },
    )


@login_required
def action_detail(request, number: int):
    """One action of the chosen campaign (1…8 in the 2024–2026 plan), its tasks and each
    task's progress across the units the user sees."""
    action = get_object_or_404(
        Action.objects.prefetch_related("tasks"),
        campaign=campaign_for_request(request),
        number=number,
    )
    latest = latest_reports(
        ProgressReport.objects.visible_to(request.user).filter(task__action=action)
    ).values("pk")
    rows = (
        ProgressReport.objects.filter(pk__in=latest)
        .values("task_id", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["task_id"], {})[row["status"]] = row["n"]
    met = dict(
        MilestoneRecord.objects.visible_to(request.user)
        .filter(milestone__task__action=action)
        .values("milestone__task_id")
        .annotate(n=Count("pk"))
        .values_list("milestone__task_id", "n")
    )
    tasks = [(t, counts.get(t.pk, {}), met.get(t.pk, 0)) for t in action.tasks.all()]
    return render(
        request,
        "campaigns/action_detail.html",
        {"action": action, "tasks": tasks, "statuses": ProgressReport.Status.choices},
    )


@login_required
def task_detail(request, number: int):
    """One task of the chosen campaign (1…30 in the 2024–2026 plan): full text,
    lead/participating departments, sectors, milestones (met / overdue per unit), recurring
    obligations, the latest progress report of each unit the user may see, and who has not
    reported for a period (``?period=2026-Q3``; default: the newest period already due) — the
    units the reminders name; forms for the user's unit and the office's reporting cadence
    (none once the campaign ended). Beside the reports, the progress computed from the
    platform's records (``campaigns.progress.registry``: the ledger for tasks 14–16, training
    for 3 and 22, enforcement for 15, 26 and 28) for what the user may see, and milestones the
    records can check (task 3's training focus, task 28's expert pool) marked from them; in each
    unit's report row, the same figures computed for that unit and that report's period."""
    task = get_object_or_404(
        Task.objects.with_plan_relations(), campaign=campaign_for_request(request), number=number
    )
    user = request.user
    today = today_local()
    unit = acting_unit(user)
    reports = list(
        latest_reports(ProgressReport.objects.visible_to(user).filter(task=task)).select_related(
            "township", "department", "submitted_by"
        )
    )
    reports.sort(key=lambda r: (r.township_id is None, r.unit.order))
    records = (
        MilestoneRecord.objects.visible_to(user)
        .filter(milestone__task=task)
        .select_related("township", "department")
    )
    by_milestone: dict[int, list] = {}
    for r in records:
        by_milestone.setdefault(r.milestone_id, []).append(r)
    everything = scope_for(user).everything
    n_units = (
        Township.objects.count()
        + task.lead_departments.count()
        + task.participating_departments.count()
    )
    milestones = []
    for m in task.milestones.all():
        recs = by_milestone.get(m.pk, [])
        mine = next((r for r in recs if unit is not None and r.unit == unit), None)
        milestones.append(
            {
                "m": m,
                "records": recs,
                "mine": mine,
                "overdue": m.due_on < today
                and (mine is None if not everything else len(recs) < n_units),
                "missing": max(0, n_units - len(recs)) if everything else None,
                "computed": milestone_computed_state(m, today),
            }
        )
    answers = unit is not None and unit_answers_for_task(unit, task)
    open_ = not task.campaign.ended_on(today)
    cadence = ReportingCadence.objects.filter(task=task).first()
    periods = report_periods(task, today)
    try:
        period = pick_period(request.GET.get("period", ""), periods, today)
    except ValueError:
        messages.error(
            request,
            _("Reporting period “%(key)s” is not one of this task's periods; showing %(shown)s.")
            % {"key": request.GET["period"][:20], "shown": periods[0].key if periods else "—"},
        )
        period = pick_period("", periods, today)
    not_submitted = (
        not_submitted_visible(progress_not_submitted(period, task), user) if period else []
    )
    unit_figures = report_unit_figures(task, reports, viewer=user, today=today)
    return render(
        request,
        "campaigns/task_detail.html",
        {
            "task": task,
            "reports": [(r, unit_figures.get(r.pk, [])) for r in reports],
            "has_unit_figures": any(unit_figures.values()),
            "milestones": milestones,
            "today": today,
            "frequency_label": dict(ReportingCadence._meta.get_field("frequency").choices).get(
                task_frequency(task)
            ),
            "cadence": cadence,
            "can_report": answers and open_ and can_report_progress(user),
            "can_mark": answers and open_ and can_record_milestone(user),
            "cadence_form": CadenceForm(initial={"frequency": task_frequency(task)})
            if open_ and can_set_cadence(user)
            else None,
            "everything": everything,
            "n_units": n_units,
            "ns_periods": periods,
            "ns_period": period,
            "not_submitted": not_submitted,
            "figure_groups": task_figures(
                task.number, viewer=user, today=today, campaign_slug=task.campaign.slug
            ),
            "figures_period": None,
        },
    )
