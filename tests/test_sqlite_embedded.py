"""The embedded demo (SQLite, no DATABASE_URL) takes two users at once: a write transaction
waits for another one instead of failing with ``database is locked`` (a 500).

Found by the probe of 2026-12-01: signing in as ``admin`` while another browser used the API
answered 500 — every API call writes the DB rate-limit cache, and SQLite's deferred
transactions (read, then write) deadlock against a concurrent writer and fail at once, without
waiting. Runs in a subprocess: the suite's database is PostgreSQL."""

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import os, threading, time
    import django
    os.environ["DJANGO_SETTINGS_MODULE"] = "yixian_safety.settings"
    django.setup()
    from django.db import connection, connections, transaction

    with connection.cursor() as c:
        c.execute("create table t (n integer)")
        c.execute("insert into t values (0)")
    connections.close_all()
    errors, inside = [], threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                with connection.cursor() as c:
                    c.execute("update t set n = n + 1")
                inside.set()
                time.sleep(1)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def read_then_write():
        inside.wait()
        try:
            with transaction.atomic():
                with connection.cursor() as c:
                    c.execute("select n from t")
                    c.fetchall()
                    c.execute("update t set n = n + 1")
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=read_then_write)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with connection.cursor() as c:
        c.execute("select n from t")
        print("n =", c.fetchone()[0], "errors =", errors)
    """
)


def test_two_concurrent_write_transactions_on_the_embedded_sqlite_both_succeed(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "test-only",
        "FIELD_ENCRYPTION_KEY": "dGVzdC1vbmx5LXRlc3Qtb25seS10ZXN0LW9ubHktMDA=",
    }
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "n = 2 errors = []", out.stdout + out.stderr[-1000:]
