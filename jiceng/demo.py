"""The demo county: every app contributes its part through ``<app>/demo.py``.

``build_demo`` runs each app's ``build(ctx)`` in dependency order, each in its own
transaction. Each part is idempotent for a given seed: running it on a database that already
holds the demo leaves it as it is. Parts find the areas by division code with ``ctx.area(code)``
(codes: ``jiceng.directory.demo.DEMO_*_CODE`` and ``directory/demo_data/areas.json``); every
row they create carries ``is_demo=True``. See docs/demo.md.
"""

from __future__ import annotations

import importlib
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction

DEMO_APPS = [
    "directory",
    "accounts",
    "core.policies",
    "core.checklists",
    "party",
    "party.members",
    "party.life",
    "party.points",
    "party.dues",
    "party.registries",
    "safety",
    "safety.hazards",
    "safety.monitoring",
    "safety.chemicals",
    "safety.permits",
    "safety.training",
    "education",
    "education.transfers",
    "education.staff",
    "education.allocation",
    "education.groupwork",
    "education.outreach",
    "finance",
    "finance.results",
]


@dataclass
class DemoContext:
    scale: float
    rng: random.Random
    figures: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, what they see)
    _areas: dict[str, Any] = field(default_factory=dict, repr=False)

    def area(self, code: str) -> Any:
        """The demo Area with this 12-digit division code (``Area.DoesNotExist`` if absent)."""
        if code not in self._areas:
            self._areas[code] = apps.get_model("directory", "Area").objects.get(code=code)
        return self._areas[code]

    def describe(self) -> str:
        lines = ["演示数据 / demo data built:"]
        lines += [f"  {key}: {value}" for key, value in self.figures.items()]
        return "\n".join(lines)


def build_demo(*, scale: float = 1.0, seed: int = 2026) -> DemoContext:
    if scale <= 0:
        raise ValueError("The demo scale must be positive (1.0 ≈ 50,000 people).")
    started = time.perf_counter()
    ctx = DemoContext(scale=scale, rng=random.Random(seed))
    for label in DEMO_APPS:
        if not apps.is_installed(f"jiceng.{label}"):
            continue
        module = importlib.import_module(f"jiceng.{label}.demo")
        with transaction.atomic():
            module.build(ctx)
    ctx.figures["seconds"] = round(time.perf_counter() - started, 1)
    return ctx


def print_logins(ctx: DemoContext, url: str | None) -> None:
    if url:
        print(f"\nJiceng is running at {url}")
    print("Demo logins (username / password — scope):")
    for username, password, scope in ctx.logins:
        print(f"  {username} / {password} — {scope}")
