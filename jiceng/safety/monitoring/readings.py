"""The readings table: its DDL per database, monthly partitions, and the bulk writers.

PostgreSQL: ``safety_monitoring_reading`` is ``PARTITION BY RANGE (ts)`` with one partition per
calendar month (UTC) named ``safety_monitoring_reading_yYYYYmMM``, created ahead of time by
``ensure_partitions`` (and on demand for a month a batch reaches), plus a DEFAULT partition so that a
reading is never refused for want of a partition. A batch is COPYed into a temporary staging table
and moved with ``INSERT … ON CONFLICT DO NOTHING``: a redelivered reading is counted, not stored twice.

SQLite (embedded demo): a plain table ``WITHOUT ROWID`` keyed by ``(sensor_id, ts)`` and
``INSERT OR IGNORE``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

TABLE = "safety_monitoring_reading"
STAGE = "safety_monitoring_reading_stage"
SQLITE_DDL = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (sensor_id bigint NOT NULL, ts datetime NOT NULL, value real NOT NULL, "
    "PRIMARY KEY (sensor_id, ts)) WITHOUT ROWID",
]
POSTGRES_DDL = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (sensor_id bigint NOT NULL, ts timestamptz NOT NULL, "
    "value double precision NOT NULL, PRIMARY KEY (sensor_id, ts)) PARTITION BY RANGE (ts)",
    f"CREATE TABLE IF NOT EXISTS {TABLE}_default PARTITION OF {TABLE} DEFAULT",
]
DROP_DDL = [f"DROP TABLE IF EXISTS {TABLE}"]

Row = tuple[int, dt.datetime, float]

_known_partitions: set[str] = set()


def is_postgres(conn: Any = None) -> bool:
    return (conn or connection).vendor == "postgresql"


def month_start(moment: dt.datetime) -> dt.date:
    utc = moment.astimezone(dt.UTC)
    return dt.date(utc.year, utc.month, 1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def ensure_partition(month: dt.date, conn: Any = None) -> str:
    """The monthly partition holding ``month`` (created if missing; PostgreSQL only).

    Rows of that month already in the DEFAULT partition are moved into the new partition first
    (PostgreSQL refuses to attach a partition whose range the default holds rows for).
    """
    conn = conn or connection
    name = partition_name(month)
    if name in _known_partitions or not is_postgres(conn):
        return name
    start, end = month.isoformat(), next_month(month).isoformat()
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        # several ingest workers may reach a new month at once: one creates, the others find it
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [TABLE])
        cursor.execute("SELECT to_regclass(%s)", [name])
        if cursor.fetchone()[0] is None:
            bounds = f"FROM ('{start} 00:00:00+00') TO ('{end} 00:00:00+00')"
            cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
            cursor.execute(
                f"WITH moved AS (DELETE FROM {TABLE}_default WHERE ts >= %s AND ts < %s RETURNING *) "  # noqa: S608
                f"INSERT INTO {name} SELECT * FROM moved",
                [f"{start}T00:00:00+00:00", f"{end}T00:00:00+00:00"],
            )
            cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES {bounds}")
        # DDL is transactional: remember the partition only once it is committed
        transaction.on_commit(lambda: _known_partitions.add(name), using=conn.alias)
    return name


def ensure_partitions(now: dt.datetime, months_ahead: int = 2, months_back: int = 1, conn: Any = None) -> list[str]:
    """Partitions for the months around ``now`` (the ingest calls this at start and monthly)."""
    month = month_start(now)
    for _ in range(months_back):
        month = dt.date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    names = []
    for _ in range(months_back + months_ahead + 1):
        names.append(ensure_partition(month, conn))
        month = next_month(month)
    return names


def forget_partitions() -> None:
    """Drop the per-process cache (tests that recreate the schema)."""
    _known_partitions.clear()


def list_partitions(conn: Any = None) -> list[str]:
    conn = conn or connection
    if not is_postgres(conn):
        return []
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s ORDER BY c.relname",
            [TABLE],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_readings(rows: Sequence[Row], conn: Any = None) -> int:
    """Store ``rows`` (sensor id, aware ts, value) in the caller's transaction; how many were new."""
    if not rows:
        return 0
    conn = conn or connection
    if is_postgres(conn):
        return _insert_postgres(rows, conn)
    return _insert_sqlite(rows, conn)


def _insert_postgres(rows: Sequence[Row], conn: Any) -> int:
    for month in {month_start(ts) for _sensor, ts, _value in rows}:
        ensure_partition(month, conn)
    with conn.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (sensor_id bigint, ts timestamptz, value double precision) "
            "ON COMMIT DELETE ROWS"
        )
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {STAGE} (sensor_id, ts, value) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {TABLE} (sensor_id, ts, value) SELECT sensor_id, ts, value FROM {STAGE} "  # noqa: S608
            "ON CONFLICT DO NOTHING"
        )
        inserted = cursor.rowcount
        cursor.execute(f"TRUNCATE {STAGE}")
    return int(inserted)


def _insert_sqlite(rows: Sequence[Row], conn: Any) -> int:
    with conn.cursor() as cursor:
        before = conn.connection.total_changes
        cursor.executemany(
            f"INSERT OR IGNORE INTO {TABLE} (sensor_id, ts, value) VALUES (%s, %s, %s)",  # noqa: S608
            [(sensor, conn.ops.adapt_datetimefield_value(ts), value) for sensor, ts, value in rows],
        )
        return int(conn.connection.total_changes - before)


def drop_readings_before(cutoff: dt.date, conn: Any = None) -> int:
    """Retention: drop whole monthly partitions ending on or before ``cutoff`` (PostgreSQL), or delete
    the rows (SQLite). Returns partitions dropped or rows deleted."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if not is_postgres(conn):
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE ts < %s",  # noqa: S608
                [conn.ops.adapt_datetimefield_value(dt.datetime.combine(cutoff, dt.time.min, tzinfo=dt.UTC))],
            )
            return int(cursor.rowcount)
        dropped = 0
        for name in list_partitions(conn):
            if not name.startswith(f"{TABLE}_y"):
                continue
            year, month = int(name[-7:-3]), int(name[-2:])
            if next_month(dt.date(year, month, 1)) <= cutoff:
                cursor.execute(f"DROP TABLE {name}")
                _known_partitions.discard(name)
                dropped += 1
        return dropped
