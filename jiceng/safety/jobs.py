from django.utils import timezone

from jiceng.core.jobs.queue import crontab, periodic
from jiceng.safety.services import scan_grade_expiry


@periodic(crontab(minute="10", hour="6"), name="safety.scan_grade_expiry")
def scan_grade_expiry_job() -> dict[str, int]:
    return scan_grade_expiry(timezone.localdate())
