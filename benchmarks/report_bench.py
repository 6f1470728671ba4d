"""The county's quarterly report at scale: N extra hazards on top of what the database holds
(the demo, after `make run`), then time the report's parts and WeasyPrint alone.

Everything runs inside one transaction that is rolled back: the database is left as it was.

    .venv/bin/python benchmarks/report_bench.py 0 20000      # extra hazard counts to try
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yixian .venv/bin/python benchmarks/...

Prints, per size: seconds and SQL queries of the sections, seconds of the whole build (sections
+ HTML + PDF + Excel), seconds of WeasyPrint rendering the same HTML alone, their ratio (target
≤ 1.2: the app's own cost is the queries, not the rendering) and the process's peak memory.
"""

import datetime
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yixian_safety.settings")

import django  # noqa: E402

django.setup()

from dashboard_bench import Rollback, populate  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns.models import Role, Township  # noqa: E402
from campaigns.org.services import roles_sync, user_create  # noqa: E402
from campaigns.plan.services import plan_load  # noqa: E402
from campaigns.reports.exports import report_html, report_xlsx  # noqa: E402
from campaigns.reports.models import Report  # noqa: E402
from campaigns.reports.registry import sections  # noqa: E402
from campaigns.reports.services import period_parse, report_sections_build, scope_parse  # noqa: E402


def measure(period_key: str) -> None:
    from weasyprint import HTML

    report = Report(
        kind="quarterly",
        period=period_key,
        scope_kind="county",
        scope_key="county",
        version=1,
        document_number="黟安办〔2026〕0号",
    )
    period, scope = period_parse("quarterly", period_key), scope_parse("county")
    for section in sections():  # each section alone (second run: warm caches)
        t = time.perf_counter()
        section.build(period, scope)
        print(f"    {section.key:<12} {time.perf_counter() - t:6.2f} s")
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        built = report_sections_build(period, scope)
    sections_s = time.perf_counter() - start
    now = timezone.now()
    html = report_html(report, built, built_at=now)
    pdf = HTML(string=html).write_pdf()
    report_xlsx(report, built, built_at=now)
    total_s = time.perf_counter() - start
    alone = time.perf_counter()
    HTML(string=html).write_pdf()
    alone_s = time.perf_counter() - alone
    rows = sum(len(t[2]) for b in built for t in b.data.tables)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  sections {sections_s:6.2f} s ({len(ctx.captured_queries)} queries, {rows} rows)"
        f"  build {total_s:6.2f} s  WeasyPrint alone {alone_s:6.2f} s"
        f"  ratio {total_s / alone_s:4.2f}  PDF {len(pdf) // 1024} KiB  peak {peak_mb:.0f} MB"
    )


def main(sizes: list[int]) -> None:
    rng = random.Random(7)
    print(f"database: {connection.vendor}; county quarterly report")
    for n in sizes:
        try:
            with transaction.atomic():
                if not Township.objects.exists():
                    plan_load()
                    roles_sync()
                office = user_create(
                    username="bench_office", password="Bench-pass-2024!", role=Role.SAFETY_OFFICE
                )
                if n:
                    populate(n, rng, office)
                for period_key in ("2026-Q3", "2026-Q4"):  # a past quarter (history), the current
                    print(f"+{n} hazards, {period_key}")
                    measure(period_key)
                raise Rollback
        except Rollback:
            pass


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [0, 20000])
    print(f"today {datetime.date.today()}")
