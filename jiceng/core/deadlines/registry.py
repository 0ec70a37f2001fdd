"""The models whose rows carry deadlines, with their hooks.

``register_deadline_model(Model, on_moved=…, recompute=…)`` — usually in the app's
``apps.ready``:

- ``on_moved(state, rows)`` is called by the scanner with the rows it has just moved into
  ``state`` (``warned``/``overdue``/``escalated``), in the scanner's transaction; raise
  alerts here (``jiceng.core.alerts.services.raise_alert``).
- ``recompute(row) -> dict`` returns fresh deadline fields for one row (``due_at``,
  ``warn_at``, ``escalate_at``, ``deadline_provisional``…); called for provisional rows when
  a holiday schedule is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class DeadlineModel:
    model: type[models.Model]
    on_moved: Callable[[str, list[Any]], None] | None = None
    recompute: Callable[[Any], dict[str, Any]] | None = None


_registry: dict[str, DeadlineModel] = {}


def register_deadline_model(
    model: type[models.Model],
    *,
    on_moved: Callable[[str, list[Any]], None] | None = None,
    recompute: Callable[[Any], dict[str, Any]] | None = None,
) -> None:
    _registry[model._meta.label_lower] = DeadlineModel(model, on_moved, recompute)


def deadline_models() -> list[DeadlineModel]:
    return list(_registry.values())
