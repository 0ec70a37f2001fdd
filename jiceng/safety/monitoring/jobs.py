from django.utils import timezone

from jiceng.core.jobs.queue import crontab, periodic
from jiceng.safety.monitoring import services


@periodic(crontab(minute="*"), name="safety.scan_sensor_offline")
def scan_sensor_offline_job() -> int:
    """Offline detection also when no ``jiceng ingest`` is running (compare-and-set: never twice)."""
    return services.scan_offline()


@periodic(crontab(minute="20", hour="6"), name="safety.scan_source_checks")
def scan_source_checks_job() -> dict[str, int]:
    return services.scan_checks(timezone.localdate())


@periodic(crontab(minute="30", hour="3", day="1"), name="safety.drop_old_readings")
def drop_old_readings_job() -> int:
    return services.scan_retention(timezone.localdate())
