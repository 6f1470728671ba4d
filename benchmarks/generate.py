"""Fill PostgreSQL with a synthetic province-scale dataset (issue 19).

    createdb -h 127.0.0.1 -U postgres yixian_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/yixian_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python benchmarks/generate.py --hazards 1000000          # ≈ minutes

What it writes (all invented; ``--enterprises`` defaults to hazards / 10):

- the seed: the plan (``plan_load``: townships, departments, sectors), roles and the demo
  accounts (``office``, ``tw_<township>``, ``dept_<department>``, ``admin``);
- enterprises (one sector each) and their ``+`` history rows;
- hazards: found 2023-01-01 … today, 40 % major, a realistic mix of statuses (half closed, one in
  ten rejected, 3 % merged into another report), Chinese descriptions drawn from a vocabulary
  (so a keyword search finds a few hundred, not all or none);
- rectifications (five implementations) for every hazard past confirmation, a deadline 30–240
  days after it was found, closed ones closed before or after it;
- change history (simple-history): a ``+`` row when reported and a ``~`` row at its last change
  for every hazard that moved; events (``reported`` and the last step);
- supervision listings (挂牌督办) for 1 % of the open major hazards; training sessions and
  inspections (one per 20 enterprises).

Speed: rows go in through ``COPY`` (psycopg ``cursor.copy``); the non-unique indexes of the big
tables are dropped first and rebuilt afterwards; foreign-key triggers are off during the load
(``session_replication_role = replica``: the generated rows are consistent by construction);
``ANALYZE`` at the end, then the figures summary of the dashboard and the statistics is rebuilt
(``hazards.services.hazard_figures_refresh``), as beat keeps it. Running it again replaces the generated rows (TRUNCATE of the ledger
tables), never the seed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yixian_safety.settings")

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Tables the generator owns (emptied before a run). Order matters only for readability: the
# TRUNCATE is one statement with CASCADE.
GENERATED_TABLES = [
    "hazards_enterprise",
    "hazards_enterprise_sectors",
    "hazards_historicalenterprise",
    "hazards_hazard",
    "hazards_rectification",
    "hazards_historicalhazard",
    "hazards_historicalrectification",
    "hazards_hazardevent",
    "enforcement_listing",
    "training_trainingsession",
    "enforcement_inspection",
    "hazards_hazardfigure",  # the figures summary: rebuilt at the end
]
# Big tables whose secondary indexes are dropped during the load and rebuilt after it.
INDEXED_TABLES = [
    "hazards_enterprise_sectors",
    "hazards_hazard",
    "hazards_rectification",
    "hazards_historicalhazard",
    "hazards_historicalrectification",
    "hazards_hazardevent",
    "hazards_historicalenterprise",
]

STATUS_MIX = [  # (status, weight)
    ("closed", 50),
    ("rectifying", 14),
    ("rejected", 10),
    ("confirmed", 8),
    ("reported", 7),
    ("awaiting_acceptance", 3),
    ("accepted", 3),
    ("merged", 5),
]
WITH_RECTIFICATION = {"rectifying", "awaiting_acceptance", "accepted", "closed"}
SOURCES = [("inspection", 60), ("self_report", 35), ("tip_off", 5)]
PLACES = ["车间", "仓库", "配电房", "锅炉房", "厨房", "楼梯间", "屋顶", "地下室", "罐区", "码头"]
DEFECTS = [
    "消防通道堵塞",
    "安全出口锁闭",
    "电气线路老化",
    "可燃气体报警器失效",
    "粉尘清扫不及时",
    "有限空间未审批作业",
    "防爆电器不符合要求",
    "燃气管道腐蚀",
    "脚手架未验收",
    "特种设备未检验",
    "危化品超量储存",
    "未设置防护栏",
    "应急照明损坏",
    "灭火器过期",
    "违规动火作业",
]
WORDS = "检查发现现场存在隐患需要立即整改落实责任人员资金时限预案并加强日常巡查管理".split()


def _weighted(rng: random.Random, mix):
    items, weights = zip(*mix, strict=True)
    return rng.choices(items, weights=weights, k=1)[0]


def _aware(day: datetime.date, seconds: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI) + datetime.timedelta(
        seconds=seconds
    )


def _uscc(n: int) -> str:
    """A valid 统一社会信用代码 (check digit by python-stdnum), unique per ``n``."""
    from stdnum.cn import uscc

    body = f"91341023{n:09d}"
    return body + uscc.calc_check_digit(body)


def seed() -> dict:
    """The plan, roles and the demo accounts (idempotent); returns the ids the rows refer to."""
    import django

    django.setup()
    from django.db import transaction

    from campaigns.models import Department, Sector, Township, User
    from campaigns.org import demo as org_demo
    from campaigns.org.services import roles_sync
    from campaigns.plan.services import plan_load

    with transaction.atomic():
        plan_load()
        roles_sync()
        if not User.objects.filter(username="office").exists():
            org_demo.build(rng=random.Random(2024))
    sectors = list(Sector.objects.prefetch_related("lead_departments").order_by("pk"))
    return {
        "townships": list(Township.objects.order_by("pk").values_list("pk", flat=True)),
        "sectors": [(s.pk, [d.pk for d in s.lead_departments.all()]) for s in sectors],
        "departments": list(Department.objects.filter(is_lead=True).values_list("pk", flat=True)),
        "office": User.objects.get(username="office").pk,
        "users": list(User.objects.values_list("pk", flat=True)),
    }


def _index_definitions(cur, tables: list[str]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX …) of the indexes that no constraint owns (primary keys and unique
    constraints stay: ids are assigned here, so they cannot clash, and COPY keeps them cheap)."""
    cur.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [tables],
    )
    return cur.fetchall()


def generate(*, hazards: int, enterprises: int, seed_value: int = 19, quiet: bool = False) -> dict:
    """Replace the generated rows with ``hazards`` hazards of ``enterprises`` enterprises;
    returns {table: rows written, "seconds": …}."""
    ids = seed()
    from django.db import connection

    rng = random.Random(seed_value)
    today = datetime.datetime.now(SHANGHAI).date()
    start_day = datetime.date(2023, 1, 1)
    span = (today - start_day).days
    written: dict[str, int] = {}
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - t0:7.1f} s] {msg}", flush=True)

    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection under Django's
    raw.autocommit = False
    with raw.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET maintenance_work_mem = '256MB'")
        cur.execute("TRUNCATE " + ", ".join(GENERATED_TABLES) + " CASCADE")
        dropped = _index_definitions(cur, INDEXED_TABLES)
        for name, _definition in dropped:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        say(f"emptied; {len(dropped)} indexes dropped")

        townships = ids["townships"]
        sectors = ids["sectors"]
        office = ids["office"]

        # --- enterprises ----------------------------------------------------------------------
        ent_township = []
        ent_sector = []
        created = _aware(start_day - datetime.timedelta(days=30), 0)
        with cur.copy(
            "COPY hazards_enterprise (id, name, credit_code, address, principal_name, "
            "principal_phone, principal_email, controller_name, controller_phone, "
            "controller_email, created_at, created_by_id, township_id) FROM STDIN"
        ) as copy:
            for i in range(1, enterprises + 1):
                tw = townships[i % len(townships)]
                ent_township.append(tw)
                ent_sector.append(sectors[rng.randrange(len(sectors))])
                copy.write_row(
                    (
                        i,
                        f"基准企业{i:07d}号{rng.choice(PLACES)}",
                        _uscc(i),
                        f"某路{i % 900 + 1}号",
                        "张三",
                        "13800000000",
                        "",
                        "",
                        "",
                        "",
                        created,
                        office,
                        tw,
                    )
                )
        with cur.copy(
            "COPY hazards_enterprise_sectors (id, enterprise_id, sector_id) FROM STDIN"
        ) as copy:
            for i in range(1, enterprises + 1):
                copy.write_row((i, i, ent_sector[i - 1][0]))
        cur.execute(
            """
            INSERT INTO hazards_historicalenterprise (id, name, credit_code, address,
              principal_name, principal_phone, principal_email, controller_name,
              controller_phone, controller_email, created_at, history_date, history_type,
              created_by_id, history_user_id, township_id)
            SELECT id, name, credit_code, address, principal_name, principal_phone,
              principal_email, controller_name, controller_phone, controller_email, created_at,
              created_at, '+', created_by_id, created_by_id, township_id
            FROM hazards_enterprise
            """
        )
        written["enterprises"] = enterprises
        say(f"{enterprises:,} enterprises")

        # --- hazards and rectifications -------------------------------------------------------
        merged = 0
        open_major: list[int] = []
        with cur.copy(
            "COPY hazards_hazard (id, ledger_number, supervision_reason, level, source, found_on,"
            " found_by, location, description, status, status_before_merge, reported_at,"
            " closed_at, enterprise_id, merged_into_id, reported_by_id, sector_id,"
            " supervising_department_id, township_id, criterion_id) FROM STDIN"
        ) as copy:
            for i in range(1, hazards + 1):
                e = rng.randrange(enterprises)
                sector_id, leads = ent_sector[e]
                found = start_day + datetime.timedelta(days=int(span * rng.random() ** 0.8))
                status = _weighted(rng, STATUS_MIX)
                level = "major" if rng.random() < 0.4 else "general"
                merged_into = None
                before_merge = ""
                if status == "merged" and i > 1:
                    merged_into = rng.randrange(1, i)
                    before_merge = "reported"
                    merged += 1
                elif status == "merged":
                    status = "reported"
                closed_at = None
                if status == "closed":
                    closed_day = min(found + datetime.timedelta(days=rng.randrange(10, 300)), today)
                    closed_at = _aware(closed_day, 15 * 3600)
                elif status in ("reported", "confirmed", "rectifying") and level == "major":
                    open_major.append(i)
                copy.write_row(
                    (
                        i,
                        f"BM{i:09d}",
                        "",
                        level,
                        _weighted(rng, SOURCES),
                        found,
                        "基准检查组",
                        f"{rng.choice(PLACES)}{rng.randrange(1, 30)}号",
                        f"{rng.choice(DEFECTS)}，"
                        + "".join(rng.choice(WORDS) for _ in range(rng.randrange(6, 16))),
                        status,
                        before_merge,
                        _aware(found, rng.randrange(8 * 3600, 18 * 3600)),
                        closed_at,
                        e + 1,
                        merged_into,
                        office,
                        sector_id,
                        leads[0] if leads else ids["departments"][0],
                        ent_township[e],
                        None,
                    )
                )
        # Five implementations of every hazard past confirmation; the deadline 30–239 days
        # after it was found (closed ones then fall before or after it).
        cur.execute(
            """
            INSERT INTO hazards_rectification (id, measures, responsible_unit,
              responsible_person, responsible_phone, funds, deadline, contingency_plan,
              submitted_at, hazard_id, submitted_by_id)
            SELECT row_number() OVER (ORDER BY id), '更换设备，加强巡查', '企业安全部', '李四',
              '13900000000', 1000 + (id * 7919) %% 499000,
              found_on + (30 + (id * 104729) %% 210)::int, '设置警戒，专人看守', NULL, id, NULL
            FROM hazards_hazard WHERE status = ANY(%s)
            """,
            [sorted(WITH_RECTIFICATION)],
        )
        rect_rows = cur.rowcount
        written["hazards"] = hazards
        written["rectifications"] = rect_rows
        say(f"{hazards:,} hazards, {rect_rows:,} rectifications ({merged:,} merged)")

        # --- history and events: derived in SQL from the rows just written ---------------------
        hazard_cols = (
            "id, ledger_number, supervision_reason, level, source, found_on, found_by, location,"
            " description, status, status_before_merge, reported_at, closed_at, criterion_id,"
            " enterprise_id, merged_into_id, reported_by_id, sector_id,"
            " supervising_department_id, township_id"
        )
        last_change = (
            "COALESCE(closed_at, reported_at + (((id * 7919) % 90) + 1) * interval '1 day')"
        )
        cur.execute(
            f"""
            INSERT INTO hazards_historicalhazard ({hazard_cols}, history_date, history_type,
              history_user_id)
            SELECT id, ledger_number, supervision_reason, level, source, found_on, found_by,
              location, description, 'reported', '', reported_at, NULL, criterion_id,
              enterprise_id, NULL, reported_by_id, sector_id, supervising_department_id,
              township_id, reported_at, '+', reported_by_id
            FROM hazards_hazard
            UNION ALL
            SELECT {hazard_cols}, LEAST({last_change}, now()), '~', reported_by_id
            FROM hazards_hazard WHERE status <> 'reported'
            """
        )
        written["historical hazards"] = cur.rowcount
        cur.execute(
            """
            INSERT INTO hazards_historicalrectification (id, measures, responsible_unit,
              responsible_person, responsible_phone, funds, deadline, contingency_plan,
              submitted_at, history_date, history_type, hazard_id, history_user_id,
              submitted_by_id)
            SELECT r.id, r.measures, r.responsible_unit, r.responsible_person,
              r.responsible_phone, r.funds, r.deadline, r.contingency_plan, r.submitted_at,
              h.reported_at + interval '1 day', '+', r.hazard_id, h.reported_by_id, NULL
            FROM hazards_rectification r JOIN hazards_hazard h ON h.id = r.hazard_id
            """
        )
        written["historical rectifications"] = cur.rowcount
        cur.execute(
            f"""
            INSERT INTO hazards_hazardevent (action, from_status, to_status, at, note, actor_id,
              hazard_id)
            SELECT 'reported', '', 'reported', reported_at, '', reported_by_id, id
            FROM hazards_hazard
            UNION ALL
            SELECT CASE status WHEN 'closed' THEN 'closed' WHEN 'rejected' THEN 'rejected'
                     WHEN 'merged' THEN 'merged' WHEN 'confirmed' THEN 'confirmed'
                     WHEN 'accepted' THEN 'accepted'
                     WHEN 'awaiting_acceptance' THEN 'submitted_for_acceptance'
                     ELSE 'rectification_started' END,
                   'reported', status, LEAST({last_change}, now()), '', reported_by_id, id
            FROM hazards_hazard WHERE status <> 'reported'
            """
        )
        written["events"] = cur.rowcount
        say(
            f"{written['historical hazards']:,} history rows, {written['events']:,} events,"
            f" {written['historical rectifications']:,} rectification history rows"
        )

        # --- supervision listings, training sessions, inspections -----------------------------
        listed = rng.sample(open_major, max(1, len(open_major) // 100)) if open_major else []
        with cur.copy(
            "COPY enforcement_listing (id, batch, listing_body, listed_on, required_completion,"
            " responsible_unit, requirements, document_number, status, created_at,"
            " signed_off_at, delisted_on, delisting_note, delisting_document_number,"
            " delisted_by_id, hazard_id, listed_by_id, signed_off_by_id) FROM STDIN"
        ) as copy:
            for n, hazard_id in enumerate(sorted(listed), start=1):
                copy.write_row(
                    (
                        n,
                        "基准批次",
                        "safety_office",
                        today - datetime.timedelta(days=n % 200),
                        today + datetime.timedelta(days=30 + n % 60),
                        "某单位",
                        "按期整改",
                        f"黟安督〔2026〕B{n}号",
                        "listed",
                        _aware(today, 0),
                        None,
                        None,
                        "",
                        "",
                        None,
                        hazard_id,
                        office,
                        None,
                    )
                )
        written["listings"] = len(listed)
        n_side = max(1, enterprises // 20)
        with cur.copy(
            "COPY training_trainingsession (id, title, audience, held_on, online, venue, hours,"
            " note, created_at, created_by_id, organiser_department_id, organiser_township_id)"
            " FROM STDIN"
        ) as copy:
            for n in range(1, n_side + 1):
                copy.write_row(
                    (
                        n,
                        f"基准培训{n}",
                        "principals",
                        start_day + datetime.timedelta(days=n % span),
                        False,
                        "会议室",
                        2,
                        "",
                        _aware(today, 0),
                        office,
                        None,
                        townships[n % len(townships)],
                    )
                )
        with cur.copy(
            "COPY enforcement_inspection (id, inspected_on, method, status, has_findings,"
            " findings, created_at, department_id, draw_id, enterprise_id, recorded_by_id)"
            " FROM STDIN"
        ) as copy:
            for n in range(1, n_side + 1):
                copy.write_row(
                    (
                        n,
                        start_day + datetime.timedelta(days=n % span),
                        "routine",
                        "done",
                        n % 3 == 0,
                        "",
                        _aware(today, 0),
                        ids["departments"][n % len(ids["departments"])],
                        None,
                        rng.randrange(1, enterprises + 1),
                        office,
                    )
                )
        written["training sessions"] = written["inspections"] = n_side
        say(f"{len(listed):,} listings, {n_side:,} training sessions and inspections")

        # --- identities, indexes, statistics --------------------------------------------------
        for table in GENERATED_TABLES + ["hazards_historicalhazard"]:
            column = "history_id" if table.startswith("hazards_historical") else "id"
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
                f" COALESCE((SELECT max({column}) FROM {table}), 0) + 1, false)"
            )
        raw.commit()
        say("committed; rebuilding indexes")
        for _name, definition in dropped:
            cur.execute(definition)
        cur.execute("SET session_replication_role = DEFAULT")
        raw.commit()
        say("indexes rebuilt; ANALYZE")
        raw.autocommit = True
        for table in GENERATED_TABLES + INDEXED_TABLES:
            cur.execute(f"VACUUM ANALYZE {table}")
    # The figures summary of the dashboard and the statistics, as beat keeps it (a rebuild
    # whatever its stamp says: COPY wrote the ledger behind the history's back).
    from hazards.models import HazardFigure
    from hazards.services import hazard_figures_refresh

    stamp = hazard_figures_refresh(force=True)
    written["figure groups"] = HazardFigure.objects.count()
    say(f"figures summary rebuilt ({stamp.seconds:.1f} s)")
    written["seconds"] = round(time.perf_counter() - t0, 1)
    say("done")
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--enterprises", type=int, default=None, help="default: hazards / 10")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args(argv)
    enterprises = args.enterprises or max(10, args.hazards // 10)
    written = generate(hazards=args.hazards, enterprises=enterprises, seed_value=args.seed)
    for key, value in written.items():
        print(f"  {key:<28} {value:>12,}" if isinstance(value, int) else f"  {key:<28} {value}")


if __name__ == "__main__":
    main()
