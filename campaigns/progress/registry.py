"""Computed progress: what the platform already knows about a task, shown beside what units
typed into their progress reports ("根据隐患台账计算", with a link to the rows).

The hub does not know the ledger, training or enforcement; the apps register figure builders
for the tasks they answer from their own ``progress.py`` (found by
:func:`campaigns.plugins.discover`), e.g. ``hazards/progress.py``::

    register_task_figures(14, ledger_channels, key="hazards.channels",
                          source=_("the hazard ledger"), order=10)

A builder is ``fn(scope: FigureScope) -> list[TaskFigure]``: each figure a label, a value (a
count, or a short text such as a rate "85.0%") and the site-relative URL of the list holding
exactly the rows counted ("" when there is no such list). It reads through
``visible_to(scope.viewer)``, so a township official sees its township's figures and the office
the county's; ``scope.unit`` narrows further to one unit (the progress form of that unit);
``scope.period`` limits dated figures to the reporting period (None: the campaign so far). A
builder returns ``[]`` when it has nothing to say (an empty group is not shown).

Milestones that are targets the platform can check (task 3's yearly training focus from the
training records, task 28's expert pool) register a state function the same way with
:func:`register_milestone_state`: ``fn(milestone, today) -> bool | None`` (None: not known).
A check whose answer depends on who looks (the dashboard's hazard targets, computed over what the
viewer sees) registers with ``wants_viewer=True`` and is called ``fn(milestone, today,
viewer=user)`` (``viewer`` None: no viewer known, e.g. a background job; it may answer None).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from yixian_safety.periods import Period


class TaskFigure(NamedTuple):
    """One computed figure: ``label`` (UI language), ``value`` (int or short text), ``url``
    of the rows behind it (site-relative; "" if none)."""

    label: str
    value: int | str
    url: str = ""


@dataclass(frozen=True)
class FigureScope:
    """What a builder computes for: ``viewer`` (a User: read through ``visible_to``),
    ``unit`` (a Township or Department, or None for everything the viewer sees), ``period``
    (a reporting period, or None for the campaign so far), ``today`` (Asia/Shanghai date)."""

    viewer: object
    today: datetime.date
    unit: object | None = None
    period: Period | None = None

    @property
    def start(self) -> datetime.date | None:
        """First day counted (the period's), None for no lower bound."""
        return self.period.start if self.period else None

    @property
    def end(self) -> datetime.date:
        """Last day counted: the period's end, never after today."""
        return min(self.period.end, self.today) if self.period else self.today

    @property
    def township(self):
        """The unit if it is a township (for ``?township=<code>`` filters), else None."""
        return self.unit if type(self.unit).__name__ == "Township" else None

    @property
    def department(self):
        """The unit if it is a department, else None."""
        return self.unit if type(self.unit).__name__ == "Department" else None


FigureFn = Callable[[FigureScope], list[TaskFigure]]


@dataclass(frozen=True)
class FigureSource:
    """A registered builder: ``key`` (unique, "<app>.<name>"), ``task_number`` (1–30),
    ``source`` (what the figures are computed from, e.g. "the hazard ledger"; may be a lazy
    translation, rendered when shown), ``order``."""

    key: str
    task_number: int
    source: str
    build: FigureFn
    order: int = 100


@dataclass
class FigureGroup:
    """The figures of one source for one task and scope, as shown: "computed from <source>"."""

    key: str
    source: str
    figures: list[TaskFigure] = field(default_factory=list)


_SOURCES: dict[str, FigureSource] = {}


def register_task_figures(
    task_number: int, fn: FigureFn, *, key: str, source: str, order: int = 100
) -> FigureFn:
    """Show ``fn``'s figures on task ``task_number``'s page, its progress form and the API.
    Registering the same ``key`` again replaces it (module reloads in tests). ``ValueError``
    for a task number outside 1–30."""
    if not 1 <= task_number <= 30:
        raise ValueError(f"{key}: task number {task_number} is not 1–30")
    _SOURCES[key] = FigureSource(key, task_number, source, fn, order)  # lazy: str() when shown
    return fn


def figure_sources(task_number: int | None = None) -> list[FigureSource]:
    """The registered builders (of one task), in (task, order, key) order, after discovery."""
    from campaigns.plugins import discover

    discover()
    return sorted(
        (s for s in _SOURCES.values() if task_number is None or s.task_number == task_number),
        key=lambda s: (s.task_number, s.order, s.key),
    )


# The task numbers registered here are those of the 2024–2026 plan (its campaign slug): task
# 14 of another plan is another task, so another campaign's tasks get no computed figures.
FIGURES_CAMPAIGN = "2024-2026"


def task_figures(
    task_number: int,
    *,
    viewer,
    today: datetime.date,
    unit=None,
    period: Period | None = None,
    campaign_slug: str = FIGURES_CAMPAIGN,
) -> list[FigureGroup]:
    """The computed figures of task ``task_number`` for ``viewer`` (and ``unit``/``period``),
    one group per registered source that has something to say. ``campaign_slug``: the task's
    campaign; nothing for a campaign other than :data:`FIGURES_CAMPAIGN`."""
    if campaign_slug != FIGURES_CAMPAIGN:
        return []
    scope = FigureScope(viewer=viewer, today=today, unit=unit, period=period)
    groups = []
    for s in figure_sources(task_number):
        figures = [TaskFigure(*f) for f in s.build(scope)]
        if figures:
            groups.append(FigureGroup(s.key, str(s.source), figures))
    return groups


def report_unit_figures(
    task, reports, *, viewer, today: datetime.date
) -> dict[int, list[FigureGroup]]:
    """For each progress report of ``task`` (``reports``: ProgressReports with their unit),
    the task's computed figures narrowed to the report's unit and limited to its period, as
    ``viewer`` may see them: ``{report.pk: [FigureGroup, …]}``. Nothing (no query) for a
    task without a registered source or of another campaign; a report whose period key does
    not parse gets the campaign so far. Queries: the builders' own, once per report."""
    from yixian_safety.periods import period_from_key

    if task.campaign.slug != FIGURES_CAMPAIGN or not figure_sources(task.number):
        return {}
    out = {}
    for r in reports:
        try:
            period = period_from_key(r.period)
        except ValueError:
            period = None
        out[r.pk] = task_figures(
            task.number,
            viewer=viewer,
            today=today,
            unit=r.unit,
            period=period,
            campaign_slug=task.campaign.slug,
        )
    return out


# --- milestones the platform can check -----------------------------------------------------

MilestoneFn = Callable[[object, datetime.date], "bool | None"]


@dataclass(frozen=True)
class MilestoneCheck:
    """``fn(milestone, today) -> bool | None`` for the milestones of ``kind`` or ``code``;
    ``source`` says what it is computed from, ``url`` the rows behind it."""

    fn: MilestoneFn
    source: str
    url: Callable[[object], str] | None = None
    wants_viewer: bool = False


_MILESTONES: dict[str, MilestoneCheck] = {}


def register_milestone_state(
    fn: MilestoneFn,
    *,
    source: str,
    kind: str = "",
    code: str = "",
    url: Callable[[object], str] | None = None,
    wants_viewer: bool = False,
) -> MilestoneFn:
    """Compute whether milestones of ``kind`` (``Milestone.Kind`` value) or the one with
    ``code`` are met. A code wins over a kind. ``wants_viewer``: ``fn`` takes a ``viewer``
    keyword (the user looking; may be None). ``ValueError`` without a kind or a code."""
    if not (kind or code):
        raise ValueError("register_milestone_state needs a kind or a code")
    _MILESTONES[f"code:{code}" if code else f"kind:{kind}"] = MilestoneCheck(
        fn, source, url, wants_viewer
    )
    return fn


@dataclass(frozen=True)
class ComputedState:
    """A milestone's computed state: ``met`` True/False, what it is computed from, a link."""

    met: bool
    source: str
    url: str = ""


def milestone_computed_state(
    milestone, today: datetime.date, *, viewer=None
) -> ComputedState | None:
    """The computed state of ``milestone`` on ``today``, or None when nothing is registered
    for it or the check does not know (e.g. no enterprise in a focus group). ``viewer``: the
    user looking, passed to checks registered with ``wants_viewer``."""
    from campaigns.plugins import discover

    discover()
    check = _MILESTONES.get(f"code:{milestone.code}") or _MILESTONES.get(f"kind:{milestone.kind}")
    if check is None:
        return None
    met = (
        check.fn(milestone, today, viewer=viewer)
        if check.wants_viewer
        else check.fn(milestone, today)
    )
    if met is None:
        return None
    return ComputedState(bool(met), str(check.source), check.url(milestone) if check.url else "")
