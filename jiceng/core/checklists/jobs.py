from jiceng.core.checklists.services import scan_overdue_runs
from jiceng.core.jobs.queue import crontab, periodic


@periodic(crontab(minute="15", hour="*"), name="checklists.scan_overdue")
def scan_overdue_runs_job() -> int:
    return scan_overdue_runs()
