"""Reads of the ledger: hazard page data, change history, statistics (task 15).

Statistics are computed in the database (``values().annotate(Count(filter=…))``); every figure
comes with the ledger query string that lists exactly the hazards it counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from campaigns.constants import STOCK_CUTOFF
from campaigns.models import Sector, Township
from yixian_safety.dates import today_local

from .models import (
    CLOSED_ON_TIME_Q,
    OPEN_STATUSES,
    Hazard,
    HazardCriterion,
    Level,
    Rectification,
    Source,
    Status,
    overdue_q,
    source_q,
)

STAT_STATUSES = [s for s in Status if s != Status.MERGED]


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: object
    what: str
    kind: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _display(model, field_name: str, value) -> str:
    try:
        f = model._meta.get_field(field_name)
    except Exception:
        return str(value)
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation and f.related_model is not None:
        obj = f.related_model._default_manager.filter(pk=value).first()
        if obj is not None and hasattr(obj, "get_full_name"):  # a person: the name, not the login
            return obj.get_full_name() or obj.get_username()
        return str(obj) if obj else str(value)
    return str(value)


def hazard_history(hazard: Hazard) -> list[HistoryEntry]:
    """Change history of the hazard and its rectification (django-simple-history), oldest first,
    each entry with (field label, old, new) for the fields that changed."""
    entries: list[HistoryEntry] = []
    for model, records in (
        (
            Hazard,
            list(
                hazard.history.select_related("history_user").order_by("history_date", "history_id")
            ),
        ),
        (
            Rectification,
            list(
                Rectification.history.filter(hazard_id=hazard.pk)
                .select_related("history_user")
                .order_by("history_date", "history_id")
            ),
        ),
    ):
        previous = None
        for record in records:
            changes = []
            if previous is not None:
                delta = record.diff_against(previous)
                for change in delta.changes:
                    label = str(model._meta.get_field(change.field).verbose_name)
                    changes.append(
                        (
                            label,
                            _display(model, change.field, change.old),
                            _display(model, change.field, change.new),
                        )
                    )
            entries.append(
                HistoryEntry(
                    at=record.history_date,
                    user=record.history_user,
                    what=str(model._meta.verbose_name),
                    kind=record.get_history_type_display(),
                    changes=changes,
                )
            )
            previous = record
    entries.sort(key=lambda e: e.at)
    return entries


def hazard_by_idempotency_key(*, actor, key) -> Hazard | None:
    """The hazard ``actor`` logged with idempotency key ``key`` (a UUID), or None. Keys are
    per reporter: another user's report with the same key is not found."""
    if key is None:
        return None
    return Hazard.objects.filter(reported_by=actor, idempotency_key=key).first()


# ---------------------------------------------------------------------------------------------
# Statistics


def ledger_url(**params) -> str:
    """Ledger page URL listing the hazards behind a figure (params are HazardFilter names)."""
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse("hazards:list") + ("?" + urlencode(clean) if clean else "")


def _figures(qs, group_by: list[str], today: datetime.date, **more):
    """The figures of ``qs`` (grouped by ``group_by``); ``more``: extra {name: Q} counts."""
    aggregates = {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        "overdue": Count("pk", filter=overdue_q(today)),
        "closed_on_time": Count("pk", filter=CLOSED_ON_TIME_Q),
    }
    for s in STAT_STATUSES:
        aggregates[f"status_{s.value}"] = Count("pk", filter=Q(status=s))
    aggregates.update({name: Count("pk", filter=q) for name, q in more.items()})
    if group_by:
        return list(qs.values(*group_by).annotate(**aggregates).order_by(*group_by))
    return [qs.aggregate(**aggregates)]


@dataclass
class Cell:
    value: int
    url: str


@dataclass
class StatRow:
    label: str
    total: Cell
    open: Cell
    overdue: Cell
    closed_on_time: Cell
    statuses: list[Cell]
    closure_rate: float | None  # closed / (total − rejected), None if no hazard


def _row(label: str, figures: dict, base: dict) -> StatRow:
    closed = figures[f"status_{Status.CLOSED.value}"]
    countable = figures["total"] - figures[f"status_{Status.REJECTED.value}"]
    return StatRow(
        label=label,
        total=Cell(figures["total"], ledger_url(**base)),
        open=Cell(figures["open"], ledger_url(**base, open="true")),
        overdue=Cell(figures["overdue"], ledger_url(**base, overdue="true")),
        closed_on_time=Cell(figures["closed_on_time"], ledger_url(**base, closed_on_time="true")),
        statuses=[
            Cell(figures[f"status_{s.value}"], ledger_url(**base, status=s.value))
            for s in STAT_STATUSES
        ],
        closure_rate=(closed / countable) if countable else None,
    )


@dataclass
class Statistics:
    statuses: list
    by_township: list[StatRow]
    by_sector: list[StatRow]
    by_year: list[StatRow]
    stock_vs_increment: list[StatRow]
    by_source: list[StatRow]
    matrix_sectors: list[Sector]
    matrix: list[tuple[str, list[Cell | None]]]
    total: StatRow
    today: datetime.date
    by_criterion: list[CriterionRow] = field(default_factory=list)
    major_without_criterion: Cell | None = None
    figures_at: datetime.datetime | None = None  # from the summary built then; None: live


@dataclass
class CriterionRow:
    """How often one clause of a judgement standard is met (hazards citing it)."""

    criterion: HazardCriterion
    row: StatRow


def criterion_statistics(qs, *, today: datetime.date, base: dict) -> list[CriterionRow]:
    """Hazards of ``qs`` per cited clause, most often met first (ties: standard order)."""
    return _criterion_rows(_figures(qs.filter(criterion__isnull=False), ["criterion"], today), base)


def _criterion_rows(figures: list[dict], base: dict) -> list[CriterionRow]:
    crits = HazardCriterion.objects.select_related("standard").in_bulk(
        [f["criterion"] for f in figures]
    )
    rows = [
        CriterionRow(
            crits[f["criterion"]],
            _row(str(crits[f["criterion"]]), f, {**base, "criterion": f["criterion"]}),
        )
        for f in figures
    ]
    rows.sort(key=lambda r: (-r.row.total.value, r.criterion.standard.order, r.criterion.order))
    return rows


FIGURE_KEYS = [
    "total",
    "open",
    "overdue",
    "closed_on_time",
    *(f"status_{s.value}" for s in STAT_STATUSES),
]
_SOURCE_FLAGS = {src.value: f"src_{src.value}" for src in Source}


def _summed(groups: list[dict], keys) -> dict:
    """The figures of ``groups`` added up (``keys``: the aggregate names)."""
    out = dict.fromkeys(keys, 0)
    for g in groups:
        for k in keys:
            out[k] += g[k]
    return out


def _collapsed(groups: list[dict], dims: list[str], keys) -> list[dict]:
    """``groups`` added up per ``dims`` (the other dimensions summed away), in one pass."""
    out: dict[tuple, dict] = {}
    for g in groups:
        key = tuple(g[d] for d in dims)
        acc = out.get(key)
        if acc is None:
            out[key] = {**{d: g[d] for d in dims}, **{k: g[k] for k in keys}}
        else:
            for k in keys:
                acc[k] += g[k]
    return list(out.values())


def hazard_statistics(qs, *, level: str = "", today: datetime.date | None = None) -> Statistics:
    """Figures for the ledger ``qs`` (already scoped with ``visible_to`` and ``ledger()``),
    optionally one ``level``, computed live. Each figure's ``url`` opens the ledger filtered to
    exactly it. Pages use :func:`hazard_statistics_for` (the figures summary when current).

    One scan of the ledger for every breakdown (issue 19): the figures are counted once per
    (township, sector, year, sources) group in the database and added up here into the rows by
    township, sector, year, stock/increment, source and the township × sector matrix (≤ a few
    thousand groups whatever the ledger's size); the clauses are a second grouped query.
    Queries: townships, sectors, the scan, the clauses (+1 when some hazard cites one)."""
    from django.db.models import BooleanField, ExpressionWrapper
    from django.db.models.functions import ExtractYear

    today = today or today_local()
    if level:
        qs = qs.filter(level=level)
    flags = {
        name: ExpressionWrapper(source_q(value), output_field=BooleanField())
        for value, name in _SOURCE_FLAGS.items()
    }
    groups = _figures(
        qs.annotate(found_year=ExtractYear("found_on"), **flags),
        ["township", "sector", "found_year", *_SOURCE_FLAGS.values()],
        today,
        without_criterion=Q(level=Level.MAJOR, criterion__isnull=True),
    )
    criteria = _figures(qs.filter(criterion__isnull=False), ["criterion"], today)
    keys = [*FIGURE_KEYS, "without_criterion"]
    return _statistics(
        _collapsed(groups, ["township", "sector", "found_year"], keys),
        _collapsed(groups, list(_SOURCE_FLAGS.values()), keys),
        criteria,
        level=level,
        today=today,
    )


def hazard_statistics_for(
    user, *, level: str = "", today: datetime.date | None = None
) -> Statistics:
    """:func:`hazard_statistics` of what ``user`` may see: read from the figures summary when
    it stands at ``today`` (:func:`figures_stamp`; ``stats.figures_at`` is then its build time,
    the page's "截至 hh:mm"), else computed live. Identical figures either way (the summary's
    groups are the live definitions). From the summary: 6–7 queries on its rows (tens of
    thousands at 1,000,000 hazards) whatever the ledger's size."""
    today = today or today_local()
    stamp = figures_stamp(today)
    if stamp is None:
        return hazard_statistics(Hazard.objects.visible_to(user).ledger(), level=level, today=today)
    rows = figure_rows(user, level=level)
    groups = [
        {"township": g.pop("township_id"), "sector": g.pop("sector_id"), **g}
        for g in _figure_sums(rows, ["township_id", "sector_id", "found_year"])
    ]
    sources = _figure_sums(rows, list(_SOURCE_FLAGS.values()))
    criteria = [
        {"criterion": g.pop("criterion_id"), **g}
        for g in _figure_sums(rows.filter(criterion_id__isnull=False), ["criterion_id"])
    ]
    stats = _statistics(groups, sources, criteria, level=level, today=today)
    stats.figures_at = stamp.refreshed_at
    return stats


# --- the figures summary (hazards.models.HazardFigure, issue 19) -----------------------------


def figures_stamp(today: datetime.date | None = None):
    """The :class:`~hazards.models.HazardFigureStamp` of a figures summary usable for
    ``today`` (default today), or None (then compute live). The summary must stand at that day
    (its overdue flags are of that day). With ``settings.HAZARD_FIGURES_ON_DEMAND`` (the embedded
    mode: no beat) a stale or missing summary is rebuilt here first, so the figures are always
    current; otherwise beat rebuilds it every minute and a summary of today is used as it is
    (the pages show its time). 1 query (+1 token, + the rebuild, on demand)."""
    from django.conf import settings

    from .models import HazardFigureStamp

    today = today or today_local()
    if today != today_local():
        return None  # another day than today (tests, reports): live
    stamp = HazardFigureStamp.objects.filter(pk=1).first()
    if getattr(settings, "HAZARD_FIGURES_ON_DEMAND", False):
        from .services import figures_token, hazard_figures_refresh

        if (
            stamp is None
            or stamp.day != today
            or (stamp.hazard_history_id, stamp.rectification_history_id) != figures_token()
        ):
            stamp = hazard_figures_refresh(force=True, day=today)
        return stamp
    if stamp is None or stamp.day != today:
        return None
    return stamp


def ledger_count(user) -> int | None:
    """How many ledger hazards ``user`` may see (``visible_to(user).ledger().count()``), from
    the figures summary when no hazard or rectification changed since it was built (the count
    does not depend on the day), else None (count the ledger). 4 queries on small tables or
    index-only look-ups, against a count(*) of the ledger (0.6 s at 1,000,000 hazards)."""
    from django.db.models import Sum

    from .models import HazardFigureStamp
    from .services import figures_token

    stamp = HazardFigureStamp.objects.filter(pk=1).first()
    if stamp is None or (stamp.hazard_history_id, stamp.rectification_history_id) != (
        figures_token()
    ):
        return None
    return figure_rows(user).aggregate(n=Sum("n"))["n"] or 0


def figure_rows(user, *, level: str = ""):
    """The summary rows of what ``user`` may see — the same scope as ``Hazard.visible_to``
    (township, or sectors / supervising departments)."""
    from campaigns.org.scoping import scope_for

    from .models import HazardFigure

    rows = HazardFigure.objects.all()
    scope = scope_for(user)
    if scope.nothing:
        rows = rows.none()
    elif not scope.everything:
        rows = rows.filter(
            Q(township_id__in=scope.township_ids)
            | Q(sector_id__in=scope.sector_ids)
            | Q(department_id__in=scope.department_ids)
        )
    if level:
        rows = rows.filter(level=level)
    return rows


def _sum(q: Q | None = None):
    from django.db.models import Sum, Value
    from django.db.models.functions import Coalesce

    return Coalesce(Sum("n", filter=q), Value(0))


def _figure_sums(rows, group_by: list[str]) -> list[dict]:
    """The :func:`_figures` of the summary ``rows`` grouped by ``group_by`` (summary column
    names): the same keys, summed counts."""
    aggregates = {
        "total": _sum(),
        "open": _sum(Q(status__in=OPEN_STATUSES)),
        "overdue": _sum(Q(overdue=True)),
        "closed_on_time": _sum(Q(on_time=True)),
        "without_criterion": _sum(Q(level=Level.MAJOR, criterion_id__isnull=True)),
    }
    for st in STAT_STATUSES:
        aggregates[f"status_{st.value}"] = _sum(Q(status=st))
    return list(rows.order_by().values(*group_by).annotate(**aggregates).order_by(*group_by))


def _statistics(
    groups: list[dict], sources: list[dict], criteria: list[dict], *, level: str, today
) -> Statistics:
    """The breakdowns of :class:`Statistics` from the grouped figures (live or summary):
    ``groups`` per (township, sector, found_year), ``sources`` per combination of the source
    flags, ``criteria`` per cited clause."""
    base = {"level": level}
    townships = {t.pk: t for t in Township.objects.all()}
    sectors = {s.pk: s for s in Sector.objects.all()}
    keys = FIGURE_KEYS

    def rows_by(field_name: str) -> dict:
        out: dict = {}
        for g in groups:
            out.setdefault(g[field_name], []).append(g)
        return {k: _summed(v, keys) for k, v in out.items()}

    zero = dict.fromkeys(keys, 0)
    township_figures = rows_by("township")
    by_township = [
        _row(t.name, township_figures.get(t.pk, zero), {**base, "township": t.code})
        for t in townships.values()
    ]  # every township, also those with none
    sector_figures = rows_by("sector")
    by_sector = [
        _row(s.name, sector_figures[s.pk], {**base, "sector": s.code})
        for s in sectors.values()
        if s.pk in sector_figures
    ]  # in the sectors' own order
    year_figures = rows_by("found_year")
    by_year = [
        _row(str(y), year_figures[y], {**base, "found_year": y}) for y in sorted(year_figures)
    ]
    cutoff = STOCK_CUTOFF.year  # the stock ends on 31 December
    stock = _summed([g for g in groups if g["found_year"] <= cutoff], keys)
    increment = _summed([g for g in groups if g["found_year"] > cutoff], keys)
    stock_rows = [
        _row("stock", stock, {**base, "stock": "true"}),
        _row("increment", increment, {**base, "stock": "false"}),
    ]
    by_source = [
        _row(
            s.label,
            _summed([g for g in sources if g[_SOURCE_FLAGS[s.value]]], keys),
            {**base, "source": s.value},
        )
        for s in Source
    ]

    cells: dict = {}
    for g in groups:
        cells[(g["township"], g["sector"])] = (
            cells.get((g["township"], g["sector"]), 0) + g["total"]
        )
    used_sectors = [s for s in sectors.values() if any(k[1] == s.pk for k in cells)]
    matrix = []
    for t in townships.values():
        row = []
        for s in used_sectors:
            n = cells.get((t.pk, s.pk))
            row.append(Cell(n, ledger_url(**base, township=t.code, sector=s.code)) if n else None)
        matrix.append((t.name, row))
    total = _row("total", _summed(groups, keys), base)
    by_township.append(total)
    without = sum(g["without_criterion"] for g in groups)
    return Statistics(
        statuses=STAT_STATUSES,
        by_township=by_township,
        by_sector=by_sector,
        by_year=by_year,
        stock_vs_increment=stock_rows,
        by_source=by_source,
        matrix_sectors=used_sectors,
        matrix=matrix,
        total=total,
        today=today,
        by_criterion=_criterion_rows(criteria, base),
        major_without_criterion=Cell(
            without, ledger_url(**{**base, "level": Level.MAJOR}, criterion_missing="true")
        ),
    )
