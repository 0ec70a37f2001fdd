"""Daily scans: the 6-month membership conditions, and study-hours shortfalls from October."""

from django.utils import timezone

from jiceng.core.jobs.queue import crontab, periodic
from jiceng.party.dues.services import scan_member_status, scan_study_hours


@periodic(crontab(minute="55", hour="6"), name="party.scan_member_status")
def scan_member_status_job() -> dict[str, int]:
    return scan_member_status(timezone.localdate())


@periodic(crontab(minute="5", hour="7"), name="party.scan_study_hours")
def scan_study_hours_job() -> int:
    return scan_study_hours(timezone.localdate())
