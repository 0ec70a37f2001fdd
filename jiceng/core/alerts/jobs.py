from jiceng.core.alerts.services import deliver_notification, escalate_due_alerts
from jiceng.core.jobs.queue import crontab, job, periodic


@job(retries=3, retry_delay=60)
def deliver_notification_job(notification_id: int) -> dict:
    return deliver_notification(notification_id)


@periodic(crontab(minute="*/5"), name="alerts.escalate_due")
def escalate_due_alerts_job() -> int:
    return escalate_due_alerts()
