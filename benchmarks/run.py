"""Benchmark runner (issue 19): each page against its raw-SQL lower bound and Django's admin.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/yixian_bench
    .venv/bin/python benchmarks/generate.py --hazards 1000000      # once
    .venv/bin/python benchmarks/run.py --runs 5                    # every case, both roles
    .venv/bin/python benchmarks/run.py --runs 3 --case ledger --role township

Per case and role, in one run and so under the same machine load: median and p95 seconds over
``--runs`` warm runs (one unmeasured run first), SQL queries of one run, peak RSS growth of the
process during the case (sampled every 5 ms), and side by side

- **raw**: the lower bound — the SQL that produces the same rows or figures, run directly
  through psycopg (for the Excel export: the same rows fetched and written by openpyxl alone;
  for PDFs: WeasyPrint rendering the same HTML alone);
- **admin**: Django admin's changelist (or change page) for the same filter, as a superuser.

It prints ours ÷ raw and ours ÷ admin. Pages go through Django's test ``Client`` (the whole
stack: middleware, templates) logged in with ``force_login``: ``office`` (the safety office)
and ``tw_<first township>`` (a township official) from the seed. Nothing is written except the
benchmark superuser and the dashboard cache (cleared for the "cold" cases).

``run(...)`` is importable: the CI smoke test (tests/benchmarks/test_runner_smoke.py) runs every
case once on a small generated dataset — it must run, not meet times.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yixian_safety.settings")

PAGE_SIZE = 20
DEEP_PAGE = 500  # ledger page 500 = offset 9,980
KEYWORD = "消防通道"


# --- measuring --------------------------------------------------------------------------------


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: no sampling
        return 0


class PeakRSS:
    """Peak resident memory growth while the block runs (a thread samples /proc every 5 ms)."""

    def __enter__(self):
        self.base = self.peak = _rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())
        self.growth_mb = (self.peak - self.base) / 2**20
        self.peak_mb = self.peak / 2**20


@dataclass
class Timing:
    median: float
    p95: float
    queries: int | None = None
    peak_mb: float | None = None  # absolute peak RSS of the process during the runs
    growth_mb: float | None = None  # … and its growth over the RSS before them


def measure(fn: Callable[[], object], runs: int, *, warmup: bool = True, before=None) -> Timing:
    """``fn`` once unmeasured (warm caches), then ``runs`` times; ``before`` runs untimed before
    each call (e.g. clearing the dashboard cache)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if warmup:
        if before:
            before()
        fn()
    times = []
    queries = None
    with PeakRSS() as mem:
        for _ in range(max(1, runs)):
            if before:
                before()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return Timing(statistics.median(times), p95, queries, mem.peak_mb, mem.growth_mb)


@dataclass
class Case:
    name: str
    role: str
    ours: Callable[[], object]
    raw: Callable[[], object] | None = None
    admin: Callable[[], object] | None = None
    before: Callable[[], None] | None = None  # untimed, before every "ours" call
    runs: int | None = None  # overrides --runs (slow cases)
    note: str = ""
    # the floor of computing the same figures live from the ledger (for pages reading the
    # figures summary): measured once, printed beside
    live: Callable[[], object] | None = None


@dataclass
class Result:
    case: Case
    ours: Timing
    raw: Timing | None = None
    admin: Timing | None = None
    live: Timing | None = None
    load: float | None = None  # 1-minute load average when the case finished
    extra: dict = field(default_factory=dict)

    def ratio(self, other: Timing | None) -> float | None:
        return self.ours.median / other.median if other and other.median > 0 else None


# --- raw SQL (the lower bound) ----------------------------------------------------------------


def _raw_fetch(sql: str, params=()) -> list:
    from django.db import connection

    connection.ensure_connection()
    with connection.connection.cursor() as cur:  # psycopg directly, no ORM
        cur.execute(sql, params)
        return cur.fetchall()


LEDGER_COLUMNS = """
    h.*, e.id, e.name, e.credit_code, t.id, t.name, t.code, s.id, s.name, s.code,
    d.id, d.name, r.id, r.deadline, r.responsible_unit, r.responsible_person, r.funds,
    c.id, c.clause, c.document, js.id, js.title"""
LEDGER_FROM = """
    FROM hazards_hazard h
    JOIN hazards_enterprise e ON e.id = h.enterprise_id
    JOIN campaigns_township t ON t.id = h.township_id
    JOIN campaigns_sector s ON s.id = h.sector_id
    JOIN campaigns_department d ON d.id = h.supervising_department_id
    LEFT JOIN hazards_rectification r ON r.hazard_id = h.id
    LEFT JOIN hazards_hazardcriterion c ON c.id = h.criterion_id
    LEFT JOIN hazards_judgementstandard js ON js.id = c.standard_id"""


def _where(township_id: int | None, extra: str = "") -> tuple[str, list]:
    clauses, params = ["h.status <> 'merged'"], []
    if township_id is not None:
        clauses.append("h.township_id = %s")
        params.append(township_id)
    if extra:
        clauses.append(extra)
    return " AND ".join(clauses), params


def raw_ledger_page(township_id, *, offset=0, limit=PAGE_SIZE, extra="", extra_params=()):
    """The page's rows (with everything the list shows) and the count the pager needs."""
    where, params = _where(township_id, extra)
    params += list(extra_params)
    rows = _raw_fetch(
        f"SELECT {LEDGER_COLUMNS} {LEDGER_FROM} WHERE {where}"
        " ORDER BY h.found_on DESC, h.id DESC LIMIT %s OFFSET %s",
        [*params, limit, offset],
    )
    join = "JOIN hazards_enterprise e ON e.id = h.enterprise_id" if "e." in extra else ""
    count = _raw_fetch(f"SELECT count(*) FROM hazards_hazard h {join} WHERE {where}", params)
    return rows, count


KEYWORD_SQL = (
    "(h.ledger_number ILIKE %s OR e.name ILIKE %s OR upper(e.credit_code) = upper(%s)"
    " OR h.location ILIKE %s OR h.description ILIKE %s)"
)


def _keyword_params(word: str) -> list:
    like = f"%{word}%"
    return [like, like, word, like, like]


STATS_SQL = """
    SELECT h.township_id, h.sector_id, extract(year FROM h.found_on) AS y,
           (h.found_on <= %(cutoff)s) AS stock, h.source,
           count(*), count(*) FILTER (WHERE h.status IN %(open)s),
           count(*) FILTER (WHERE h.status IN %(open)s AND r.deadline < %(today)s),
           count(*) FILTER (WHERE h.status = 'closed'
                              AND (h.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= r.deadline),
           count(*) FILTER (WHERE h.status = 'closed'), count(*) FILTER (WHERE h.status = 'rejected'),
           count(*) FILTER (WHERE h.status = 'reported'), count(*) FILTER (WHERE h.status = 'confirmed'),
           count(*) FILTER (WHERE h.status = 'rectifying')
    FROM hazards_hazard h LEFT JOIN hazards_rectification r ON r.hazard_id = h.id
    WHERE h.status <> 'merged' {extra}
    GROUP BY GROUPING SETS ((h.township_id, h.sector_id), (h.township_id), (h.sector_id), (y),
                            (stock), (h.source), ())
"""


def raw_statistics(township_id=None, level=None) -> list:
    """Every breakdown of the statistics page in one scan (GROUPING SETS) — the floor."""
    from campaigns.constants import STOCK_CUTOFF
    from hazards.models import OPEN_STATUSES
    from yixian_safety.dates import today_local

    extra, params = (
        "",
        {
            "cutoff": STOCK_CUTOFF,
            "open": tuple(str(s) for s in OPEN_STATUSES),
            "today": today_local(),
        },
    )
    if township_id is not None:
        extra += " AND h.township_id = %(tw)s"
        params["tw"] = township_id
    if level:
        extra += " AND h.level = %(level)s"
        params["level"] = level
    sql = STATS_SQL.format(extra=extra).replace("IN %(open)s", "= ANY(%(open)s)")
    params["open"] = list(params["open"])
    return _raw_fetch(sql, params)


def _summary_where(township_id, level) -> tuple[str, list]:
    clauses, params = ["TRUE"], []
    if township_id is not None:
        clauses.append("township_id = %s")
        params.append(township_id)
    if level:
        clauses.append("level = %s")
        params.append(level)
    return " AND ".join(clauses), params


def raw_statistics_summary(township_id=None, level=None) -> list:
    """The statistics page's figures read from the figures summary (hazards_hazardfigure) by
    psycopg — the floor of a page that reads the summary: per (township, sector, year), per
    source combination, per clause."""
    where, params = _summary_where(township_id, level)
    sums = ", ".join(
        [
            "sum(n)",
            "sum(n) FILTER (WHERE status = ANY(%s))",
            "sum(n) FILTER (WHERE overdue)",
            "sum(n) FILTER (WHERE on_time)",
            "sum(n) FILTER (WHERE level = 'major' AND criterion_id IS NULL)",
            *(
                f"sum(n) FILTER (WHERE status = '{st}')"
                for st in (
                    "reported",
                    "confirmed",
                    "rectifying",
                    "awaiting_acceptance",
                    "accepted",
                    "closed",
                    "rejected",
                )
            ),
        ]
    )
    out = []
    for group in (
        "township_id, sector_id, found_year",
        "src_self_report, src_inspection, src_tip_off",
        "criterion_id",
    ):
        extra = " AND criterion_id IS NOT NULL" if group == "criterion_id" else ""
        out += _raw_fetch(
            f"SELECT {group}, {sums} FROM hazards_hazardfigure WHERE {where}{extra}"
            f" GROUP BY {group}",
            [_open(), *params],
        )
    return out


def raw_dashboard_summary(township_id=None) -> list:
    """The dashboard's hazard figures (statistics, targets, routine view, league) read from the
    figures summary by psycopg."""
    where, params = _summary_where(township_id, "major")
    out = raw_statistics_summary(township_id, level="major")
    out += _raw_fetch(
        f"SELECT found_year, closed_year, status, overdue, sum(n) FROM hazards_hazardfigure"
        f" WHERE {where} GROUP BY 1, 2, 3, 4",
        params,
    )
    out += _raw_fetch(
        "SELECT sum(n) FILTER (WHERE status = ANY(%s)), sum(n) FILTER (WHERE new_in_month),"
        " sum(n) FILTER (WHERE overdue), sum(n) FILTER (WHERE closed_recent),"
        f" sum(took_days) FILTER (WHERE closed_recent) FROM hazards_hazardfigure WHERE {where}",
        [_open(), *params],
    )
    out += _raw_fetch(
        "SELECT township_id, department_id, sum(n) FILTER (WHERE on_time),"
        " sum(n) FILTER (WHERE status = 'closed' OR overdue),"
        " sum(n) FILTER (WHERE status = ANY(%s) AND in_time), sum(n) FILTER (WHERE status = ANY(%s))"
        " FROM hazards_hazardfigure GROUP BY 1, 2",
        [_open(), _open()],
    )
    return out


def raw_figure_groups() -> list:
    """The figures summary's grouped scan of the ledger (the SQL of
    ``hazards.services._figure_groups``) run by psycopg — the floor of a rebuild."""
    from hazards.services import _figure_groups
    from yixian_safety.dates import today_local

    sql, params = _figure_groups(today_local()).query.sql_with_params()
    return _raw_fetch(sql, params)


def raw_league() -> list:
    """The hazard metrics of the league table, grouped by township and by department."""
    from yixian_safety.dates import today_local

    today = today_local()
    out = []
    for unit in ("township_id", "supervising_department_id"):
        out += _raw_fetch(
            f"""SELECT h.{unit}, count(*) FILTER (WHERE h.status = 'closed'
                   AND (h.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= r.deadline),
                 count(*) FILTER (WHERE h.status = 'closed' OR (h.status = ANY(%s)
                   AND r.deadline < %s)),
                 count(*) FILTER (WHERE h.status = ANY(%s))
               FROM hazards_hazard h LEFT JOIN hazards_rectification r ON r.hazard_id = h.id
               WHERE h.status <> 'merged' GROUP BY 1""",
            [_open(), today, _open()],
        )
    return out


def _open() -> list[str]:
    from hazards.models import OPEN_STATUSES

    return [str(s) for s in OPEN_STATUSES]


def raw_dashboard(township_id=None) -> list:
    return raw_statistics(township_id, level="major") + raw_league()


def raw_as_of(day: datetime.date, township_id=None) -> list:
    """Major hazards as they stood at the end of ``day``: the latest history row per hazard."""
    from hazards.dashboard import _day_end

    tw = "AND hh.township_id = %s" if township_id is not None else ""
    params = [_day_end(day)] + ([township_id] if township_id is not None else [])
    return _raw_fetch(
        f"""SELECT count(*), count(*) FILTER (WHERE status = ANY(%s))
            FROM (SELECT DISTINCT ON (hh.id) hh.id, hh.status, hh.level, hh.history_type
                  FROM hazards_historicalhazard hh WHERE hh.history_date < %s {tw}
                  ORDER BY hh.id, hh.history_date DESC, hh.history_id DESC) latest
            WHERE history_type <> '-' AND status <> 'merged' AND level = 'major'""",
        [_open(), *params],
    )


def raw_hazard_page(pk: int) -> list:
    rows = _raw_fetch(f"SELECT {LEDGER_COLUMNS} {LEDGER_FROM} WHERE h.id = %s", [pk])
    rows += _raw_fetch("SELECT * FROM hazards_hazardevent WHERE hazard_id = %s ORDER BY at", [pk])
    rows += _raw_fetch(
        "SELECT * FROM hazards_historicalhazard WHERE id = %s ORDER BY history_date", [pk]
    )
    rows += _raw_fetch("SELECT * FROM hazards_attachment WHERE hazard_id = %s", [pk])
    rows += _raw_fetch("SELECT * FROM enforcement_listing WHERE hazard_id = %s", [pk])
    return rows


def raw_export(township_id, found_after: datetime.date) -> bytes:
    """The same rows as the export, fetched by psycopg and written by openpyxl alone (write-only,
    plain cells)."""
    from django.db import connection, transaction
    from openpyxl import Workbook

    where, params = _where(township_id, "h.found_on >= %s")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("ledger")
    ws.append([f"c{i}" for i in range(20)])
    connection.ensure_connection()
    with transaction.atomic(), connection.connection.cursor(name="bench_export") as cur:
        cur.itersize = 2000
        cur.execute(
            f"""SELECT h.ledger_number, e.name, e.credit_code, t.name, s.name, d.name, h.level,
                  h.source, h.found_on, h.found_by, h.location, h.description, c.clause,
                  h.status, r.deadline, r.deadline < now()::date, r.responsible_unit,
                  r.responsible_person, r.funds, h.closed_at AT TIME ZONE 'Asia/Shanghai'
                {LEDGER_FROM} WHERE {where} ORDER BY h.found_on DESC, h.id DESC""",
            [*params, found_after],
        )
        for row in cur:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- the cases --------------------------------------------------------------------------------


def _consume(response) -> int:
    """Status check and the whole body (streamed responses too)."""
    if response.status_code != 200:
        raise RuntimeError(f"{response.request['PATH_INFO']}: HTTP {response.status_code}")
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _get(client, url: str) -> Callable[[], int]:
    return lambda: _consume(client.get(url))


def build_cases(
    *, roles: list[str], export_rows: int, with_report: bool = True, with_pdf: bool = True
) -> list[Case]:
    from django.core.cache import cache
    from django.test import Client

    from campaigns.models import Township, User
    from enforcement.models import Listing
    from hazards.models import Hazard

    township = Township.objects.order_by("pk").first()
    users = {
        "office": User.objects.get(username="office"),
        "township": User.objects.get(username=f"tw_{township.code}"),
    }
    superuser, _created = User.objects.get_or_create(
        username="bench_superuser", defaults={"is_superuser": True, "is_staff": True}
    )
    admin = Client()
    admin.force_login(superuser)
    admin_list = "/admin/hazards/hazard/"

    def clear_cache() -> None:
        cache.clear()

    cases: list[Case] = []
    for role in roles:
        client = Client()
        client.force_login(users[role])
        tw_id = township.pk if role == "township" else None
        tw_q = f"township__id__exact={township.pk}&" if tw_id else ""
        visible = Hazard.objects.visible_to(users[role]).ledger()
        sample = visible.order_by("-found_on", "-pk").values_list("pk", flat=True)[:1]
        hazard_pk = sample[0] if sample else None
        # the newest `export_rows` ledger rows: found on or after this day
        edge = list(
            visible.order_by("-found_on").values_list("found_on", flat=True)[
                export_rows - 1 : export_rows
            ]
        )
        found_after = edge[0] if edge else datetime.date(2000, 1, 1)
        as_of = datetime.date.today() - datetime.timedelta(days=90)
        n_visible = visible.count()
        admin_pages = max(1, -(-n_visible // 100))  # the admin shows 100 a page
        api_deep = min(200, max(1, -(-n_visible // 50)))  # page 200 of 50, or the last

        def admin_page(offset: int, pages=admin_pages) -> int:
            return min(offset // 100 + 1, pages)  # past the end the admin redirects

        cases += [
            Case(
                "ledger page 1",
                role,
                _get(client, "/hazards/"),
                lambda tw=tw_id: raw_ledger_page(tw),
                _get(admin, f"{admin_list}?{tw_q}"),
            ),
            Case(
                f"ledger page {DEEP_PAGE}",
                role,
                _get(client, f"/hazards/?page={DEEP_PAGE}"),
                lambda tw=tw_id: raw_ledger_page(tw, offset=(DEEP_PAGE - 1) * PAGE_SIZE),
                # the admin shows 100 a page: the same offset
                _get(admin, f"{admin_list}?{tw_q}p={admin_page((DEEP_PAGE - 1) * PAGE_SIZE)}"),
            ),
            Case(
                "ledger filtered (status+level)",
                role,
                _get(client, "/hazards/?status=rectifying&level=major"),
                lambda tw=tw_id: raw_ledger_page(
                    tw,
                    extra="h.status = 'rectifying' AND h.level = 'major'",
                ),
                _get(admin, f"{admin_list}?{tw_q}status__exact=rectifying&level__exact=major"),
            ),
            Case(
                "ledger keyword search",
                role,
                _get(client, f"/hazards/?q={KEYWORD}"),
                lambda tw=tw_id: raw_ledger_page(
                    tw, extra=KEYWORD_SQL, extra_params=_keyword_params(KEYWORD)
                ),
                _get(admin, f"{admin_list}?{tw_q}q={KEYWORD}"),
            ),
            Case(
                "hazards API page_size=50",
                role,
                _get(client, "/api/v1/hazards/?page_size=50"),
                lambda tw=tw_id: raw_ledger_page(tw, limit=50),
                _get(admin, f"{admin_list}?{tw_q}"),
            ),
            Case(
                f"hazards API page {api_deep}",
                role,
                _get(client, f"/api/v1/hazards/?page_size=50&page={api_deep}"),
                lambda tw=tw_id, p=api_deep: raw_ledger_page(tw, limit=50, offset=(p - 1) * 50),
                _get(admin, f"{admin_list}?{tw_q}p={admin_page((api_deep - 1) * 50)}"),
            ),
            Case(
                "statistics page",
                role,
                _get(client, "/hazards/statistics/"),
                lambda tw=tw_id: raw_statistics_summary(tw),
                live=lambda tw=tw_id: raw_statistics(tw),
            ),
            Case(
                "statistics API",
                role,
                _get(client, "/api/v1/hazard-statistics/"),
                lambda tw=tw_id: raw_statistics_summary(tw),
                live=lambda tw=tw_id: raw_statistics(tw),
            ),
            Case(
                "dashboard cold",
                role,
                _get(client, "/dashboard/"),
                lambda tw=tw_id: raw_dashboard_summary(tw),
                before=clear_cache,
                live=lambda tw=tw_id: raw_dashboard(tw),
            ),
            Case(
                "dashboard warm",
                role,
                _get(client, "/dashboard/"),
                lambda tw=tw_id: raw_dashboard_summary(tw),
                note="raw = reading the figures; the warm page reads them from the cache",
            ),
            Case(
                "dashboard as_of -90 d",
                role,
                _get(client, f"/dashboard/?as_of={as_of.isoformat()}"),
                lambda tw=tw_id, day=as_of: raw_as_of(day, tw),
                before=clear_cache,
                runs=1,  # 20–90 s a run at 1M: replays the history
            ),
        ]
        if hazard_pk:
            cases.append(
                Case(
                    "hazard page",
                    role,
                    _get(client, f"/hazards/{hazard_pk}/"),
                    lambda pk=hazard_pk: raw_hazard_page(pk),
                    _get(admin, f"{admin_list}{hazard_pk}/change/"),
                )
            )
        cases.append(
            Case(
                f"Excel export {export_rows:,} rows",
                role,
                _get(client, f"/hazards/export.xlsx?found_after={found_after.isoformat()}"),
                lambda tw=tw_id, day=found_after: raw_export(tw, day),
                runs=1,
                note=f"found_after={found_after}; raw = psycopg + openpyxl alone",
            )
        )
        listing = (
            Listing.objects.filter(hazard__in=visible).order_by("pk").first()
            if "enforcement" in _apps()
            else None
        )
        if listing and with_pdf:
            cases.append(
                Case(
                    "supervision notice PDF",
                    role,
                    _get(client, f"/supervision/{listing.pk}/notice.pdf"),
                    lambda pk=listing.pk: _notice_alone(pk),
                    runs=3,
                    note="raw = WeasyPrint rendering the same HTML alone",
                )
            )
        if with_report and role == "office":
            cases.append(_report_case(role))
        if role == "office":
            cases.append(
                Case(
                    "figures summary rebuild (beat job)",
                    role,
                    _rebuild,
                    raw_figure_groups,
                    runs=1,
                    note="raw = the grouped scan alone (psycopg); ours adds writing the rows",
                )
            )
    return cases


def _rebuild() -> None:
    from hazards.services import hazard_figures_refresh

    hazard_figures_refresh(force=True)


def _apps() -> set[str]:
    from django.conf import settings

    return set(settings.INSTALLED_APPS)


def _notice_html(pk: int) -> str:
    """The HTML the notice view renders (captured from enforcement.pdf's template step)."""
    from unittest import mock

    from enforcement import pdf
    from enforcement.models import Listing

    captured = {}
    real = pdf.render_to_string

    def capture(template, context):
        captured["html"] = real(template, context)
        return "<p></p>"

    with mock.patch.object(pdf, "render_to_string", capture):
        pdf.listing_notice_pdf(Listing.objects.select_related("hazard").get(pk=pk))
    return captured["html"]


_NOTICE_HTML: dict[int, str] = {}


def _notice_alone(pk: int) -> bytes:
    from weasyprint import HTML

    if pk not in _NOTICE_HTML:
        _NOTICE_HTML[pk] = _notice_html(pk)
    return HTML(string=_NOTICE_HTML[pk]).write_pdf()


def _report_case(role: str) -> Case:
    """The county's quarterly report for the current quarter: sections + HTML + PDF + Excel
    (what the Celery task builds) against WeasyPrint rendering the same HTML alone."""
    from django.utils import timezone

    from campaigns.reports.exports import report_html, report_xlsx
    from campaigns.reports.models import Report
    from campaigns.reports.services import period_parse, report_sections_build, scope_parse
    from yixian_safety.dates import today_local

    today = today_local()
    key = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    report = Report(
        kind="quarterly",
        period=key,
        scope_kind="county",
        scope_key="county",
        version=1,
        document_number="黟安办〔2026〕0号",
    )
    html_box: dict[str, str] = {}

    def ours():
        from weasyprint import HTML

        period, scope = period_parse("quarterly", key), scope_parse("county")
        built = report_sections_build(period, scope)
        now = timezone.now()
        html = report_html(report, built, built_at=now)
        html_box["html"] = html
        HTML(string=html).write_pdf()
        report_xlsx(report, built, built_at=now)

    def alone():
        from weasyprint import HTML

        if "html" not in html_box:
            ours()
        HTML(string=html_box["html"]).write_pdf()

    return Case(
        f"quarterly report {key} (county)",
        role,
        ours,
        alone,
        runs=1,
        note="raw = WeasyPrint rendering the same HTML alone",
    )


# --- running and printing ---------------------------------------------------------------------


def run(
    *,
    runs: int = 5,
    roles: list[str] | None = None,
    only: str = "",
    export_rows: int = 100_000,
    with_report: bool = True,
    with_pdf: bool = True,
    warmup: bool = True,
    with_live: bool = True,
    out=sys.stdout,
) -> list[Result]:
    """Run the cases (``only``: substring of a case name) and print the table; returns the
    results."""
    from django.conf import settings
    from django.test.utils import override_settings

    # as the tests do: no collectstatic manifest needed (the pages only name the files)
    overrides = override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    overrides.enable()
    try:
        results = []
        cases = build_cases(
            roles=roles or ["office", "township"],
            export_rows=export_rows,
            with_report=with_report,
            with_pdf=with_pdf,
        )
        for case in cases:
            if only and only not in case.name:
                continue
            n = case.runs or runs
            ours = measure(case.ours, n, before=case.before, warmup=warmup)
            raw = measure(case.raw, n, warmup=warmup) if case.raw else None
            admin = measure(case.admin, n, warmup=warmup) if case.admin else None
            live = measure(case.live, 1, warmup=False) if case.live and with_live else None
            result = Result(case, ours, raw, admin, live, os.getloadavg()[0])
            results.append(result)
            print(_line(result), file=out, flush=True)
        return results
    finally:
        overrides.disable()


HEADER = (
    f"{'case':<34} {'role':<8} {'median':>8} {'p95':>8} {'queries':>7} {'peak MB':>8}"
    f" {'raw':>8} {'÷raw':>6} {'admin':>8} {'÷admin':>7} {'live':>8} {'load':>5}"
)


def _fmt(x: float | None, pattern: str) -> str:
    return pattern.format(x) if x is not None else "—"


def _line(r: Result) -> str:
    return (
        f"{r.case.name:<34} {r.case.role:<8} {r.ours.median:8.3f} {r.ours.p95:8.3f}"
        f" {r.ours.queries:>7} {r.ours.peak_mb:8.0f}"
        f" {_fmt(r.raw.median if r.raw else None, '{:8.3f}'):>8}"
        f" {_fmt(r.ratio(r.raw), '{:6.2f}'):>6}"
        f" {_fmt(r.admin.median if r.admin else None, '{:8.3f}'):>8}"
        f" {_fmt(r.ratio(r.admin), '{:7.2f}'):>7}"
        f" {_fmt(r.live.median if r.live else None, '{:8.3f}'):>8}"
        f" {_fmt(r.load, '{:5.1f}'):>5}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--role", choices=["office", "township"], action="append")
    parser.add_argument("--case", default="", help="only cases whose name contains this")
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection

    from hazards.models import Hazard

    print(
        f"{connection.vendor}, {Hazard.objects.count():,} hazards; load {os.getloadavg()};"
        f" {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(HEADER)
    run(
        runs=args.runs,
        roles=args.role,
        only=args.case,
        export_rows=args.export_rows,
        with_report=not args.no_report,
    )
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
