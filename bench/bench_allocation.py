"""Bench: catchment allocation (student-proposing deferred acceptance), no database.

Synthetic county cohorts: each applicant names ``P`` distinct schools (P = the demo value of the
policy ``education.allocation.max_preferences``, read from the app's seed), is a catchment
resident (tier 1) at one school and in the last tier elsewhere, and draws one lottery number
from a fixed seed; seats total 90 % of the applicants. Times (p50 over ``--repeat``):

- ``ours 20,000×100``: ``jiceng.education.allocation.matching.deferred_acceptance`` on 20,000
  applicants over 100 schools (the brief: "well under a second");
- ``ours 2,000×20``: the same matcher on 2,000 applicants over 20 schools;
- ``matching 2,000×20`` (the baseline): ``matching.games.HospitalResident`` (PyPI ``matching``,
  a dev dependency) solving the same small instance, resident-optimal, building the game included
  (it needs its own objects); the two results are checked to be the same matching.

Ratios are to the ``matching`` package's time in the same run. Run:
``make bench BENCH=allocation`` or ``.venv/bin/python -m bench allocation``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from bench.common import ROOT, Context, Result, measure, timed

SEED_FILE = ROOT / "jiceng" / "education" / "allocation" / "seed" / "policies.json"
LOTTERY_SEED = 2026
SEAT_SHARE = 0.9


def preferences_allowed(path: Path = SEED_FILE) -> int:
    rows = json.loads(path.read_text(encoding="utf-8"))["policies"]
    return int(next(r["value"] for r in rows if r["key"] == "education.allocation.max_preferences"))


def instance(applicants: int, schools: int, preferences: int, seed: int = 1) -> tuple[Any, Any, list[int]]:
    from jiceng.education.allocation.matching import lottery_numbers

    rng = random.Random(seed)
    lottery = lottery_numbers(applicants, LOTTERY_SEED)
    prefs = [rng.sample(range(schools), preferences) for _ in range(applicants)]
    home = [p[0] if rng.random() < 0.7 else rng.randrange(schools) for p in prefs]
    last_tier = 5
    keys = [[(1 if s == home[a] else last_tier) * applicants + lottery[a] for s in prefs[a]] for a in range(applicants)]
    seats = int(applicants * SEAT_SHARE)
    capacities = [seats // schools + (1 if s < seats % schools else 0) for s in range(schools)]
    return prefs, keys, capacities


def solve_with_package(prefs: Any, keys: Any, capacities: list[int]) -> dict[int, int]:
    from matching.games import HospitalResident

    resident_prefs = {f"a{a}": [f"s{s}" for s in p] for a, p in enumerate(prefs)}
    ranking: dict[str, list[tuple[int, str]]] = {f"s{s}": [] for s in range(len(capacities))}
    for a, p in enumerate(prefs):
        for k, s in enumerate(p):
            ranking[f"s{s}"].append((keys[a][k], f"a{a}"))
    hospital_prefs = {h: [name for _, name in sorted(rows)] for h, rows in ranking.items()}
    game = HospitalResident.create_from_dictionaries(
        resident_prefs, hospital_prefs, {f"s{s}": c for s, c in enumerate(capacities)}
    )
    solved = game.solve(optimal="resident")
    return {int(r.name[1:]): int(h.name[1:]) for h, rs in solved.items() for r in rs}


def run(ctx: Context) -> list[Result]:
    import os
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.config.settings")
    from jiceng.education.allocation.matching import UNPLACED, blocking_pairs, deferred_acceptance

    p = preferences_allowed()
    big = instance(20_000, 100, p)
    small = instance(2_000, 20, p)
    ours_small = deferred_acceptance(*small)
    theirs = solve_with_package(*small)
    if theirs != {a: s for a, s in enumerate(ours_small.school) if s != UNPLACED}:
        raise AssertionError("the matching package found another matching")
    ours_big = deferred_acceptance(*big)
    if blocking_pairs(*big, ours_big.school):
        raise AssertionError("unstable result")
    package_repeat = max(3, ctx.repeat // 4)  # it is slow: fewer samples
    base = timed(
        "matching 2,000×20 (baseline)",
        measure(lambda: solve_with_package(*small), repeat=package_repeat, warmup=1),
        note=f"PyPI matching HospitalResident, {p} preferences",
    )
    small_timing = measure(lambda: deferred_acceptance(*small), repeat=ctx.repeat, warmup=ctx.warmup)
    big_timing = measure(lambda: deferred_acceptance(*big), repeat=ctx.repeat, warmup=ctx.warmup)
    return [
        base,
        timed(
            "ours 2,000×20",
            small_timing,
            note=f"same instance, same matching; {base.value / small_timing.p50:,.0f}× faster",
            baseline=base,
        ),
        timed(
            "ours 20,000×100",
            big_timing,
            note=f"{p} preferences, {ours_big.proposals} proposals, stable; "
            f"{big_timing.p50 / small_timing.p50:.0f}× our small instance",
            baseline=base,
        ),
    ]
