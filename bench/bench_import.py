"""Import of a 100,000-row person workbook, against a bare bulk insert of the same rows.

Runs in its own PostgreSQL database (``jiceng_bench_import``, recreated each run) so that the
rows of other benches never collide with the imported resident IDs.

    .venv/bin/python -m bench import          # JICENG_BENCH_IMPORT_ROWS=20000 for a quicker run
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time

from bench.common import Context, Result, bench_url

ROWS = int(os.environ.get("JICENG_BENCH_IMPORT_ROWS", "100000"))
BASELINE = "bare bulk insert"


def _database_url() -> str:
    return bench_url().rsplit("/", 1)[0] + "/jiceng_bench_import"


def _recreate(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _ids(n: int, offset: int) -> list[str]:
    from jiceng.directory.identifiers import make_id_number

    start = dt.date(1940, 1, 1)
    return [
        make_id_number("371522", start + dt.timedelta(days=(i + offset) // 1000), (i + offset) % 1000) for i in range(n)
    ]


def _workbook(ids: list[str], village: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet()
    sheet.append(["姓名", "身份证号", "所属区划代码", "联系电话"])
    for i, number in enumerate(ids):
        sheet.append([f"居民{i}", number, village, "13800000000"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run(ctx: Context) -> list[Result]:
    url = _database_url()
    _recreate(url)
    os.environ["JICENG_BENCH_DATABASE_URL"] = url
    from bench.common import setup_django

    setup_django(url)
    from jiceng.core.testing import build_cast
    from jiceng.core.transfer.registry import get_importer
    from jiceng.core.transfer.services import do_import
    from jiceng.directory.models import Person

    cast = build_cast()
    village = cast.area("东村")
    rows = min(ROWS, ctx.rows)

    bare_ids = _ids(rows, offset=0)
    start = time.perf_counter()
    Person.objects.bulk_create(
        [Person(name=f"居民{i}", id_number=n, area=village, phone="13800000000") for i, n in enumerate(bare_ids)],
        batch_size=2000,
    )
    bare = time.perf_counter() - start

    content = _workbook(_ids(rows, offset=rows), village.code)
    start = time.perf_counter()
    result = do_import(get_importer("persons"), content, file_name="bench.xlsx", acting_user=cast.township_staff)
    imported = time.perf_counter() - start
    assert result.ok and result.created == rows, result.errors[:3]

    start = time.perf_counter()
    again = do_import(get_importer("persons"), content, file_name="bench.xlsx", acting_user=cast.township_staff)
    reimported = time.perf_counter() - start
    assert again.unchanged == rows

    base = Result(BASELINE, bare, "s", f"{rows:,} Person rows, Person.objects.bulk_create, no validation or audit", n=1)
    return [
        base,
        Result(
            "workbook import (new rows)",
            imported,
            "s",
            f"{rows:,} rows: parse xlsx, validate every row, bulk insert + {rows:,} audit entries",
            n=1,
            baseline=BASELINE,
            ratio=imported / bare,
        ),
        Result(
            "workbook re-import (all unchanged)",
            reimported,
            "s",
            "idempotent upsert: nothing written",
            n=1,
            baseline=BASELINE,
            ratio=reimported / bare,
        ),
    ]


if __name__ == "__main__":
    for item in run(Context()):
        print(item)
