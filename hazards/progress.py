"""Computed progress of tasks 14–16 from the major accident hazard ledger (registered with
:mod:`campaigns.progress.registry`): major hazards found by channel (企业自查上报 / 督导检查发现 /
群众举报查实), closed (销号), still open, overdue, and the statistics by township and sector
(task 15's 统计分析机制). Every figure links to the ledger filtered to exactly its rows.

Counted: major hazards of the ledger (merged reports counted on their hazard, by the channel
of any of its reports — as the ledger's ``source`` filter), visible to the viewer; narrowed to
the unit of a progress form (a township: its hazards; a department: the hazards it follows)
and, for a reporting period, found (or closed) within it. One aggregate query per builder.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.progress.registry import FigureScope, TaskFigure, register_task_figures

from .filters import HazardFilter
from .models import OPEN_STATUSES, Hazard, Level, Source, Status, overdue_q, source_q
from .selectors import ledger_url

SOURCE = gettext_lazy("the hazard ledger")


def _scoped(scope: FigureScope):
    """Major ledger hazards the viewer sees, narrowed to the scope's unit (the ledger's own
    ``department`` filter: supervised by it or in a sector it leads)."""
    qs = Hazard.objects.visible_to(scope.viewer).ledger().filter(level=Level.MAJOR)
    if scope.township is not None:
        qs = qs.filter(township=scope.township)
    elif scope.department is not None:
        qs = HazardFilter().filter_department(qs, "department", scope.department)
    return qs


def _params(scope: FigureScope, **extra) -> dict:
    params = {"level": Level.MAJOR, **extra}
    if scope.township is not None:
        params["township"] = scope.township.code
    elif scope.department is not None:
        params["department"] = scope.department.code
    return params


def _found(scope: FigureScope) -> tuple[Q, dict]:
    """Found within the scope (the period, or up to today)."""
    q = Q(found_on__lte=scope.end)
    params = {"found_before": scope.end.isoformat()}
    if scope.start:
        q &= Q(found_on__gte=scope.start)
        params["found_after"] = scope.start.isoformat()
    return q, params


def _closed(scope: FigureScope) -> tuple[Q, dict]:
    q = Q(status=Status.CLOSED, closed_at__date__lte=scope.end)
    params = {"status": Status.CLOSED, "closed_before": scope.end.isoformat()}
    if scope.start:
        q &= Q(closed_at__date__gte=scope.start)
        params["closed_after"] = scope.start.isoformat()
    return q, params


CHANNELS = (Source.SELF_REPORT, Source.INSPECTION, Source.TIP_OFF)


def found_by_channel(scope: FigureScope) -> list[TaskFigure]:
    """Tasks 14 and 16: major hazards found, in total and per channel (a hazard reported
    through two channels counts under both), and closed. One query."""
    found, found_params = _found(scope)
    closed, closed_params = _closed(scope)
    aggregates = {"found": Count("pk", filter=found), "closed": Count("pk", filter=closed)}
    for s in CHANNELS:
        aggregates[s] = Count("pk", filter=found & source_q(s))
    n = _scoped(scope).aggregate(**aggregates)
    figures = [
        TaskFigure(
            _("major hazards found"), n["found"], ledger_url(**_params(scope, **found_params))
        )
    ]
    for s in CHANNELS:
        figures.append(
            TaskFigure(
                _("found: %(channel)s") % {"channel": Source(s).label},
                n[s],
                ledger_url(**_params(scope, source=s, **found_params)),
            )
        )
    figures.append(
        TaskFigure(
            _("major hazards closed (销号)"),
            n["closed"],
            ledger_url(**_params(scope, **closed_params)),
        )
    )
    return figures


def supervision_figures(scope: FigureScope) -> list[TaskFigure]:
    """Task 15: closed (销号 after the department's review), open, overdue today, and the
    statistics by township and sector in use (the count they cover). One query."""
    closed, closed_params = _closed(scope)
    n = _scoped(scope).aggregate(
        closed=Count("pk", filter=closed),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_q(scope.today)),
        total=Count("pk"),
    )
    return [
        TaskFigure(
            _("major hazards closed (销号)"),
            n["closed"],
            ledger_url(**_params(scope, **closed_params)),
        ),
        TaskFigure(_("major hazards open"), n["open"], ledger_url(**_params(scope, open="true"))),
        TaskFigure(
            _("open and overdue today"),
            n["overdue"],
            ledger_url(**_params(scope, open="true", overdue="true")),
        ),
        TaskFigure(
            _("statistics by township and sector: major hazards counted"),
            n["total"],
            reverse("hazards:statistics") + "?level=major",
        ),
    ]


register_task_figures(14, found_by_channel, key="hazards.channels", source=SOURCE, order=10)
register_task_figures(15, supervision_figures, key="hazards.supervision", source=SOURCE, order=10)
register_task_figures(16, found_by_channel, key="hazards.database", source=SOURCE, order=10)
