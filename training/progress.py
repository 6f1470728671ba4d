"""Computed progress of tasks 3 and 22 from the training records (registered with
:mod:`campaigns.progress.registry`), and the state of task 3's yearly training-focus
milestones (met when every enterprise of the year's focus groups is trained).

Figures are for one campaign year: the reporting period's year, or this year (the campaign's
last after it). They read through ``visible_to(scope.viewer)`` (a township official: its
enterprises; the office: the county), narrowed to the scope's unit (a township: its
enterprises; a department: those in a sector it leads — :func:`training.selectors.of_unit`);
each links to the page listing the enterprises behind it, with the same unit.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.progress.registry import (
    FigureScope,
    TaskFigure,
    register_milestone_state,
    register_task_figures,
)

from . import selectors
from .constants import CAMPAIGN_YEARS

SOURCE = gettext_lazy("the training records")


def _year(scope: FigureScope) -> int:
    year = scope.period.end.year if scope.period else scope.today.year
    return min(max(year, CAMPAIGN_YEARS[0]), CAMPAIGN_YEARS[-1])


def _url(name: str, *args, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name, args=args) + ("?" + urlencode(params) if params else "")


def _unit(scope: FigureScope) -> dict:
    """The scope's unit as selector arguments (``township=`` / ``department=``)."""
    return {"township": scope.township, "department": scope.department}


def _unit_params(scope: FigureScope) -> dict:
    """The scope's unit as list parameters (codes), for the links to the rows."""
    return {
        "township": scope.township.code if scope.township else None,
        "department": scope.department.code if scope.department else None,
    }


def _duty(scope: FigureScope, duty, label: str) -> list[TaskFigure]:
    year = _year(scope)
    f = selectors.duty_compliance(
        scope.viewer, duty, year=year, today=scope.today, breakdown=False, **_unit(scope)
    )["total"]
    if not f.started:
        return []
    rows = "training:compliance_rows"
    unit = _unit_params(scope)
    return [
        TaskFigure(
            _("%(duty)s %(year)s: periods met") % {"duty": label, "year": year},
            f"{f.met} / {f.started}" + (f"（{f.rate}%）" if f.rate is not None else ""),
            _url(rows, duty.code, year=year, status="met", **unit)
            if scope.unit is not None
            else _url("training:compliance", duty.code, year=year),
        ),
        TaskFigure(
            _("%(duty)s %(year)s: periods missed") % {"duty": label, "year": year},
            f.missed,
            _url(rows, duty.code, year=year, status="missed", **unit),
        ),
    ]


def task3_figures(scope: FigureScope) -> list[TaskFigure]:
    """Task 3: this year's focus groups trained (of enterprises in them), and the
    principal-led inspection duty (每季度, 高危每月) periods met / missed."""
    year = _year(scope)
    figures = []
    unit = _unit_params(scope)
    for cov in selectors.focus_coverage(scope.viewer, year=year, today=scope.today, **_unit(scope)):
        if not cov.total:
            continue
        figures.append(
            TaskFigure(
                _("%(year)s focus “%(group)s”: enterprises trained")
                % {"year": year, "group": cov.label},
                f"{cov.trained} / {cov.total}（{cov.rate}%）",
                _url(
                    "training:coverage",
                    year=year,
                    audience=cov.audience,
                    trained="false",
                    **unit,
                ),
            )
        )
    return figures + _duty(scope, selectors.INSPECTION_DUTY, _("principal-led inspections"))


def task22_figures(scope: FigureScope) -> list[TaskFigure]:
    """Task 22: evacuation drill duty (每年, 高危每半年) periods met / missed, and the
    high-risk enterprises with a rescue team (应急救援队伍)."""
    figures = _duty(scope, selectors.DRILL_DUTY, _("evacuation drills"))
    teams = selectors.of_unit(selectors.rescue_coverage(scope.viewer), **_unit(scope))
    teams = teams.order_by()
    total = teams.count()
    if total:
        with_team = teams.filter(has_team=True).count()
        figures.append(
            TaskFigure(
                _("high-risk enterprises with a rescue team"),
                f"{with_team} / {total}",
                _url("training:rescue_list", has_team="false", **_unit_params(scope)),
            )
        )
    return figures


def focus_milestone_met(milestone, today) -> bool | None:
    """A task-3 training-focus milestone (``t3-training-focus-<year>``): every enterprise of
    that year's focus groups trained by its year end (county-wide); None with no enterprise in
    the groups."""
    return selectors.focus_year_met(milestone.due_on.year, today)


register_task_figures(3, task3_figures, key="training.task3", source=SOURCE, order=10)
register_task_figures(22, task22_figures, key="training.task22", source=SOURCE, order=10)
register_milestone_state(
    focus_milestone_met,
    kind="training_focus",
    source=SOURCE,
    url=lambda m: _url("training:coverage", year=m.due_on.year, trained="false"),
)
