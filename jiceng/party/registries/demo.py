"""Demo data of party_registries."""

from __future__ import annotations

from typing import Any


def build(ctx: Any) -> None:
    pass
