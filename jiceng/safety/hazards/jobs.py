"""Daily scan: major hazards not yet listed for supervision with their five-in-place plan.

The rectification deadlines themselves are moved by the deadlines engine's scanner
(``deadlines.scan``, every five minutes), which calls ``services.hazard_moved``.
"""

from django.utils import timezone

from jiceng.core.jobs.queue import crontab, periodic
from jiceng.safety.hazards.services import scan_unlisted_major_hazards


@periodic(crontab(minute="20", hour="6"), name="safety_hazards.scan_unlisted_major_hazards")
def scan_unlisted_major_hazards_job() -> int:
    return scan_unlisted_major_hazards(timezone.localdate())
