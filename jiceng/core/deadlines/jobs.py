"""Periodic jobs of the deadlines engine."""

from __future__ import annotations

from jiceng.core.deadlines.scanner import scan_deadlines
from jiceng.core.jobs.queue import crontab, periodic


@periodic(crontab(minute="*/5"), name="deadlines.scan")
def scan_deadlines_job() -> None:
    """Move overdue items every five minutes (compare-and-set: safe to run twice)."""
    scan_deadlines()
