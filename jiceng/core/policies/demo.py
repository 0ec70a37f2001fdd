"""The demo county's policies: the bundled seeds (national rules and the demo county's numbers)."""

from __future__ import annotations

from typing import Any

from jiceng.core.policies.services import do_load_policies, read_seed_file


def build(ctx: Any) -> None:
    counts = do_load_policies(read_seed_file(), acting_user=None)
    ctx.figures["policies"] = sum(counts.values()) - counts["skipped"]
