"""The hazards part of the safety demo (filled in with the app)."""

from __future__ import annotations

from typing import Any


def build(ctx: Any) -> None:
    return None
