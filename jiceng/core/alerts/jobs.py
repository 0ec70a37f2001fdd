from jiceng.core.alerts.services import deliver_notification, escalate_due_alerts, notify_alert
from jiceng.core.jobs.queue import crontab, job, periodic


class DeliveryFailed(RuntimeError):
    """A channel failed; the queue retries the job, which skips the channels already sent."""


@job(retries=3, retry_delay=60)
def deliver_notification_job(notification_id: int) -> dict:
    outcome = deliver_notification(notification_id)
    failed = sorted(name for name, result in outcome.items() if result != "sent")
    if failed:
        raise DeliveryFailed(f"notification {notification_id}: {', '.join(failed)} failed")
    return outcome


@job(retries=3, retry_delay=30)
def notify_alert_job(alert_id: int, event: str, only: list[int] | None = None) -> int:
    """The in-app notifications of one alert event, each then delivered by its own job."""
    return len(notify_alert(alert_id, event, only=only))


@periodic(crontab(minute="*/5"), name="alerts.escalate_due")
def escalate_due_alerts_job() -> int:
    return escalate_due_alerts()
