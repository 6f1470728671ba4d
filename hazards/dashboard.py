"""Hazard figures of the safety office's dashboard: the plan's three targets, year by year.

Targets (source: 实施方案 二、主要任务; milestones ``target-stock-2024``, ``target-increment-2025``,
``target-zeroing-2026``), all on **major** hazards of the ledger (merged reports excluded):

- stock (存量, found on or before 2023-12-31) eliminated by 2024-12-31;
- increment (增量) of new major hazards per year going down in 2025;
- dynamic zeroing (动态清零): no overdue open major hazard by 2026-12-31.

Figures for a past day (``as_of`` before today) are rebuilt from the change history
(django-simple-history): each hazard as it stood at the end of that day, Asia/Shanghai. They then
carry no ledger link (the ledger shows today's state). Every figure is one database aggregate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractYear, TruncDate
from django.utils.translation import gettext_lazy as _

from campaigns.constants import STOCK_CUTOFF
from campaigns.dashboard.registry import Panel, register_panel

from .models import OPEN_STATUSES, Hazard, Level, Rectification, Status, overdue_q
from .selectors import figures_stamp, ledger_url

SHANGHAI = ZoneInfo("Asia/Shanghai")
STOCK_DEADLINE = datetime.date(2024, 12, 31)
CAMPAIGN_YEARS = (2024, 2025, 2026)


@dataclass
class Figure:
    """One number on the dashboard; ``url`` opens the ledger filtered to exactly it."""

    label: str
    value: int
    url: str = ""


@dataclass
class Target:
    """A campaign target: its figures, deadline and state: met, pending (deadline not reached,
    not achieved yet) or missed."""

    code: str
    title: str
    deadline: datetime.date
    state: str
    figures: list[Figure]


@dataclass
class HazardTargets:
    as_of: datetime.date
    live: bool
    targets: list[Target]
    # Year-by-year chart: {"years": [...], "found": [...], "closed": [...]} (major hazards).
    chart: dict = field(default_factory=dict)
    figures_at: datetime.datetime | None = None  # from the figures summary built then


def _day_end(day: datetime.date) -> datetime.datetime:
    """First instant after ``day`` in Asia/Shanghai (history before it = state at day end)."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI
    )


def hazard_rows(user, *, as_of: datetime.date, today: datetime.date) -> QuerySet:
    """Visible ledger hazards as rows with ``status, level, found_on, township_id, sector_id,
    deadline, closed_on`` — today's records, or the history as it stood at the end of ``as_of``.
    """
    visible = Hazard.objects.visible_to(user)
    if as_of >= today:
        return visible.ledger().annotate(
            deadline=F("rectification__deadline"), closed_on=TruncDate("closed_at", tzinfo=SHANGHAI)
        )
    cutoff = _day_end(as_of)
    history = Hazard.history.model
    latest = (
        history.objects.filter(id=OuterRef("id"), history_date__lt=cutoff)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    rect_history = Rectification.history.model
    deadline = (
        rect_history.objects.filter(hazard_id=OuterRef("id"), history_date__lt=cutoff)
        .order_by("-history_date", "-history_id")
        .values("deadline")[:1]
    )
    return (
        history.objects.filter(history_id=Subquery(latest), id__in=visible.values("pk"))
        .exclude(history_type="-")
        .exclude(status=Status.MERGED)
        .annotate(deadline=Subquery(deadline), closed_on=TruncDate("closed_at", tzinfo=SHANGHAI))
    )


def hazard_targets(user, *, as_of: datetime.date, today: datetime.date) -> HazardTargets:
    """The three targets as of ``as_of`` (≤ today) for what ``user`` may see. 3 queries; for
    today from the figures summary when it stands at today (1–2 queries, ``figures_at`` set)."""
    live = as_of >= today
    stamp = figures_stamp(today) if live else None
    if stamp is not None:
        totals, found, closed = _target_figures_summary(user)
    elif live:
        totals, found, closed = _target_figures(hazard_rows(user, as_of=as_of, today=today), as_of)
    else:
        totals, found, closed = _past_target_figures(user, as_of, today)

    def link(**params) -> str:
        return ledger_url(level=Level.MAJOR, **params) if live else ""

    increments = [found.get(y, 0) for y in CAMPAIGN_YEARS]

    def state(achieved: bool, deadline: datetime.date, *, final_only: bool = False) -> str:
        """met / missed once the deadline has passed; before it: met if already achieved
        (unless only the final figure counts), else pending."""
        if as_of > deadline:
            return "met" if achieved else "missed"
        return "met" if achieved and not final_only else "pending"

    stock_state = state(
        totals["stock_total"] > 0
        and totals["stock_open"] == 0
        or totals["stock_total"] == 0
        and as_of > STOCK_DEADLINE,
        STOCK_DEADLINE,
    )
    # fewer new major hazards found in 2025 than in 2024: known only once 2025 is over
    increment_state = state(
        increments[1] < increments[0], datetime.date(2025, 12, 31), final_only=True
    )
    # with no major hazard on record (e.g. a day before any history) nothing is shown as met
    zero_state = state(totals["total"] > 0 and totals["overdue"] == 0, datetime.date(2026, 12, 31))
    targets = [
        Target(
            "target-stock-2024",
            str(_("Stock of major hazards eliminated")),
            STOCK_DEADLINE,
            stock_state,
            [
                Figure(str(_("stock major hazards")), totals["stock_total"], link(stock="true")),
                Figure(str(_("still open")), totals["stock_open"], link(stock="true", open="true")),
                Figure(
                    str(_("closed by 2024-12-31")),
                    totals["stock_closed_in_time"],
                    link(
                        stock="true", status=Status.CLOSED, closed_before=STOCK_DEADLINE.isoformat()
                    ),
                ),
            ],
        ),
        Target(
            "target-increment-2025",
            str(_("New major hazards fewer each year")),
            datetime.date(2025, 12, 31),
            increment_state,
            [
                Figure(
                    str(_("found in {year}")).format(year=y), n, link(stock="false", found_year=y)
                )
                for y, n in zip(CAMPAIGN_YEARS, increments, strict=True)
            ],
        ),
        Target(
            "target-zeroing-2026",
            str(_("Dynamic zeroing: no overdue open major hazard")),
            datetime.date(2026, 12, 31),
            zero_state,
            [
                Figure(
                    str(_("overdue and open")), totals["overdue"], link(open="true", overdue="true")
                ),
                Figure(str(_("open")), totals["open"], link(open="true")),
            ],
        ),
    ]
    years = [str(_("≤2023 (stock)"))] + [str(y) for y in CAMPAIGN_YEARS]
    chart = {
        "years": years,
        "found": [totals["stock_total"]] + increments,
        "closed": [sum(n for y, n in closed.items() if y <= 2023)]
        + [closed.get(y, 0) for y in CAMPAIGN_YEARS],
    }
    return HazardTargets(
        as_of=as_of,
        live=live,
        targets=targets,
        chart=chart,
        figures_at=stamp.refreshed_at if stamp else None,
    )


def _target_figures(rows: QuerySet, as_of: datetime.date) -> tuple[dict, dict, dict]:
    """(totals, {year: found}, {year: closed}) of the major hazards of ``rows`` (today's records
    or the history at ``as_of``). 3 queries."""
    rows = rows.filter(level=Level.MAJOR)
    is_open = Q(status__in=OPEN_STATUSES)
    stock = Q(found_on__lte=STOCK_CUTOFF)
    closed_by_deadline = Q(status=Status.CLOSED, closed_on__lte=STOCK_DEADLINE)
    totals = rows.aggregate(
        stock_total=Count("pk", filter=stock),
        stock_open=Count("pk", filter=stock & is_open),
        stock_closed_in_time=Count("pk", filter=stock & closed_by_deadline),
        overdue=Count("pk", filter=overdue_q(as_of, deadline="deadline")),
        open=Count("pk", filter=is_open),
        total=Count("pk"),
    )
    found = dict(
        rows.filter(found_on__gt=STOCK_CUTOFF)
        .annotate(y=ExtractYear("found_on"))
        .values("y")
        .annotate(n=Count("pk"))
        .values_list("y", "n")
    )
    closed = dict(
        rows.filter(status=Status.CLOSED, closed_on__isnull=False)
        .annotate(y=ExtractYear("closed_on"))
        .values("y")
        .annotate(n=Count("pk"))
        .values_list("y", "n")
    )
    return totals, found, closed


# {(scope, as_of, today, change-history token): figures} of past days (last few kept)
_PAST_MEMO: dict[tuple, tuple] = {}


def _past_target_figures(user, as_of: datetime.date, today: datetime.date):
    """:func:`_target_figures` of a past day from the history, remembered per (scope, day,
    today, newest history ids): the dashboard of a past day asks for them four times (the
    targets panel and the three target milestones' computed states) and each replays the
    history (20 s at 1,000,000 hazards). Any write adds a history row, so a remembered value is
    never stale. 2 queries when remembered."""
    from campaigns.org.scoping import scope_for

    from .services import figures_token

    scope = scope_for(user)
    key = (
        scope.everything,
        tuple(sorted(scope.township_ids)),
        tuple(sorted(scope.sector_ids)),
        tuple(sorted(scope.department_ids)),
        as_of,
        today,
        figures_token(),
    )
    if key not in _PAST_MEMO:
        if len(_PAST_MEMO) >= 32:
            _PAST_MEMO.clear()
        _PAST_MEMO[key] = _target_figures(hazard_rows(user, as_of=as_of, today=today), as_of)
    totals, found, closed = _PAST_MEMO[key]
    return dict(totals), dict(found), dict(closed)


def _target_figures_summary(user) -> tuple[dict, dict, dict]:
    """:func:`_target_figures` of today from the figures summary (the same definitions:
    ``found_year ≤ 2023`` is the stock, ``closed_year ≤ 2024`` closed by 2024-12-31). 1 query."""
    from .selectors import figure_rows

    groups = list(
        figure_rows(user, level=Level.MAJOR)
        .order_by()
        .values("found_year", "closed_year", "status", "overdue")
        .annotate(n=Sum("n"))
    )
    stock_year, deadline_year = STOCK_CUTOFF.year, STOCK_DEADLINE.year
    open_values = {str(s) for s in OPEN_STATUSES}

    def total(pred) -> int:
        return sum(g["n"] for g in groups if pred(g))

    def is_stock(g):
        return g["found_year"] <= stock_year

    totals = {
        "stock_total": total(is_stock),
        "stock_open": total(lambda g: is_stock(g) and g["status"] in open_values),
        "stock_closed_in_time": total(
            lambda g: (
                is_stock(g)
                and g["status"] == Status.CLOSED
                and g["closed_year"] is not None
                and g["closed_year"] <= deadline_year
            )
        ),
        "overdue": total(lambda g: g["overdue"]),
        "open": total(lambda g: g["status"] in open_values),
        "total": total(lambda g: True),
    }
    found: dict = {}
    closed: dict = {}
    for g in groups:
        if g["found_year"] > stock_year:
            found[g["found_year"]] = found.get(g["found_year"], 0) + g["n"]
        if g["status"] == Status.CLOSED and g["closed_year"] is not None:
            closed[g["closed_year"]] = closed.get(g["closed_year"], 0) + g["n"]
    return totals, found, closed


# --- the targets as milestone states (one truth: the dashboard's milestone list agrees) -----

TARGET_CODES = ("target-stock-2024", "target-increment-2025", "target-zeroing-2026")


def target_met(milestone, today: datetime.date, *, viewer=None) -> bool | None:
    """State of a target milestone (``TARGET_CODES``) on ``today`` for what ``viewer`` sees,
    exactly as the targets panel shows it: True for 已实现, False for missed, None while pending
    or without a viewer. The figures are today's records, or the history for an earlier day.
    3 queries."""
    from yixian_safety.dates import today_local

    if viewer is None:
        return None
    result = hazard_targets(viewer, as_of=today, today=max(today, today_local()))
    state = next((t.state for t in result.targets if t.code == milestone.code), "pending")
    return {"met": True, "missed": False}.get(state)


def _register_target_states() -> None:
    from campaigns.progress.registry import register_milestone_state

    for code in TARGET_CODES:
        register_milestone_state(
            target_met,
            code=code,
            source=_("the hazard ledger"),
            wants_viewer=True,
            url=lambda m: ledger_url(level=Level.MAJOR),
        )


_register_target_states()


# --- panels (registered with the hub's dashboard) -------------------------------------------


def _statistics(user, *, as_of: datetime.date, today: datetime.date):
    from .selectors import hazard_statistics_for

    return hazard_statistics_for(user, level=Level.MAJOR, today=today)


@dataclass
class Routine:
    """The routine view of major hazards (常态化机制, also after the campaign): figures linking to
    the ledger; ``days_to_close``: mean days from found to closed (销号) over the last 365 days,
    None when nothing closed."""

    figures: list[Figure]
    days_to_close: float | None
    figures_at: datetime.datetime | None = None  # from the figures summary built then


def routine_figures(user, *, as_of: datetime.date, today: datetime.date) -> Routine:
    """Open major hazards, new ones this month, overdue ones, time to closure. Two queries (one
    from the figures summary when it stands at today, :func:`~hazards.selectors.figures_stamp`)."""
    from django.db.models import Avg, Value
    from django.db.models.functions import Coalesce

    from yixian_safety.db import DaysBetween

    month_start = today.replace(day=1)
    stamp = figures_stamp(today)
    if stamp is not None:  # the figures summary: one query on a few thousand rows
        from .selectors import figure_rows

        def total(q: Q):
            return Coalesce(Sum("n", filter=q), Value(0))

        figures = figure_rows(user, level=Level.MAJOR).aggregate(
            open=total(Q(status__in=OPEN_STATUSES)),
            new=total(Q(new_in_month=True)),
            overdue=total(Q(overdue=True)),
            closed=total(Q(closed_recent=True)),
            took=Coalesce(Sum("took_days", filter=Q(closed_recent=True)), Value(0)),
        )
        took = figures["took"] / figures["closed"] if figures["closed"] else None
    else:
        rows = Hazard.objects.visible_to(user).ledger().filter(level=Level.MAJOR)
        figures = rows.aggregate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            new=Count("pk", filter=Q(found_on__gte=month_start, found_on__lte=today)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
        year_ago = today - datetime.timedelta(days=365)
        closed = rows.filter(
            status=Status.CLOSED, closed_at__date__gt=year_ago, closed_at__date__lte=today
        ).annotate(took=DaysBetween(TruncDate("closed_at", tzinfo=SHANGHAI), F("found_on")))
        took = closed.aggregate(mean=Avg("took"))["mean"]
    return Routine(
        figures=[
            Figure(
                _("open major hazards"), figures["open"], ledger_url(level=Level.MAJOR, open="true")
            ),
            Figure(
                _("new this month"),
                figures["new"],
                ledger_url(level=Level.MAJOR, found_after=month_start.isoformat()),
            ),
            Figure(
                _("overdue"),
                figures["overdue"],
                ledger_url(level=Level.MAJOR, open="true", overdue="true"),
            ),
        ],
        days_to_close=round(float(took), 1) if took is not None else None,
        figures_at=stamp.refreshed_at if stamp else None,
    )


# a rebuilt figures summary saves its stamp: the cached dashboards show the new figures
_WATCHES = ("hazards.Hazard", "hazards.Rectification", "hazards.HazardFigureStamp")
register_panel(
    Panel(
        key="routine",
        title=_("Major hazards: the routine view"),
        order=15,
        build=routine_figures,
        empty=None,
        template="hazards/dashboard/_routine.html",
        watches=_WATCHES,
    )
)
register_panel(
    Panel(
        key="targets",
        title=_("The plan's targets for major hazards"),
        order=10,
        build=hazard_targets,
        today_only=False,
        template="hazards/dashboard/_targets.html",
        watches=_WATCHES,
    )
)
register_panel(
    Panel(
        key="statistics",
        title=_("Major hazards by township and by sector"),
        order=30,
        build=_statistics,
        template="hazards/dashboard/_statistics.html",
        watches=_WATCHES,
    )
)
