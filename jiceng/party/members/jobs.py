"""Daily scan of the development pipeline: talks, activist reviews and probations overdue."""

from django.utils import timezone

from jiceng.core.jobs.queue import crontab, periodic
from jiceng.party.members.services import scan_development


@periodic(crontab(minute="45", hour="6"), name="party.scan_development")
def scan_development_job() -> dict[str, int]:
    return scan_development(timezone.localdate())
