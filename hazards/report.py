"""The ledger's section of the quarterly and final reports (registry:
:mod:`campaigns.reports.registry`): major hazards by township and by sector — new, closed,
closed on time, overdue, open; stock vs increment; the plan's three targets; the year-by-year
found/closed chart of the dashboard (:func:`hazards.dashboard.hazard_targets`).

Figures stand at the report day (``scope.as_of(period)``): for a past day they come from the
change history, exactly as the dashboard's as-of view shows them.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from campaigns.constants import STOCK_CUTOFF
from campaigns.models import Sector, Township
from campaigns.reports.registry import CAMPAIGN, Section, SectionData, register_section, years_of
from yixian_safety.periods import period_from_key

from .dashboard import hazard_rows, hazard_targets
from .models import OPEN_STATUSES, Level, Status, overdue_q

STATE_LABELS = {"met": "已完成", "pending": "未到期", "missed": "未完成"}


def _aggregates(period, as_of) -> dict:
    in_period = Q(found_on__gte=period.start, found_on__lte=as_of)
    closed = Q(status=Status.CLOSED, closed_on__gte=period.start, closed_on__lte=as_of)
    return {
        "new": Count("pk", filter=in_period),
        "closed": Count("pk", filter=closed),
        "closed_on_time": Count("pk", filter=closed & Q(closed_on__lte=F("deadline"))),
        "overdue": Count("pk", filter=overdue_q(as_of, deadline="deadline")),
        "open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    }


def _row(label, f) -> list:
    return [label, f["new"], f["closed"], f["closed_on_time"], f["overdue"], f["open"]]


HEADERS = ["本期新增", "本期整改销号", "其中按期销号", "逾期未整改", "尚未销号"]


def hazards_section(period, scope) -> SectionData:
    """Major hazards of the ledger for ``period`` and ``scope`` (see the module docstring)."""
    today = scope.build_day()
    as_of = scope.as_of(period)
    rows = hazard_rows(scope.viewer, as_of=as_of, today=today).filter(level=Level.MAJOR)
    aggregates = _aggregates(period, as_of)
    total = rows.aggregate(**aggregates, all=Count("pk"))
    if not total["all"]:
        return SectionData(empty=True, note="本范围台账中暂无重大事故隐患。")
    by_township = {
        r["township"]: r
        for r in rows.values("township").annotate(**aggregates).order_by("township")
    }
    by_sector = {
        r["sector"]: r for r in rows.values("sector").annotate(**aggregates).order_by("sector")
    }
    zero = dict.fromkeys(aggregates, 0)
    township_rows = [
        _row(t.name, by_township.get(t.pk, zero))
        for t in Township.objects.all()
        if scope.is_county or t.pk in by_township
    ]
    sector_rows = [_row(s.name, by_sector[s.pk]) for s in Sector.objects.all() if s.pk in by_sector]
    stock = rows.filter(found_on__lte=STOCK_CUTOFF).aggregate(**aggregates)
    increment = rows.filter(found_on__gt=STOCK_CUTOFF).aggregate(**aggregates)
    tables = [
        ("按乡镇", ["乡镇", *HEADERS], township_rows + [_row("合计", total)]),
        ("按行业领域", ["行业领域", *HEADERS], sector_rows),
        (
            "存量与增量",
            ["类别", *HEADERS],
            [_row("存量（2023 年底前发现）", stock), _row("增量（2024 年起发现）", increment)],
        ),
    ]
    if period.frequency == CAMPAIGN:  # the final report: the campaign year by year
        year_rows = []
        for year in years_of(period):
            year_period = period_from_key(str(year))
            year_end = min(year_period.end, as_of)
            year_rows.append(
                _row(
                    f"{year} 年",
                    hazard_rows(scope.viewer, as_of=year_end, today=today)
                    .filter(level=Level.MAJOR)
                    .aggregate(**_aggregates(year_period, year_end)),
                )
            )
        tables.insert(0, ("按年度（各年末状态）", ["年度", *HEADERS], year_rows))
    targets = hazard_targets(scope.viewer, as_of=as_of, today=today)
    target_rows = []
    for target in targets.targets:
        for figure in target.figures:
            target_rows.append(
                [
                    target.title,
                    target.deadline,
                    STATE_LABELS.get(target.state, target.state),
                    figure.label,
                    figure.value,
                ]
            )
    tables.insert(0, ("三项目标", ["目标", "期限", "状态", "指标", "数值"], target_rows))
    chart = targets.chart
    return SectionData(
        figures=[
            ("本期新增重大事故隐患", total["new"]),
            ("本期整改销号", total["closed"]),
            ("其中按期销号", total["closed_on_time"]),
            ("逾期未整改", total["overdue"]),
            ("尚未销号", total["open"]),
        ],
        tables=tables,
        charts=[
            {
                "title": "重大事故隐患发现与整改销号（按年）",
                "labels": chart["years"],
                "series": [
                    {"name": "发现", "values": chart["found"]},
                    {"name": "销号", "values": chart["closed"]},
                ],
            }
        ],
        note=f"统计期间 {period.start:%Y-%m-%d} 至 {as_of:%Y-%m-%d}；“逾期”“尚未销号”为截至 "
        f"{as_of:%Y-%m-%d} 的状态。",
    )


register_section(Section("hazards", _("Major accident hazards"), 30, hazards_section))
