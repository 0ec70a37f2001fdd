"""Bench: the person list API over 1,000,000 persons on PostgreSQL, against bare SQL.

Loads ``directory_person`` in ``jiceng_bench`` with COPY (once; a ``bench_marker`` row keeps
the data between runs): persons spread over the villages of the test cast
(``jiceng.core.testing.build_cast``) plus generated townships and villages, each with a unique
checksum-valid synthetic resident ID (``make_id_number`` with varying region, birth date and
serial). Then, for a township-scoped user (``township_staff``, 燕店镇) and a county-scoped one
(``county_admin``, 莘县) it times, p50/p95 over ``ctx.repeat`` runs after ``ctx.warmup``:

- ``api``: ``GET /api/v1/persons/?page=N`` through Django's in-process test ``Client`` with the
  user's token (``Authorization: Token …``): authentication, scope, filtering, the paginator's
  COUNT, the page query and JSON rendering — no sockets, no HTTP server;
- ``bare page``: the page query the API issues (the same ``SELECT … JOIN directory_area … WHERE
  path LIKE '…%' ORDER BY id LIMIT 50 OFFSET …``, taken from the queryset) sent by psycopg;
- ``bare count``: the ``COUNT(*)`` over the user's subtree that the paginator issues.

Ratios are to the bare page query measured in the same run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import time
from collections.abc import Iterator
from typing import Any

from bench.common import Context, Result, measure, set_marker, setup_django, timed, vacuum_analyze

ROWS = 1_000_000
PAGES = (1, 1000)  # page 1000 = OFFSET 49,950
GENERATED_TOWNSHIPS = ("371522101000", "371522102000", "371522103000")
VILLAGES_PER_TOWNSHIP = 40
REGIONS = ("371522", "371521", "371502", "371523", "370102", "110105")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国"


def _areas() -> list[Any]:
    """The cast's villages plus generated villages (40 per township, 3 extra townships); idempotent."""
    from jiceng.core.testing import build_cast
    from jiceng.directory.models import Area
    from jiceng.directory.services import do_create_area

    cast = build_cast()
    county = cast.area("莘县")
    townships = [cast.area("燕店镇"), cast.area("古云镇")]
    for number, code in enumerate(GENERATED_TOWNSHIPS, start=1):
        township = Area.objects.filter(code=code).first() or do_create_area(
            data={"code": code, "name": f"测试{number}镇", "parent": county}, acting_user=None
        )
        townships.append(township)
    for township in townships:
        for serial in range(201, 201 + VILLAGES_PER_TOWNSHIP):
            code = f"{township.code[:9]}{serial:03d}"
            if not Area.objects.filter(code=code).exists():
                do_create_area(
                    data={"code": code, "name": f"{township.name}{serial}村", "parent": township}, acting_user=None
                )
    return list(Area.objects.filter(level="village", path__startswith=county.path).order_by("code"))


def _person_rows(rows: int, villages: list[Any]) -> io.StringIO:
    from jiceng.directory.identifiers import make_id_number

    buffer = io.StringIO()
    stamp = dt.datetime.now(dt.UTC).isoformat()
    first_birth = dt.date(1935, 1, 1)
    n_villages = len(villages)
    for i in range(rows):
        block = i // 1000  # (birth date, region) is unique per block, the serial is unique inside it
        birth = first_birth + dt.timedelta(days=(block * 29) % 30_000)
        number = make_id_number(REGIONS[block % len(REGIONS)], birth, i % 1000)
        sex = "male" if int(number[16]) % 2 else "female"
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 131) % len(GIVEN)]
        area = villages[i % n_villages]
        buffer.write(
            f"{stamp}\t{stamp}\t{name}\t{number}\t{sex}\t{birth.isoformat()}\t\t{area.name}{i % 300}号\tf\t{area.pk}\n"
        )
    buffer.seek(0)
    return buffer


def load(rows: int) -> tuple[float, bool]:
    """Load ``rows`` persons unless the marker says they are there; (seconds, loaded?)."""
    from django.db import connection

    from bench.common import marker

    wanted = f"{rows}:{len(GENERATED_TOWNSHIPS)}x{VILLAGES_PER_TOWNSHIP}"
    if marker("persons") == wanted:
        _areas()
        return 0.0, False
    start = time.perf_counter()
    with connection.cursor() as cursor:
        # CASCADE empties the tables that point at persons (users, grids); build_cast recreates the users.
        cursor.execute("TRUNCATE directory_person RESTART IDENTITY CASCADE")
    villages = _areas()
    buffer = _person_rows(rows, villages)
    columns = "created_at, updated_at, name, id_number, sex, birth_date, phone, address, is_demo, area_id"
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(f"COPY directory_person ({columns}) FROM STDIN") as copy,
    ):
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)
    vacuum_analyze("directory_person", "directory_area")
    set_marker("persons", wanted)
    return time.perf_counter() - start, True


def _bare(sql: str, params: tuple[Any, ...] | None) -> Any:
    import psycopg

    from bench.common import bench_url

    # client-side binding and no prepared statements, as Django sends them
    conn = psycopg.connect(bench_url(), autocommit=True, cursor_factory=psycopg.ClientCursor, prepare_threshold=None)
    return lambda: conn.execute(sql, params).fetchall()


def run(ctx: Context | None = None) -> list[Result]:
    ctx = ctx or Context()
    rows = int(getattr(ctx, "rows", 0) or os.environ.get("JICENG_BENCH_ROWS", ROWS))
    setup_django()
    from django.test import Client

    from jiceng.accounts.services import do_issue_token
    from jiceng.core.api.pagination import CappedCountPaginator
    from jiceng.core.testing import build_cast
    from jiceng.directory.models import Person

    load_seconds, loaded = load(rows)
    cast = build_cast()
    results: list[Result] = []
    if loaded:
        results.append(Result("person list: COPY load + VACUUM ANALYZE", load_seconds, "s", f"{rows:,} persons"))
    client = Client(HTTP_HOST="localhost")
    for label, user in (("township", cast.township_staff), ("county", cast.county_admin)):
        token = do_issue_token(user)
        base_qs = Person.objects.select_related("area").restrict(user)
        total = base_qs.count()
        count_sql, count_params = _count_sql(base_qs)
        count = measure(_bare(count_sql, count_params), repeat=ctx.repeat, warmup=ctx.warmup)
        for page in PAGES:
            offset = (page - 1) * 50
            sql, params = base_qs.order_by("id")[offset : offset + 50].query.sql_with_params()
            bare = timed(
                f"person list {label} p{page}: bare page SQL",
                measure(_bare(sql, params), repeat=ctx.repeat, warmup=ctx.warmup),
                note=f"{total:,} persons in scope",
            )
            bare.ratio, bare.baseline = 1.0, bare.name

            def get(page: int = page, token: str = token) -> None:
                response = client.get(f"/api/v1/persons/?page={page}", HTTP_AUTHORIZATION=f"Token {token}")
                assert response.status_code == 200, response.content[:300]
                assert len(response.json()["results"]) == 50

            api = timed(
                f"person list {label} p{page}: API GET (in-process Client, token)",
                measure(get, repeat=ctx.repeat, warmup=ctx.warmup),
                baseline=bare,
                note=f"count exact up to {CappedCountPaginator.count_limit:,}",
            )
            # before: the paginator counted every row in scope (as DRF's default one does)
            with _uncapped():
                exact = timed(
                    f"person list {label} p{page}: API GET, exact COUNT (before)",
                    measure(get, repeat=ctx.repeat, warmup=ctx.warmup),
                    baseline=bare,
                )
            results += [
                bare,
                timed(f"person list {label}: bare COUNT(*) of the subtree", count, baseline=bare),
                api,
                exact,
            ]
    return results


@contextlib.contextmanager
def _uncapped() -> Iterator[None]:
    from jiceng.core.api.pagination import CappedCountPaginator

    CappedCountPaginator.exact = True  # a plain COUNT(*) of everything in scope
    try:
        yield
    finally:
        CappedCountPaginator.exact = False


def _count_sql(qs: Any) -> tuple[str, tuple[Any, ...] | None]:
    """The COUNT the paginator issues for ``qs``: Django's own SQL for ``qs.count()``, as captured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        qs.count()
    return captured.captured_queries[-1]["sql"], None


if __name__ == "__main__":
    from bench.__main__ import main

    raise SystemExit(main(["person_list"]))
