"""Bench: persistent database connections — requests/s through a real gunicorn, kept vs per-request.

Two gunicorn servers on loopback, each configured like ``jiceng serve`` (2 workers, gthread with
4 threads, production settings — no DEBUG, no TESTING) on the bench database, differing only in
``JICENG_CONN_MAX_AGE``: ``0`` (a connection opened and closed for every request) and ``600``
(connections kept). Their URLconf (``bench/connections_site.py``) has one view doing exactly one
indexed query (an area by its unique division code; checked in-process before the run) and one
view doing none (the server's own ceiling).

The load generator is in this process: 8 threads (= workers × threads), each with its own
keep-alive ``http.client`` connection, sending ``GET`` until a fixed number of requests is done or
a time limit passes — bounded, loopback only. Rounds alternate between the two servers and the
median round counts, so a busy machine hurts both alike. The client shares the 2 cores with the
server: absolute requests/s are lower than a separate load machine would see; the ratio is the
point.

Baselines: requests/s with ``CONN_MAX_AGE=0`` for the throughput ratio; for the bare figures, one
indexed query on a kept psycopg connection vs connect + query + close.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from bench.common import ROOT, Context, Result, Timing, bench_url, measure, setup_django, timed

CONCURRENCY = 8  # 2 workers × 4 threads, as `jiceng serve --workers 2`
REQUESTS = int(os.environ.get("JICENG_BENCH_REQUESTS", "2000"))  # per round and server
ROUND_SECONDS = 60.0  # a round stops here even if REQUESTS are not done
ROUNDS = 3
WARMUP_REQUESTS = 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A gunicorn like ``jiceng serve --workers 2`` with the bench URLconf, on a free loopback port."""

    def __init__(self, conn_max_age: int) -> None:
        self.conn_max_age = conn_max_age
        self.port = _free_port()
        self.static_root = tempfile.TemporaryDirectory(prefix="jiceng-bench-static-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("JICENG_") and k != "DJANGO_SETTINGS_MODULE"}
        env.update(
            DJANGO_SETTINGS_MODULE="bench.connections_settings",
            DATABASE_URL=bench_url(),
            JICENG_CONN_MAX_AGE=str(conn_max_age),
            JICENG_SECRET_KEY=secrets.token_urlsafe(50),
            JICENG_INSECURE_HTTP="1",  # plain HTTP on loopback; no HTTPS redirect
            JICENG_STATIC_ROOT=self.static_root.name,  # empty: WhiteNoise has nothing to serve here
            PYTHONPATH=str(ROOT),
        )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            "jiceng.config.wsgi:application",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if self.get("/no-query") == 200 and self.get("/one-query") == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def get(self, path: str) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.static_root.cleanup()


def load(port: int, path: str, requests: int, seconds: float) -> tuple[float, list[float]]:
    """Send ``requests`` GETs from CONCURRENCY keep-alive connections (or stop at ``seconds``).

    Returns (requests per second, per-request latencies). Any non-200 answer fails the bench.
    """
    lock = threading.Lock()
    sent = 0
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal sent
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        own: list[float] = []
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if sent >= requests:
                        break
                    sent += 1
                start = time.perf_counter()
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                own.append(time.perf_counter() - start)
                if response.status != 200:
                    errors.append(f"{path}: HTTP {response.status}")
                    break
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{path}: {exc!r}")
        finally:
            conn.close()
            with lock:
                latencies.extend(own)

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"load failed: {errors[0]}")
    return len(latencies) / elapsed, latencies


def _check_one_query() -> None:
    """The measured view really issues one query (in-process, on the bench database)."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from bench.connections_site import one_query

    with CaptureQueriesContext(connection) as captured:
        response = one_query(RequestFactory().get("/one-query"))
    assert response.status_code == 200
    assert len(captured.captured_queries) == 1, captured.captured_queries
    assert b'"id"' in response.content, "the area looked up is missing: build_cast did not run"


def _bare(ctx: Context) -> list[Result]:
    import psycopg

    from bench.connections_site import CODE

    sql = "SELECT id, name FROM directory_area WHERE code = %s LIMIT 1"
    kept = psycopg.connect(bench_url(), autocommit=True)

    def on_kept() -> None:
        kept.execute(sql, [CODE]).fetchone()

    def connect_each() -> None:
        with psycopg.connect(bench_url(), autocommit=True) as conn:
            conn.execute(sql, [CODE]).fetchone()

    base = timed(
        "connections: bare query on a kept psycopg connection",
        measure(on_kept, repeat=ctx.repeat * 5, warmup=ctx.warmup),
    )
    base.ratio, base.baseline = 1.0, base.name
    other = timed(
        "connections: bare connect + query + close",
        measure(connect_each, repeat=ctx.repeat * 5, warmup=ctx.warmup),
        baseline=base,
    )
    kept.close()
    return [base, other]


def run(ctx: Context | None = None) -> list[Result]:
    ctx = ctx or Context()
    setup_django()
    from jiceng.core.testing import build_cast

    build_cast()
    _check_one_query()
    results = _bare(ctx)

    servers = {age: Server(age) for age in (0, 600)}
    try:
        rates: dict[Any, list[float]] = {key: [] for key in (0, 600, "none")}
        latencies: dict[Any, list[float]] = {key: [] for key in rates}
        for server in servers.values():
            load(server.port, "/one-query", WARMUP_REQUESTS, ROUND_SECONDS)
        for _ in range(ROUNDS):
            for age, server in servers.items():
                rate, lat = load(server.port, "/one-query", REQUESTS, ROUND_SECONDS)
                rates[age].append(rate)
                latencies[age] += lat
            rate, lat = load(servers[600].port, "/no-query", REQUESTS, ROUND_SECONDS)
            rates["none"].append(rate)
            latencies["none"] += lat
    finally:
        for server in servers.values():
            server.stop()

    def throughput(key: Any, name: str, base: Result | None) -> Result:
        value = statistics.median(rates[key])
        note = f"median of {ROUNDS} rounds of {REQUESTS} requests, {CONCURRENCY} connections; rounds: " + ", ".join(
            f"{r:.0f}" for r in rates[key]
        )
        result = Result(name, value, "req/s", note, n=len(latencies[key]))
        result.baseline = base.name if base else name
        result.ratio = value / base.value if base else 1.0
        return result

    per_request = throughput(0, "connections: one-query view, CONN_MAX_AGE=0 (req/s)", None)
    kept = throughput(600, "connections: one-query view, CONN_MAX_AGE=600 (req/s)", per_request)
    ceiling = throughput("none", "connections: no-query view (server ceiling, req/s)", per_request)
    latency_0 = timed("connections: one-query latency, CONN_MAX_AGE=0", Timing(latencies[0]))
    latency_0.ratio, latency_0.baseline = 1.0, latency_0.name
    latency_600 = timed("connections: one-query latency, CONN_MAX_AGE=600", Timing(latencies[600]), baseline=latency_0)
    return [*results, per_request, kept, ceiling, latency_0, latency_600]


if __name__ == "__main__":
    from bench.__main__ import main

    raise SystemExit(main(["connections"]))
