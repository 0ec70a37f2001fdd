from django.utils import timezone

from jiceng.core.jobs.queue import crontab, periodic
from jiceng.party.services import scan_terms


@periodic(crontab(minute="40", hour="6"), name="party.scan_terms")
def scan_terms_job() -> dict[str, int]:
    return scan_terms(timezone.localdate())
