from typing import Any


def build(ctx: Any) -> None:
    """(being written)"""
