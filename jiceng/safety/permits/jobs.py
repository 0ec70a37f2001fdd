"""The permit alert scan: expired permits still open, reported work without a permit."""

from django.utils import timezone

from jiceng.core.jobs.queue import crontab, periodic
from jiceng.safety.permits.services import scan_permits


@periodic(crontab(minute="*/5"), name="safety.scan_permits")
def scan_permits_job() -> dict[str, int]:
    return scan_permits(timezone.now())
