"""Bench: one deadline-scanner pass over 1,000,000 open items on PostgreSQL.

Loads ``deadlines_reminder`` in the ``jiceng_bench`` database (created and migrated if missing)
with COPY: N open reminders, ``OVERDUE_SHARE`` of them past their due time, a further
``WARN_SHARE`` inside their warning window, the rest in the future. Then, best of ``ROUNDS``
with the table reset (and vacuumed) before each run, it times:

- ``scanner``: ``scan_deadlines(now, hooks=False)`` — the three compare-and-set
  ``UPDATE … WHERE deadline_state IN (…) AND <column> <= now RETURNING id`` statements in their
  transactions, through Django;
- ``scanner+hooks``: the same with a no-op ``on_moved`` hook, i.e. plus loading every moved row
  as a model instance in batches of 1,000 (what a real hook pays before raising alerts);
- ``bare``: the same three UPDATE statements sent by psycopg directly;
- ``second pass``: the scanner again right after (moves nothing; must be fast).

Run: ``.venv/bin/python bench/bench_deadline_scan.py [--rows N]`` (PostgreSQL on 127.0.0.1:5432,
user postgres, trust auth; override with ``JICENG_BENCH_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jiceng_bench"
ROWS = 1_000_000
OVERDUE_SHARE = 0.10
WARN_SHARE = 0.05
ROUNDS = 3
BASELINE = "deadline scan: bare UPDATE statements"  # the runner reports timings as ratios to it


@dataclass
class Result:
    name: str
    value: float
    unit: str
    note: str = ""


def _ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("JICENG_DEBUG", "1")  # a throw-away database; no secret key needed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _load(rows: int, now: dt.datetime) -> None:
    from django.db import connection

    from jiceng.core.deadlines.models import Reminder

    table = Reminder._meta.db_table
    overdue = int(rows * OVERDUE_SHARE)
    warned = int(rows * WARN_SHARE)
    path = "370000000000/371500000000/371522000000/371522109000/"
    buffer = io.StringIO()
    stamp = now.isoformat()
    for i in range(rows):
        if i < overdue:
            due = now - dt.timedelta(hours=1 + i % 500)
        elif i < overdue + warned:
            due = now + dt.timedelta(hours=6 + i % 10)
        else:
            due = now + dt.timedelta(days=3 + i % 300)
        warn = due - dt.timedelta(days=1)
        escalate = due + dt.timedelta(days=2)
        day = due.date().isoformat()
        buffer.write(
            f"bench reminder {i}\t371522109000\t{path}\t{day}\t5\t1\t2\t{day}\t{due.isoformat()}\t"
            f"{warn.isoformat()}\t{escalate.isoformat()}\tpending\tf\t\t{stamp}\t{stamp}\n"
        )
    buffer.seek(0)
    columns = (
        "subject, area_code, area_path, start_on, workdays, warn_workdays, escalate_workdays, due_on, due_at, "
        "warn_at, escalate_at, deadline_state, deadline_provisional, notes, created_at, updated_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} RESTART IDENTITY")
        with cursor.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
        cursor.execute(f"ANALYZE {table}")


def _reset() -> None:
    from django.db import connection

    from jiceng.core.deadlines.models import Reminder

    table = Reminder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET deadline_state = 'pending' WHERE deadline_state <> 'pending'")
    connection.close()
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(f"VACUUM ANALYZE {table}")


def _bare(now: dt.datetime) -> int:
    """The scanner's three statements, sent by psycopg with no Django in between."""
    import psycopg

    from jiceng.core.deadlines.models import Reminder
    from jiceng.core.deadlines.scanner import TRANSITIONS, move_sql

    moved = 0
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        start = time.perf_counter()
        for target, column, sources in TRANSITIONS:
            sql, params = move_sql(Reminder, target, column, sources)
            with conn.transaction():
                moved += len(conn.execute(sql, [*params, now]).fetchall())
        elapsed = time.perf_counter() - start
    _bare.elapsed = elapsed  # type: ignore[attr-defined]
    return moved


def run(ctx: Any = None, *, rows: int | None = None) -> list[Result]:
    rows = rows or int(getattr(ctx, "rows", 0) or os.environ.get("JICENG_BENCH_ROWS", ROWS))
    url = os.environ.get("JICENG_BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    _setup_django(url)
    from jiceng.core.deadlines import registry, scanner
    from jiceng.core.deadlines.models import Reminder

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.perf_counter()
    _load(rows, now)
    load_seconds = time.perf_counter() - started
    expected = int(rows * OVERDUE_SHARE) + int(rows * WARN_SHARE)

    timings: dict[str, list[float]] = {"scanner": [], "scanner+hooks": [], "bare": [], "second pass": []}
    original = {e.model: e for e in registry.deadline_models()}
    for _round in range(ROUNDS):
        _reset()
        moved = _bare(now)
        timings["bare"].append(_bare.elapsed)  # type: ignore[attr-defined]
        assert moved == expected, (moved, expected)

        _reset()
        registry.register_deadline_model(Reminder)  # no hooks
        t0 = time.perf_counter()
        counts = scanner.scan_deadlines(now, models_=[Reminder])["deadlines.reminder"]
        timings["scanner"].append(time.perf_counter() - t0)
        assert sum(counts.values()) == expected, counts
        t0 = time.perf_counter()
        again = scanner.scan_deadlines(now, models_=[Reminder])["deadlines.reminder"]
        timings["second pass"].append(time.perf_counter() - t0)
        assert sum(again.values()) == 0, again

        _reset()
        registry.register_deadline_model(Reminder, on_moved=lambda state, objs: None)
        t0 = time.perf_counter()
        scanner.scan_deadlines(now, models_=[Reminder])
        timings["scanner+hooks"].append(time.perf_counter() - t0)
    entry = original[Reminder]
    registry.register_deadline_model(Reminder, on_moved=entry.on_moved, recompute=entry.recompute)

    best = {name: min(values) for name, values in timings.items()}
    note = f"{rows:,} open items, {expected:,} moved (overdue {OVERDUE_SHARE:.0%}, warned {WARN_SHARE:.0%}); best of {ROUNDS}"
    return [
        Result("deadline scan: COPY load", load_seconds, "s", f"{rows:,} rows"),
        Result("deadline scan: scanner pass", best["scanner"], "s", note),
        Result("deadline scan: bare UPDATE statements", best["bare"], "s", note),
        Result("deadline scan: scanner / bare", best["scanner"] / best["bare"], "x", ""),
        Result("deadline scan: scanner pass with row-loading hook", best["scanner+hooks"], "s", note),
        Result("deadline scan: second pass (nothing to move)", best["second pass"], "s", "partial indexes"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None)
    args = parser.parse_args()
    for result in run(rows=args.rows):
        print(f"{result.name:55s} {result.value:10.3f} {result.unit:2s} {result.note}")


if __name__ == "__main__":
    main()
