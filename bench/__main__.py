"""Benchmark runner: ``.venv/bin/python -m bench [name…] [--rows N] [--repeat N]``.

Discovers ``bench/bench_*.py`` (each defines ``run(ctx) -> list[Result]``), runs the ones named
(all by default), prints a table and writes ``test-output/bench.json``. A module whose results
carry no ``baseline`` of their own may name one with a module-level ``BASELINE`` (the name of one
of its results); every timing is then also shown as a ratio to it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import Context  # noqa: E402


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in (ROOT / "bench").glob("bench_*.py"))


def _row(result: Any, module: Any) -> dict[str, Any]:
    """Normalise a result of any bench (duck-typed: name, value, unit, note)."""
    row = {
        "name": result.name,
        "value": result.value,
        "unit": result.unit,
        "note": getattr(result, "note", ""),
        "p95": getattr(result, "p95", None),
        "n": getattr(result, "n", 0),
        "baseline": getattr(result, "baseline", ""),
        "ratio": getattr(result, "ratio", None),
    }
    return row


def _apply_module_baseline(rows: list[dict[str, Any]], module: Any) -> None:
    name = getattr(module, "BASELINE", "")
    base = next((r for r in rows if r["name"] == name), None)
    if base is None or not base["value"]:
        return
    for row in rows:
        if row["ratio"] is None and row["unit"] == base["unit"] and row is not base:
            row["baseline"] = base["name"]
            row["ratio"] = row["value"] / base["value"]
    base["ratio"], base["baseline"] = 1.0, base["name"]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "s":
        return f"{value * 1000:.2f} ms" if value < 10 else f"{value:.1f} s"
    return f"{value:.2f} {unit}"


def print_table(rows: list[dict[str, Any]]) -> None:
    width = max((len(r["name"]) for r in rows), default=10)
    print(f"{'benchmark':{width}}  {'p50':>11}  {'p95':>11}  {'ratio':>9}  baseline / note")
    for r in rows:
        ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else ""
        extra = "; ".join(
            x for x in (f"vs {r['baseline']}" if r["baseline"] and r["ratio"] != 1.0 else "", r["note"]) if x
        )
        print(
            f"{r['name']:{width}}  {_fmt(r['value'], r['unit']):>11}  {_fmt(r['p95'], r['unit']):>11}  {ratio:>9}  {extra}"
        )


def run_one(name: str, ctx: Context) -> list[dict[str, Any]]:
    """Run one bench in this process (Django is set up once per process, for one database)."""
    module = importlib.import_module(f"bench.bench_{name}")
    rows = [_row(r, module) for r in module.run(ctx)]
    _apply_module_baseline(rows, module)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run Jiceng's benchmarks.")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(available())})")
    parser.add_argument("--rows", type=int, default=None, help="rows to load (default: each bench's own, 1,000,000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed repetitions per figure (after warm-up)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--output", default=str(ROOT / "test-output" / "bench.json"))
    parser.add_argument("--child", metavar="JSON", help=argparse.SUPPRESS)  # internal: one bench, rows to JSON
    args = parser.parse_args(argv)
    names = args.names or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}")
    if args.rows:
        os.environ["JICENG_BENCH_ROWS"] = str(args.rows)
    ctx = Context(rows=args.rows or 1_000_000, repeat=args.repeat, warmup=args.warmup)
    if args.child:
        rows = run_one(names[0], ctx)
        Path(args.child).write_text(json.dumps(rows), encoding="utf-8")
        return 0

    report: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "benchmarks": {},
    }
    all_rows: list[dict[str, Any]] = []
    failed: list[str] = []
    passthrough = [f"--repeat={args.repeat}", f"--warmup={args.warmup}"] + (
        [f"--rows={args.rows}"] if args.rows else []
    )
    for name in names:
        # Each bench in its own process: Django's settings (the database) are fixed once per process.
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "rows.json"
            command = [sys.executable, "-m", "bench", name, f"--child={out}", *passthrough]
            done = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603
            rows = json.loads(out.read_text(encoding="utf-8")) if done.returncode == 0 and out.exists() else None
        seconds = round(time.perf_counter() - started, 1)
        if rows is None:
            failed.append(name)
            report["benchmarks"][name] = {"seconds": seconds, "failed": True, "results": []}
            print(f"!! {name} failed (exit {done.returncode})", flush=True)
            continue
        report["benchmarks"][name] = {"seconds": seconds, "results": rows}
        all_rows.extend(rows)
    print()
    print_table(all_rows)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten: {output}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
