"""Every five minutes: send the broadcasts whose window has begun, expire those whose window has ended."""

from django.utils import timezone

from jiceng.core.jobs.queue import crontab, periodic
from jiceng.safety.training.services import scan_broadcasts


@periodic(crontab(minute="*/5"), name="safety_training.scan_broadcasts")
def scan_broadcasts_job() -> dict[str, int]:
    return scan_broadcasts(timezone.now())
