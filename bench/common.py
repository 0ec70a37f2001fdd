"""Shared helpers for the benchmarks: the bench database, Django set-up, timing, results.

Every bench module ``bench/bench_<name>.py`` defines ``run(ctx) -> list[Result]``. Figures are
reported as ratios to a baseline measured in the same run (bare SQL for the same work), because
absolute milliseconds say more about the machine than about the code.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jiceng_bench"


def bench_url() -> str:
    """The bench database (PostgreSQL on 127.0.0.1:5432, user postgres); ``JICENG_BENCH_DATABASE_URL`` overrides."""
    return os.environ.get("JICENG_BENCH_DATABASE_URL", DEFAULT_URL)


@dataclass
class Context:
    """What the runner passes to every ``run(ctx)``."""

    rows: int = 1_000_000
    repeat: int = 20
    warmup: int = 3
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Timing:
    samples: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass
class Result:
    """One figure. ``value`` is p50 for timings; ``ratio`` is value / the baseline's value."""

    name: str
    value: float
    unit: str
    note: str = ""
    p95: float | None = None
    n: int = 0
    baseline: str = ""
    ratio: float | None = None


def timed(name: str, timing: Timing, *, note: str = "", baseline: Result | None = None) -> Result:
    """A Result (seconds, p50/p95) from a Timing, as a ratio to ``baseline`` when given."""
    ratio = timing.p50 / baseline.value if baseline is not None and baseline.value else None
    return Result(
        name,
        timing.p50,
        "s",
        note,
        p95=timing.p95,
        n=len(timing.samples),
        baseline=baseline.name if baseline is not None else "",
        ratio=ratio,
    )


def measure(fn: Callable[[], Any], *, repeat: int, warmup: int) -> Timing:
    """Call ``fn`` ``warmup`` times untimed, then ``repeat`` times under ``time.perf_counter``."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return Timing(samples)


def ensure_database(url: str | None = None) -> None:
    """Create the bench database when it does not exist yet."""
    import psycopg
    from psycopg import sql

    url = url or bench_url()
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str | None = None) -> None:
    """Point Django at the bench database (created if missing) and migrate it."""
    url = url or bench_url()
    ensure_database(url)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("JICENG_DEBUG", "1")  # a throw-away database; no secret key needed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.settings_dict["NAME"] != url.rsplit("/", 1)[1]:
        raise RuntimeError(
            f"Django is already set up for {connection.settings_dict['NAME']!r}; run each bench in its own "
            "process (python -m bench does)."
        )

    call_command("migrate", verbosity=0)


def marker(name: str) -> str | None:
    """The value stored under ``name`` in the bench's own ``bench_marker`` table (None if absent)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_marker (name text PRIMARY KEY, value text NOT NULL)")
        cursor.execute("SELECT value FROM bench_marker WHERE name = %s", [name])
        row = cursor.fetchone()
    return row[0] if row else None


def set_marker(name: str, value: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_marker (name, value) VALUES (%s, %s) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
            [name, value],
        )


def vacuum_analyze(*tables: str) -> None:
    """VACUUM ANALYZE outside a transaction (fresh statistics and visibility map after a bulk load)."""
    import psycopg

    with psycopg.connect(bench_url(), autocommit=True) as conn:
        for table in tables:
            conn.execute(f"VACUUM ANALYZE {table}")
