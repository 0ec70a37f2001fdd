"""``jiceng worker``: consume the job queue (and run the periodic schedule)."""

from __future__ import annotations

import logging

from huey.consumer import Consumer

from jiceng.core.jobs.queue import queue


def run_worker(*, workers: int = 2, periodic: bool = True) -> None:
    logging.getLogger("huey").setLevel(logging.INFO)
    consumer = Consumer(
        queue, workers=workers, worker_type="thread", periodic=periodic, check_worker_health=True, flush_locks=False
    )
    consumer.run()


def scheduled_jobs() -> list[str]:
    """Names of the periodic jobs registered with the queue."""
    return sorted(task.name for task in queue._registry._periodic_tasks)
