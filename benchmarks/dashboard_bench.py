"""Dashboard at scale: build N hazards, then time the dashboard and count its queries.

Everything runs inside one transaction that is rolled back: the database is left as it was.
Rows are bulk-inserted (not through the services) — this measures reads, not the lifecycle.

    .venv/bin/python benchmarks/dashboard_bench.py 2000 20000     # hazard counts to try
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yixian .venv/bin/python benchmarks/...

Prints, per size: seconds for the safety office's and a township's dashboard (uncached) and the
number of SQL queries — which must not grow with the data.
"""

import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yixian_safety.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from campaigns.dashboard.selectors import build_dashboard  # noqa: E402
from campaigns.models import Role, Sector, Township, User  # noqa: E402
from campaigns.org.services import roles_sync, user_create  # noqa: E402
from campaigns.plan.services import plan_load  # noqa: E402
from hazards.models import Enterprise, Hazard, Rectification, Status  # noqa: E402


class Rollback(Exception):
    pass


def populate(n: int, rng: random.Random, actor) -> None:
    townships = list(Township.objects.all())
    sectors = list(Sector.objects.prefetch_related("lead_departments"))
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"基准企业{i}",
                credit_code=f"BENCH{n:06d}{i:07d}",
                township=rng.choice(townships),
                principal_name="某某",
            )
            for i in range(max(1, n // 3))
        ]
    )
    statuses = [
        Status.REPORTED,
        Status.CONFIRMED,
        Status.RECTIFYING,
        Status.CLOSED,
        Status.CLOSED,
        Status.REJECTED,
    ]
    hazards = []
    for i in range(n):
        e = rng.choice(enterprises)
        sector = rng.choice(sectors)
        found = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1420))
        hazards.append(
            Hazard(
                ledger_number=f"BM-{n}-{i:07d}",
                enterprise=e,
                township=e.township,
                sector=sector,
                supervising_department=sector.lead_departments.all()[0],
                level=rng.choice(["major", "major", "general"]),
                source="inspection",
                found_on=found,
                found_by="基准",
                location="-",
                description="-",
                status=rng.choice(statuses),
                reported_by=actor,
            )
        )
    Hazard.objects.bulk_create(hazards, batch_size=2000)
    Rectification.objects.bulk_create(
        [
            Rectification(
                hazard=h, deadline=h.found_on + datetime.timedelta(days=rng.randrange(30, 400))
            )
            for h in hazards
            if h.status in (Status.RECTIFYING, Status.CLOSED)
        ],
        batch_size=2000,
    )


def measure(user, label: str) -> None:
    today = datetime.date.today()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        build_dashboard(user, as_of=today, today=today)
        seconds = time.perf_counter() - start
    print(f"  {label:<10} {seconds:7.3f} s  {len(ctx.captured_queries):4d} queries")


def main(sizes: list[int]) -> None:
    rng = random.Random(7)
    print(f"database: {connection.vendor}")
    for n in sizes:
        try:
            with transaction.atomic():
                if not Township.objects.exists():
                    plan_load()
                    roles_sync()
                office = user_create(
                    username="bench_office", password="Bench-pass-2024!", role=Role.SAFETY_OFFICE
                )
                township = user_create(
                    username="bench_tw",
                    password="Bench-pass-2024!",
                    role=Role.TOWNSHIP_OFFICIAL,
                    township=Township.objects.first(),
                )
                start = time.perf_counter()
                populate(n, rng, office)
                print(f"{n} hazards (inserted in {time.perf_counter() - start:.1f} s)")
                measure(office, "office")
                measure(township, "township")
                raise Rollback
        except Rollback:
            pass
    assert not User.objects.filter(username="bench_office").exists()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
