"""The one periodic deadline scanner.

For every registered model it issues three set-based compare-and-set updates, highest state
first::

    UPDATE t SET deadline_state='escalated' WHERE deadline_state IN ('pending','warned','overdue') AND escalate_at <= now RETURNING id
    UPDATE t SET deadline_state='overdue'   WHERE deadline_state IN ('pending','warned') AND due_at <= now RETURNING id
    UPDATE t SET deadline_state='warned'    WHERE deadline_state = 'pending' AND warn_at <= now RETURNING id

so a row moves at most once per pass, straight to the highest state it has reached, and the
``WHERE deadline_state IN (…)`` makes a second scanner (or a second pass) find nothing to
move. Hooks run only for the ids the UPDATE returned, inside the same transaction: if a hook
fails, the move is rolled back and the next pass retries it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from jiceng.core.deadlines.models import DeadlineState
from jiceng.core.deadlines.registry import DeadlineModel, deadline_models

TRANSITIONS: list[tuple[str, str, tuple[str, ...]]] = [
    (DeadlineState.ESCALATED, "escalate_at", (DeadlineState.PENDING, DeadlineState.WARNED, DeadlineState.OVERDUE)),
    (DeadlineState.OVERDUE, "due_at", (DeadlineState.PENDING, DeadlineState.WARNED)),
    (DeadlineState.WARNED, "warn_at", (DeadlineState.PENDING,)),
]
HOOK_BATCH = 1000


def move_sql(model: type[models.Model], target: str, column: str, sources: Iterable[str]) -> tuple[str, list[Any]]:
    """The compare-and-set UPDATE … RETURNING for one transition (also used by the bench)."""
    qn = connection.ops.quote_name
    sources = list(sources)
    placeholders = ", ".join(["%s"] * len(sources))
    # Identifiers come from model metadata (quoted), values are parameters.
    sql = (
        f"UPDATE {qn(model._meta.db_table)} SET {qn('deadline_state')} = %s "  # noqa: S608
        f"WHERE {qn('deadline_state')} IN ({placeholders}) AND {qn(column)} <= %s "
        f"RETURNING {qn(model._meta.pk.column)}"
    )
    return sql, [target, *sources]


def compare_and_set(
    model: type[models.Model], target: str, column: str, sources: Iterable[str], now: dt.datetime
) -> list[Any]:
    """Move every row of ``model`` in ``sources`` whose ``column`` has passed to ``target``; the moved ids."""
    sql, params = move_sql(model, target, column, sources)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, connection.ops.adapt_datetimefield_value(now)])
        return [row[0] for row in cursor.fetchall()]


def _scan_model(entry: DeadlineModel, now: dt.datetime, hooks: bool) -> dict[str, int]:
    counts: dict[str, int] = {}
    for target, column, sources in TRANSITIONS:
        with transaction.atomic():
            moved = compare_and_set(entry.model, target, column, sources, now)
            if moved and hooks and entry.on_moved is not None:
                manager = entry.model._base_manager
                for start in range(0, len(moved), HOOK_BATCH):
                    rows = list(manager.filter(pk__in=moved[start : start + HOOK_BATCH]).order_by("pk"))
                    entry.on_moved(target, rows)
        counts[str(target)] = len(moved)
    return counts


def scan_deadlines(
    now: dt.datetime | None = None, *, hooks: bool = True, models_: Iterable[type[models.Model]] | None = None
) -> dict[str, dict[str, int]]:
    """One pass over every registered model; returns ``{model label: {state: rows moved}}``."""
    now = now or timezone.now()
    wanted = {m._meta.label_lower for m in models_} if models_ is not None else None
    result: dict[str, dict[str, int]] = {}
    for entry in deadline_models():
        label = entry.model._meta.label_lower
        if wanted is not None and label not in wanted:
            continue
        result[label] = _scan_model(entry, now, hooks)
    return result
