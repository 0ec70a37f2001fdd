"""Reading and writing policies.

``get_policy(key, area_path=…, on=…)`` is what every module calls: the row in effect on the
date for the most specific Area among ``area_path`` and its ancestors (national last). It
reads a per-process cache of the whole policy table (small: hundreds of rows), dropped on
every write in this process and, for other processes, when the shared generation stamp in
the Django cache changes (checked at most every ``GENERATION_CHECK_SECONDS``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.errors import DomainError
from jiceng.core.policies.models import Policy, PolicyValueType, ancestor_paths

SEED_FILE = Path(__file__).resolve().parent / "seed" / "policies.json"
GENERATION_KEY = "jiceng:policies:generation"
GENERATION_CHECK_SECONDS = 5.0


class PolicyMissing(DomainError):
    """No row for the key is in effect for the area and date."""

    code = "policy_missing"
    status = 500


@dataclass(frozen=True)
class PolicyValue:
    """One resolved policy: the number and where it comes from."""

    key: str
    name: str
    value: Any
    value_type: str
    unit: str
    area_code: str
    area_path: str
    effective_from: dt.date
    effective_to: dt.date | None
    source_document: str
    source_article: str
    source_status: str
    source_url: str = ""
    policy_id: int | None = None

    def cite(self) -> str:
        """The source as written in a refusal: ``《中国共产党发展党员工作细则》第十条``."""
        doc = self.source_document.strip()
        if doc and "《" not in doc:
            doc = f"《{doc}》"
        return f"{doc}{self.source_article.strip()}"

    def display_value(self) -> str:
        """``55 人``, ``10%``, ``是``/``否`` for booleans."""
        if isinstance(self.value, bool):
            return _("yes") if self.value else _("no")
        text = format(self.value, "f") if isinstance(self.value, decimal.Decimal) else str(self.value)
        if self.value_type == PolicyValueType.PERCENTAGE and self.unit in ("", "%"):
            return f"{text}%"
        return f"{text} {self.unit}".strip()

    def explain(self) -> str:
        """``班额上限 55 人（《…》第…条，national）``: name, number, source and its status."""
        return f"{self.name} {self.display_value()}（{self.cite()}，{self.source_status}）"

    def __str__(self) -> str:
        return self.explain()


def policy_value(row: Policy) -> PolicyValue:
    return PolicyValue(
        key=row.key,
        name=row.name,
        value=row.typed_value,
        value_type=row.value_type,
        unit=row.unit,
        area_code=row.area_code,
        area_path=row.area_path,
        effective_from=row.effective_from,
        effective_to=row.effective_to,
        source_document=row.source_document,
        source_article=row.source_article,
        source_status=row.source_status,
        source_url=row.source_url,
        policy_id=row.pk,
    )


# --- the cache --------------------------------------------------------------------------
class _PolicyCache:
    """key → area_path → rows sorted by start date; rebuilt lazily after any write.

    A write marks the cache *pending* until its transaction commits: meanwhile lookups read
    the database (so a rolled-back write never leaves stale numbers behind); the commit
    drops this process's copy and bumps the shared generation stamp for the others.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, dict[str, list[PolicyValue]]] | None = None
        self._generation: Any = None
        self._checked_at = 0.0
        self._pending = False

    def written(self) -> None:
        """A policy row changed in the current transaction."""
        with self._lock:
            self._rows = None
            self._pending = True
        transaction.on_commit(self.committed)

    def committed(self) -> None:
        with self._lock:
            self._rows = None
            self._pending = False
        cache.set(GENERATION_KEY, time.time_ns(), None)

    @staticmethod
    def _build() -> dict[str, dict[str, list[PolicyValue]]]:
        built: dict[str, dict[str, list[PolicyValue]]] = defaultdict(lambda: defaultdict(list))
        for row in Policy.objects.order_by("key", "area_path", "effective_from"):
            built[row.key][row.area_path].append(policy_value(row))
        return {k: dict(v) for k, v in built.items()}

    def rows(self) -> dict[str, dict[str, list[PolicyValue]]]:
        if self._pending:
            return self._build()
        now = time.monotonic()
        if now - self._checked_at > GENERATION_CHECK_SECONDS:
            generation = cache.get(GENERATION_KEY)
            self._checked_at = now
            if generation != self._generation:
                with self._lock:
                    self._generation = generation
                    self._rows = None
        rows = self._rows
        if rows is None:
            rows = self._build()
            with self._lock:
                if not self._pending:
                    self._rows = rows
        return rows


_cache = _PolicyCache()


def clear_policy_cache() -> None:
    """Drop the cached policies now (tests, after raw SQL)."""
    _cache.committed()


def policy_written(sender: Any, **kwargs: Any) -> None:
    """post_save/post_delete receiver (connected in ``apps.ready``): keeps the cache honest."""
    _cache.written()


# --- reads ------------------------------------------------------------------------------
def get_policy(key: str, *, area_path: str = "", on: dt.date | None = None) -> PolicyValue:
    """The value of ``key`` in effect on ``on`` (default today in Asia/Shanghai) for ``area_path``.

    The most specific Area wins: the row of the Area itself, else its parent's, … else the
    national row. Raises ``PolicyMissing`` when no level has a row in effect that day.
    """
    on = on or timezone.localdate()
    by_area = _cache.rows().get(key, {})
    for path in reversed(ancestor_paths(area_path or "")):
        for value in by_area.get(path, ()):
            if value.effective_from <= on and (value.effective_to is None or on < value.effective_to):
                return value
    raise PolicyMissing(
        _("No policy “%(key)s” is in effect on %(on)s for %(area)s; an administrator must add it.")
        % {"key": key, "on": on.isoformat(), "area": area_path or _("national level")},
        details={"key": key, "on": on.isoformat(), "area_path": area_path},
    )


def get_policy_value(key: str, *, area_path: str = "", on: dt.date | None = None) -> Any:
    """Shortcut: just the typed value."""
    return get_policy(key, area_path=area_path, on=on).value


# --- writes -----------------------------------------------------------------------------
def do_create_policy(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Policy:
    """Add one policy row (validated, overlap refused, audited, scope-checked)."""
    with transaction.atomic():
        policy = services.do_create(Policy, data=data, acting_user=acting_user, comment=comment)
    return policy


def do_update_policy(policy: Policy, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Policy:
    """Correct one row in place (audited). To change a number from a date on, use ``do_supersede_policy``."""
    with transaction.atomic():
        policy = services.do_update(policy, data=data, acting_user=acting_user, comment=comment)
    return policy


def do_delete_policy(policy: Policy, *, acting_user: Any, comment: str = "") -> None:
    with transaction.atomic():
        services.do_delete(policy, acting_user=acting_user, comment=comment)


def do_supersede_policy(
    policy: Policy, *, starting: dt.date, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> Policy:
    """Close ``policy`` the day before ``starting`` and add its successor from ``starting`` on.

    ``data`` holds the fields that change (``value``, ``source_document``…); the rest is copied.
    Both writes are audited in one transaction.
    """
    if starting <= policy.effective_from or (policy.effective_to and starting >= policy.effective_to):
        raise DomainError(
            _("The new value must start inside the current row's period (after %(start)s).")
            % {"start": policy.effective_from},
            code="invalid_start",
            field="effective_from",
        )
    copied = {
        f.name: getattr(policy, f.name)
        for f in Policy._meta.concrete_fields
        if f.name not in ("id", "created_at", "updated_at", "effective_from")
    }
    with transaction.atomic():
        old_end = policy.effective_to
        do_update_policy(policy, data={"effective_to": starting}, acting_user=acting_user, comment=comment)
        successor = do_create_policy(
            data={**copied, **data, "effective_from": starting, "effective_to": data.get("effective_to", old_end)},
            acting_user=acting_user,
            comment=comment,
        )
    return successor


SEED_FIELDS = (
    "name",
    "value_type",
    "value",
    "allowed_values",
    "unit",
    "effective_to",
    "source_document",
    "source_article",
    "source_url",
    "source_status",
    "notes",
)


def _seed_row(entry: Mapping[str, Any]) -> dict[str, Any]:
    row = {
        name: entry.get(name, "" if name not in ("allowed_values", "effective_to") else None) for name in SEED_FIELDS
    }
    row["allowed_values"] = row["allowed_values"] or []
    row["value"] = json.dumps(entry["value"]) if isinstance(entry["value"], bool) else str(entry["value"])
    row["key"] = entry["key"]
    row["area_code"] = entry.get("area_code", "")
    row["area_path"] = entry.get("area_path", "")
    row["effective_from"] = dt.date.fromisoformat(entry["effective_from"])
    if row["effective_to"]:
        row["effective_to"] = dt.date.fromisoformat(row["effective_to"])
    return row


def do_load_policies(
    entries: Iterable[Mapping[str, Any]], *, acting_user: Any = None, area_paths: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Upsert policies by (key, area, effective_from); unchanged rows are left alone (idempotent).

    Entries with an ``area_code`` but no ``area_path`` take the path from ``area_paths``
    (code → path; the caller looks areas up) and are skipped when the area is unknown.
    Returns counts: created, updated, unchanged, skipped.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    with transaction.atomic():
        for entry in entries:
            entry = dict(entry)
            if entry.get("area_code") and not entry.get("area_path"):
                path = (area_paths or {}).get(entry["area_code"])
                if not path:
                    counts["skipped"] += 1
                    continue
                entry["area_path"] = path
            row = _seed_row(entry)
            existing = Policy.objects.filter(
                key=row["key"], area_path=row["area_path"], effective_from=row["effective_from"]
            ).first()
            if existing is None:
                do_create_policy(data=row, acting_user=acting_user, comment="loadpolicies")
                counts["created"] += 1
                continue
            probe = Policy(**{**row, "pk": existing.pk})
            probe.clean_fields()
            probe.clean()
            changes = {k: v for k, v in row.items() if getattr(existing, k) != getattr(probe, k)}
            if changes:
                do_update_policy(existing, data=changes, acting_user=acting_user, comment="loadpolicies")
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
    return counts


def module_seed_files() -> list[Path]:
    """``<app>/seed/policies.json`` of every installed Jiceng app other than this engine."""
    from django.apps import apps

    files = []
    for cfg in apps.get_app_configs():
        if cfg.name.startswith("jiceng.") and cfg.label != "policies":
            candidate = Path(cfg.path) / "seed" / "policies.json"
            if candidate.is_file():
                files.append(candidate)
    return files


def read_seed_file(path: Path | None = None) -> list[dict[str, Any]]:
    """The rows of one seed file, or (no path) the bundled seeds plus every module's own."""
    paths = [path] if path else [SEED_FILE, *module_seed_files()]
    rows: list[dict[str, Any]] = []
    for one in paths:
        rows += json.loads(one.read_text(encoding="utf-8"))["policies"]
    return rows
