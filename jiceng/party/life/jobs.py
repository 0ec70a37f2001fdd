"""Daily scan: missing meetings of the last closed period raise alerts."""

from django.utils import timezone

from jiceng.core.jobs.queue import crontab, periodic
from jiceng.party.life.services import scan_compliance


@periodic(crontab(minute="50", hour="6"), name="party.scan_compliance")
def scan_compliance_job() -> dict[str, int]:
    return scan_compliance(timezone.localdate())
