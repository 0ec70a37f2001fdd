"""Jobs of the jobs engine itself."""

from __future__ import annotations

import os
import socket

from django.utils import timezone

from jiceng.core.jobs.queue import job


@job(retries=0, name="jobs.ping")
def ping_job(token: str) -> dict[str, str]:
    """Answer with the worker's host and process: proves a worker is consuming the queue."""
    return {"token": token, "host": socket.gethostname(), "pid": str(os.getpid()), "at": timezone.now().isoformat()}
