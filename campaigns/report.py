"""The hub's sections of the quarterly and final reports (see :mod:`campaigns.reports.registry`):
the plan's targets and their deadlines, progress of the 8 actions and 30 tasks, sub-plans and the
league table. Every figure is read through ``visible_to(scope.viewer)``, the way the pages read
them for a user of that unit.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Min
from django.utils.translation import gettext_lazy as _

from campaigns.league.selectors import DEPARTMENTS, TOWNSHIPS, league_table
from campaigns.org.models import Department, Township
from campaigns.plan.models import Action, Milestone, Task
from campaigns.plan.selectors import campaign_for_period
from campaigns.progress.models import MilestoneRecord, ProgressReport
from campaigns.progress.selectors import latest_reports, obligation_periods_for
from campaigns.reports.registry import Section, SectionData, register_section
from campaigns.subplans.selectors import subplan_board

STATE_LABELS = {"met": "已记录完成", "pending": "未到期", "missed": "到期未记录完成"}
REPORT_STATUS_LABELS = {
    "not_started": "未开始",
    "on_track": "按计划推进",
    "at_risk": "有风险",
    "done": "已完成",
}


def _units(scope):
    """The units whose own records the report covers (all for the county)."""
    if scope.kind == "township":
        return list(Township.objects.filter(pk=scope.township_id))
    if scope.kind == "department":
        return list(Department.objects.filter(pk=scope.department_id))
    return None


def targets_section(period, scope) -> SectionData:
    """The plan's campaign targets (目标 milestones) and phase deadlines: due date, first record
    of being met (visible to the scope) and state as of the report day."""
    as_of = scope.as_of(period)
    met = dict(
        MilestoneRecord.objects.visible_to(scope.viewer)
        .filter(met_on__lte=as_of)
        .values("milestone_id")
        .annotate(first=Min("met_on"))
        .values_list("milestone_id", "first")
    )
    rows = []
    counts: Counter = Counter()
    for m in Milestone.objects.filter(
        campaign=campaign_for_period(period.start, period.end),
        kind__in=[Milestone.Kind.TARGET, Milestone.Kind.PHASE_DEADLINE],
    ).order_by("due_on", "code"):
        met_on = met.get(m.pk)
        state = "met" if met_on else ("missed" if m.due_on < as_of else "pending")
        counts[state] += 1
        rows.append([m.title, m.due_on, met_on, STATE_LABELS[state]])
    if not rows:
        return SectionData(empty=True, note="计划尚未载入，暂无目标。")
    return SectionData(
        figures=[("目标与时间节点", len(rows))]
        + [(STATE_LABELS[s], counts[s]) for s in ("met", "pending", "missed")],
        tables=[("目标与阶段时间节点", ["目标 / 节点", "截止日期", "完成日期", "状态"], rows)],
        note=f"状态截至 {as_of:%Y-%m-%d}；重大事故隐患三项目标的数据见“重大事故隐患”一节。",
    )


def progress_section(period, scope) -> SectionData:
    """Progress of the 8 actions and 30 tasks in the period: progress reports submitted (by
    status of the latest per task and unit), milestones met, obligations met / missed."""
    as_of = scope.as_of(period)
    campaign = campaign_for_period(period.start, period.end)
    reports = ProgressReport.objects.visible_to(scope.viewer).filter(
        task__campaign=campaign, submitted_on__gte=period.start, submitted_on__lte=as_of
    )
    submitted = dict(reports.values("task_id").annotate(n=Count("pk")).values_list("task_id", "n"))
    latest = Counter()
    for task_id, status in ProgressReport.objects.filter(
        pk__in=latest_reports(reports).values("pk")
    ).values_list("task_id", "status"):
        latest[(task_id, status)] += 1
    milestones = dict(
        Milestone.objects.filter(
            campaign=campaign, task__isnull=False, due_on__gte=period.start, due_on__lte=period.end
        )
        .values("task_id")
        .annotate(n=Count("pk"))
        .values_list("task_id", "n")
    )
    met = dict(
        MilestoneRecord.objects.visible_to(scope.viewer)
        .filter(met_on__gte=period.start, met_on__lte=as_of)
        .values("milestone__task_id")
        .annotate(n=Count("pk"))
        .values_list("milestone__task_id", "n")
    )
    obligations: dict[int, Counter] = {}
    for op in obligation_periods_for(units=_units(scope), today=as_of, campaign=campaign):
        if op.period.end < period.start or op.period.end > period.end:
            continue
        if op.status == "pending" and op.period.end >= as_of:
            continue  # not due yet
        obligations.setdefault(op.obligation.task_id, Counter())[op.status] += 1
    task_rows, action_rows = [], []
    by_action: dict[int, Counter] = {}
    for task in Task.objects.filter(campaign=campaign).select_related("action").order_by("number"):
        statuses = {s: latest.get((task.pk, s), 0) for s in REPORT_STATUS_LABELS}
        ob = obligations.get(task.pk, Counter())
        row_counts = Counter(
            reports=submitted.get(task.pk, 0),
            done=statuses["done"],
            at_risk=statuses["at_risk"],
            milestones=milestones.get(task.pk, 0),
            met=met.get(task.pk, 0),
            ob_met=ob.get("met", 0),
            ob_missed=ob.get("missed", 0),
        )
        by_action.setdefault(task.action_id, Counter()).update(row_counts)
        task_rows.append(
            [
                task.number,
                task.title,
                row_counts["reports"],
                row_counts["done"],
                row_counts["at_risk"],
                row_counts["milestones"],
                row_counts["met"],
                row_counts["ob_met"],
                row_counts["ob_missed"],
            ]
        )
    for action in Action.objects.filter(campaign=campaign).order_by("number"):
        c = by_action.get(action.pk, Counter())
        action_rows.append(
            [
                f"{action.numeral}、{action.title}",
                c["reports"],
                c["done"],
                c["at_risk"],
                c["milestones"],
                c["met"],
                c["ob_met"],
                c["ob_missed"],
            ]
        )
    if not task_rows:
        return SectionData(empty=True, note="计划尚未载入。")
    total = sum((Counter(v) for v in by_action.values()), Counter())
    headers = [
        "进展报告",
        "已完成",
        "有风险",
        "到期节点",
        "节点完成",
        "常态化任务完成",
        "常态化任务逾期",
    ]
    return SectionData(
        figures=[
            ("进展报告", total["reports"]),
            ("时间节点完成", total["met"]),
            ("常态化任务完成", total["ob_met"]),
            ("常态化任务逾期", total["ob_missed"]),
        ],
        tables=[
            ("八大行动", ["行动", *headers], action_rows),
            ("30 项任务", ["任务", "名称", *headers], task_rows),
        ],
        note=f"统计期间 {period.start:%Y-%m-%d} 至 {as_of:%Y-%m-%d}。",
    )


def subplans_section(period, scope) -> SectionData:
    """The sub-plan (子实施方案) of every unit in scope: status, days late, last action."""
    rows = [
        [r.unit.name, r.status_label, r.days_late, r.last_action_label, r.last_action_at]
        for r in subplan_board(
            scope.viewer,
            today=scope.as_of(period),
            campaign=campaign_for_period(period.start, period.end),
        )
    ]
    if not rows:
        return SectionData(empty=True, note="暂无子实施方案。")
    return SectionData(
        tables=[("子实施方案", ["单位", "状态", "逾期天数", "最近操作", "操作时间"], rows)],
        figures=[("单位数", len(rows))],
    )


def league_section(period, scope) -> SectionData:
    """The league table (红黑榜) of townships and of lead departments as of the report day;
    a unit's report shows its own row and rank."""
    as_of = scope.as_of(period)
    tables = []
    for kind, title in ((TOWNSHIPS, "乡镇排名"), (DEPARTMENTS, "部门排名")):
        rows = league_table(kind, today=as_of)
        if not rows:
            continue
        if scope.kind == "township":
            rows = [r for r in rows if kind == TOWNSHIPS and r.unit.pk == scope.township_id]
        elif scope.kind == "department":
            rows = [r for r in rows if kind == DEPARTMENTS and r.unit.pk == scope.department_id]
        if not rows:
            continue
        metrics = [m.metric for m in rows[0].metrics]
        tables.append(
            (
                title,
                ["名次", "单位", "得分", *[str(m.label) for m in metrics]],
                [
                    [
                        r.rank,
                        r.unit.name,
                        r.score,
                        *[
                            round(m.value * 100, 1) if m.available and m.value is not None else None
                            for m in r.metrics
                        ],
                    ]
                    for r in rows
                ],
            )
        )
    if not tables:
        return SectionData(empty=True, note="本范围不参加红黑榜排名。")
    return SectionData(tables=tables, note=f"排名截至 {as_of:%Y-%m-%d}；各项为完成率（%）。")


def outcomes_section(period, scope) -> SectionData:
    """制度成果 adopted in the period by the units in scope (the final report's deliverable of
    the evaluation phase)."""
    from campaigns.reports.models import Outcome

    rows = [
        [o.title, str(o.unit), o.adopted_on, o.fixes]
        for o in Outcome.objects.visible_to(scope.viewer)
        .filter(adopted_on__gte=period.start, adopted_on__lte=scope.as_of(period))
        .select_related("township", "department")
        .order_by("adopted_on", "pk")
    ]
    if not rows:
        return SectionData(empty=True, note="本期未登记制度成果。")
    return SectionData(
        figures=[("制度成果", len(rows))],
        tables=[("制度成果", ["标题", "单位", "出台日期", "解决的问题"], rows)],
    )


register_section(Section("targets", _("Targets and deadlines"), 10, targets_section))
register_section(
    Section("progress", _("Progress of the eight actions and 30 tasks"), 20, progress_section)
)
register_section(Section("subplans", _("Sub-plans"), 60, subplans_section))
register_section(Section("league", _("League table"), 70, league_section))
register_section(Section("outcomes", _("institutional outcomes"), 80, outcomes_section))
