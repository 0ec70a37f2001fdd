"""The background-job interface: one queue, an embedded default and a production backend.

- Embedded (default, ``make demo``): huey's SQLite storage in ``var/jobs.sqlite3`` — no extra server.
- Production: huey on Redis (``JICENG_JOBS_BACKEND=redis``, ``JICENG_REDIS_URL``); any number of
  ``jiceng worker`` processes on any number of machines consume the same queue.
- Tests: immediate mode (jobs run inline, in memory) unless a test builds its own Redis queue.

Modules declare jobs in their ``jobs.py`` (autodiscovered) with ``@job`` and ``@periodic``; they never
import huey directly. See docs/engines/jobs.md and docs/decisions/0006-jobs-on-huey.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey

__all__ = ["build_queue", "crontab", "job", "periodic", "queue"]


def build_queue(config: dict[str, Any] | None = None) -> Huey:
    """A huey instance for ``config`` (defaults to ``settings.JOBS``)."""
    cfg = {**settings.JOBS, **(config or {})}
    if cfg["backend"] == "redis":
        return RedisHuey(cfg["name"], url=cfg["url"], immediate=cfg["immediate"], results=True)
    if cfg["backend"] == "sqlite":
        if not cfg["immediate"]:
            Path(cfg["filename"]).parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(cfg["name"], filename=cfg["filename"], immediate=cfg["immediate"], results=True)
    raise ValueError(f"unknown JOBS backend {cfg['backend']!r} (use 'sqlite' or 'redis')")


queue: Huey = build_queue()


def _with_db_connections(func: Callable[..., Any]) -> Callable[..., Any]:
    """Workers are long-lived: drop stale connections around each job (as Django does per request)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not queue.immediate:
            close_old_connections()
        try:
            return func(*args, **kwargs)
        finally:
            if not queue.immediate:
                close_old_connections()

    return wrapper


def job(
    *,
    retries: int = 2,
    retry_delay: int = 30,
    name: str | None = None,
    unique: bool = False,
    target: Huey | None = None,
) -> Callable[[Callable[..., Any]], Any]:
    """Declare a background job. ``unique=True`` lets only one run of it at a time (a queue-wide lock).

    Jobs must be idempotent: a retry or a second worker may run the same call again.
    """

    def decorator(func: Callable[..., Any]) -> Any:
        huey = target or queue
        job_name = name or f"{func.__module__}.{func.__qualname__}"
        body = _with_db_connections(func)
        if unique:
            body = huey.lock_task(f"lock:{job_name}")(body)
        return huey.task(retries=retries, retry_delay=retry_delay, name=job_name)(body)

    return decorator


def periodic(
    schedule: Callable[..., bool], *, name: str, retries: int = 0, target: Huey | None = None
) -> Callable[[Callable[..., Any]], Any]:
    """Declare a periodic job (e.g. ``crontab(minute="*/5")``); always unique (never overlaps itself)."""

    def decorator(func: Callable[..., Any]) -> Any:
        huey = target or queue
        body = huey.lock_task(f"lock:{name}")(_with_db_connections(func))
        return huey.periodic_task(schedule, retries=retries, name=name)(body)

    return decorator
