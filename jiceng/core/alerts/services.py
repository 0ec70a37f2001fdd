"""Alert services: raise/resolve (one service for rule scans, deadlines and streams), lifecycle,
escalation and notifications. See docs/engines/alerts.md.

Policies read: ``alerts.escalation_workdays`` (workdays before an unacknowledged alert moves one
Area level up), ``alerts.escalation_minutes`` (the same for red alerts, if set),
``alerts.reopen_window_hours`` (a closed alert whose condition recurs within this window is
reopened instead of raising a new one; without the policy a new alert is raised).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.alerts.channels import channels
from jiceng.core.alerts.models import (
    NOT_CLOSED,
    Alert,
    AlertComment,
    AlertState,
    Notification,
    NotificationPreference,
    Severity,
    severity_rank,
)
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.models import AuditAction
from jiceng.core.scope import object_area_path, user_can
from jiceng.core.workflow.services import apply_transition, log_transition

logger = logging.getLogger(__name__)

ESCALATION_WORKDAYS = "alerts.escalation_workdays"
ESCALATION_MINUTES = "alerts.escalation_minutes"
REOPEN_WINDOW_HOURS = "alerts.reopen_window_hours"


# --- policies -----------------------------------------------------------------------------
def _policy(key: str, area_path: str, on: dt.date) -> Any:
    from jiceng.core.policies.services import PolicyMissing, get_policy

    try:
        return get_policy(key, area_path=area_path, on=on)
    except PolicyMissing:
        return None


def compute_escalate_at(severity: str, area_path: str, start: dt.datetime) -> dt.datetime | None:
    """When an alert raised (or escalated) at ``start`` escalates if nobody acknowledges it.

    Red: ``alerts.escalation_minutes`` later when that policy is set; otherwise (and for the
    other colours) the same local time ``alerts.escalation_workdays`` workdays later, counted
    on the workday calendar (holidays and make-up days). ``None`` when no policy is in effect.
    """
    from jiceng.core.deadlines.calendar import add_workdays

    local = timezone.localtime(start)
    if severity == Severity.RED:
        minutes = _policy(ESCALATION_MINUTES, area_path, local.date())
        if minutes is not None:
            return start + dt.timedelta(minutes=int(minutes.value))
    workdays = _policy(ESCALATION_WORKDAYS, area_path, local.date())
    if workdays is None:
        logger.warning("policy %s missing: alerts in %s do not escalate", ESCALATION_WORKDAYS, area_path)
        return None
    day = add_workdays(local.date(), int(workdays.value))
    return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)), local.tzinfo)


def parent_path(area_path: str) -> str:
    """``a/b/c/`` → ``a/b/``; the root's parent is ``""``."""
    parts = [p for p in area_path.split("/") if p]
    return "/".join(parts[:-1]) + "/" if len(parts) > 1 else ""


def default_area_path(subject: models.Model) -> str:
    """The subject's own area, else the root of the Area tree (system alerts go to the top)."""
    path = object_area_path(subject)
    if path:
        return path
    # the Area model lives in ``directory`` (core may not import it): looked up by name
    area_model = apps.get_model("directory", "Area")
    root = area_model._default_manager.filter(parent__isnull=True).order_by("path").values_list("path", flat=True)
    return root.first() or ""


def _subject_key(subject: models.Model) -> tuple[ContentType, str]:
    if subject.pk is None:
        raise InvalidInput("An alert's subject must be saved first.")
    return ContentType.objects.get_for_model(subject), str(subject.pk)


# --- raise and resolve --------------------------------------------------------------------
def raise_alert(
    *,
    rule: str,
    subject: models.Model,
    severity: str,
    explanation: str,
    evidence: dict[str, Any] | None = None,
    area_path: str = "",
    assignee: Any = None,
) -> Alert | None:
    """Raise ``rule`` about ``subject``; ``None`` when an alert for (rule, subject) is already open.

    While the condition persists the open alert is only *touched* (``last_seen_at``,
    ``seen_count``; severity, explanation and evidence follow a rise in severity) — the
    flapping guard. After a close the same condition raises a new alert, or reopens the
    closed one if it recurs within ``alerts.reopen_window_hours``. Notifications go out
    after commit.
    """
    try:
        rank = severity_rank(severity)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="severity") from exc
    if not rule or not explanation:
        raise InvalidInput(_("An alert needs a rule and an explanation."))
    content_type, object_id = _subject_key(subject)
    area_path = area_path or default_area_path(subject)
    now = timezone.now()
    with transaction.atomic():
        same = Alert.objects.filter(rule=rule, content_type=content_type, object_id=object_id)
        current = same.select_for_update(no_key=True).filter(state__in=NOT_CLOSED).first()
        if current is not None:
            _touch(current, now, severity, explanation, evidence)
            return None
        reopened = _reopen_recent(same, now, severity, explanation, evidence, area_path)
        if reopened is not None:
            return reopened
        alert = Alert(
            rule=rule,
            content_type=content_type,
            object_id=object_id,
            subject_repr=str(subject)[:200],
            area_path=area_path,
            origin_area_path=area_path,
            severity=severity,
            severity_rank=rank,
            explanation=explanation,
            evidence=evidence or {},
            assignee=assignee,
            raised_at=now,
            last_seen_at=now,
            escalate_at=compute_escalate_at(severity, area_path, now),
        )
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:  # another process raised it a moment ago: the flapping guard holds
            current = same.select_for_update(no_key=True).filter(state__in=NOT_CLOSED).first()
            if current is not None:
                _touch(current, now, severity, explanation, evidence)
            return None
        audit.record(AuditAction.CREATE, alert, actor=None, after=audit.snapshot(alert), comment=rule)
        transaction.on_commit(lambda: queue_notify(alert.pk, "raised"))
    return alert


def _touch(current: Alert, now: dt.datetime, severity: str, explanation: str, evidence: dict[str, Any] | None) -> None:
    """The condition is still present: count it; a rise in severity replaces severity, explanation, evidence."""
    update: dict[str, Any] = {"last_seen_at": now, "seen_count": F("seen_count") + 1}
    rank = severity_rank(severity)
    if rank > current.severity_rank:
        update |= {"severity": severity, "severity_rank": rank, "explanation": explanation, "evidence": evidence or {}}
    Alert.objects.filter(pk=current.pk).update(**update)


def _reopen_recent(
    same: models.QuerySet[Alert],
    now: dt.datetime,
    severity: str,
    explanation: str,
    evidence: dict[str, Any] | None,
    area_path: str,
) -> Alert | None:
    window = _policy(REOPEN_WINDOW_HOURS, area_path, timezone.localdate(now))
    if window is None or int(window.value) <= 0:
        return None
    since = now - dt.timedelta(hours=int(window.value))
    recent = same.filter(state=AlertState.CLOSED, closed_at__gte=since).order_by("-closed_at").first()
    if recent is None:
        return None
    comment = _("The condition recurred within %(hours)s hours of closing (%(source)s).") % {
        "hours": window.value,
        "source": window.cite(),
    }
    alert: Alert = apply_transition(recent, "reopen", acting_user=None, comment=comment)  # type: ignore[assignment]
    alert.severity, alert.severity_rank = severity, severity_rank(severity)
    alert.explanation, alert.evidence, alert.last_seen_at = explanation, evidence or {}, now
    alert.escalation_level, alert.area_path = 0, alert.origin_area_path
    alert.escalate_at = compute_escalate_at(severity, alert.area_path, now)
    alert.save(
        update_fields=[
            "severity",
            "severity_rank",
            "explanation",
            "evidence",
            "last_seen_at",
            "escalation_level",
            "area_path",
            "escalate_at",
        ]
    )
    transaction.on_commit(lambda: queue_notify(alert.pk, "reopened"))
    return alert


def resolve_alert(*, rule: str, subject: models.Model, acting_user: Any = None, comment: str = "") -> int:
    """Close every non-closed alert of ``rule`` about ``subject`` (the condition cleared); returns how many.

    A fact, not a decision: the close needs no alert permission of ``acting_user`` (whoever
    completed the underlying task, recorded as the actor; ``None``: the system).
    """
    content_type, object_id = _subject_key(subject)
    closed = 0
    with transaction.atomic():
        open_alerts = Alert.objects.select_for_update(no_key=True).filter(
            rule=rule, content_type=content_type, object_id=object_id, state__in=NOT_CLOSED
        )
        for alert in open_alerts:
            apply_transition(
                alert, "close", acting_user=acting_user, comment=comment or _("The condition cleared."), system=True
            )
            closed += 1
    return closed


# --- lifecycle ----------------------------------------------------------------------------
def _lifecycle(
    alert: Alert, name: str, *, acting_user: Any, comment: str = "", attachments: Sequence[Any] = ()
) -> Alert:
    with transaction.atomic(durable=True):
        done: Alert = apply_transition(  # type: ignore[assignment]
            alert, name, acting_user=acting_user, comment=comment, attachments=attachments
        )
    return done


def do_acknowledge(alert: Alert, *, acting_user: Any, comment: str = "") -> Alert:
    """Acknowledge an open alert: it stops escalating."""
    return _lifecycle(alert, "acknowledge", acting_user=acting_user, comment=comment)


def do_start_handling(alert: Alert, *, acting_user: Any, comment: str = "") -> Alert:
    """Mark an open or acknowledged alert as being handled."""
    return _lifecycle(alert, "start_handling", acting_user=acting_user, comment=comment)


def do_close(alert: Alert, *, acting_user: Any, comment: str, attachments: Sequence[Any] = ()) -> Alert:
    """Close an alert; a comment saying what was done is required."""
    if not comment.strip():
        raise InvalidInput(_("Say what was done before closing the alert."), field="comment")
    return _lifecycle(alert, "close", acting_user=acting_user, comment=comment, attachments=attachments)


def do_reopen(alert: Alert, *, acting_user: Any, comment: str = "") -> Alert:
    """Reopen a closed alert by hand; it escalates again from now."""
    with transaction.atomic(durable=True):
        done: Alert = apply_transition(alert, "reopen", acting_user=acting_user, comment=comment)  # type: ignore[assignment]
        done.escalate_at = compute_escalate_at(done.severity, done.area_path, timezone.now())
        done.save(update_fields=["escalate_at"])
        transaction.on_commit(lambda: queue_notify(done.pk, "reopened"))
    return done


def _require(alert: Alert, acting_user: Any, action: str) -> None:
    if acting_user is not None and not user_can(acting_user, alert, action):
        raise PermissionRefused(_("You do not have permission to do this."))


def do_comment(alert: Alert, *, acting_user: Any, text: str, attachments: Sequence[Any] = ()) -> AlertComment:
    """Add a comment (anyone who may change the alert)."""
    if not text.strip():
        raise InvalidInput(_("The comment is empty."), field="text")
    _require(alert, acting_user, "change")
    with transaction.atomic(durable=True):
        actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
        comment = AlertComment.objects.create(
            alert=alert,
            author=actor,
            author_repr=actor.get_username() if actor else "system",
            text=text,
            attachments=[str(a) for a in attachments],
            area_path=alert.origin_area_path,
        )
        audit.record(AuditAction.CREATE, comment, actor=acting_user, after=audit.snapshot(comment))
    return comment


def do_assign(alert: Alert, *, assignee: Any, acting_user: Any, role: str = "") -> Alert:
    """Make ``assignee`` responsible; they must be able to see the alert. Notifies them."""
    _require(alert, acting_user, "change")
    if assignee is not None and not user_can(assignee, alert, "view"):
        raise InvalidInput(_("%(user)s cannot see this alert's area.") % {"user": assignee}, field="assignee")
    with transaction.atomic(durable=True):
        locked = Alert.objects.select_for_update(no_key=True).get(pk=alert.pk)
        before = audit.snapshot(locked)
        locked.assignee, locked.assignee_role = assignee, role or locked.assignee_role
        locked.save(update_fields=["assignee", "assignee_role", "updated_at"])
        audit.record(AuditAction.UPDATE, locked, actor=acting_user, before=before, after=audit.snapshot(locked))
        if assignee is not None:
            transaction.on_commit(lambda: queue_notify(locked.pk, "assigned", only=[assignee.pk]))
    return locked


# --- escalation -----------------------------------------------------------------------------
def escalate_due_alerts(now: dt.datetime | None = None) -> int:
    """Move every open alert whose ``escalate_at`` has passed one Area level up (compare-and-set).

    Each move happens once: the update matches the level and due time read, so a second run,
    or a second worker, changes nothing. Returns the number of alerts escalated.
    """
    now = now or timezone.now()
    due = Alert.objects.filter(state=AlertState.OPEN, escalate_at__lte=now).values_list(
        "pk", "escalation_level", "escalate_at", "area_path", "severity"
    )
    moved = 0
    for pk, level, escalate_at, area_path, severity in due.iterator():
        target = parent_path(area_path)
        with transaction.atomic():
            cas = Alert.objects.filter(pk=pk, state=AlertState.OPEN, escalation_level=level, escalate_at=escalate_at)
            if not target:  # already at the top: stop escalating
                cas.update(escalate_at=None)
                continue
            next_at = compute_escalate_at(severity, target, escalate_at)
            if not cas.update(escalation_level=level + 1, area_path=target, escalate_at=next_at, updated_at=now):
                continue
            alert = Alert.objects.get(pk=pk)
            comment = _("Not acknowledged in time: escalated to level %(level)d (%(from)s → %(to)s).") % {
                "level": level + 1,
                "from": area_path,
                "to": target,
            }
            log_transition(alert, "escalate", source=alert.state, target=alert.state, acting_user=None, comment=comment)
            audit.record(
                AuditAction.UPDATE,
                alert,
                actor=None,
                before={"escalation_level": level, "area_path": area_path},
                after={"escalation_level": level + 1, "area_path": target},
                comment=comment,
            )
            transaction.on_commit(lambda pk=pk: queue_notify(pk, "escalated"))
            moved += 1
    return moved


# --- notifications ------------------------------------------------------------------------
def ancestor_paths(area_path: str) -> list[str]:
    parts = [p for p in area_path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def list_recipients(alert: Alert) -> list[Any]:
    """Active users whose grants cover the alert's current level with ``alerts.view_alert``, plus the assignee.

    After an escalation that is the parent level (and above): the level below was told at raise time.
    """
    user_model = get_user_model()
    candidates = user_model._default_manager.filter(
        is_active=True,
        grants__area__path__in=ancestor_paths(alert.area_path),
        grants__role__permissions__content_type__app_label="alerts",
        grants__role__permissions__codename="view_alert",
    ).distinct()
    users = {u.pk: u for u in candidates}
    if alert.assignee_id and alert.assignee_id not in users:
        users[alert.assignee_id] = alert.assignee
    return [u for u in users.values() if user_can(u, alert, "view")]


def channel_enabled(user: Any, channel: Any, severity: str, preferences: dict[str, Any]) -> bool:
    pref = preferences.get(channel.name)
    if pref is None:
        return bool(channel.default_enabled(user))
    return bool(pref.is_enabled) and severity_rank(severity) >= severity_rank(pref.min_severity)


def queue_notify(alert_id: int, event: str, *, only: Sequence[int] | None = None) -> None:
    """Fan the notifications of an alert event out in a background job (after commit), so that the
    writer — a web request, a scan, the telemetry ingest — does not wait for it (inline in tests)."""
    from jiceng.core.alerts.jobs import notify_alert_job

    notify_alert_job(alert_id, event, list(only) if only is not None else None)


def notify_alert(alert_id: int, event: str, *, only: Sequence[int] | None = None) -> list[Notification]:
    """Create the in-app notifications of one alert event and queue their delivery (after commit)."""
    alert = Alert.objects.select_related("assignee").get(pk=alert_id)
    recipients = list_recipients(alert)
    if only is not None:
        recipients = [u for u in recipients if u.pk in set(only)]
    created = Notification.objects.bulk_create([Notification(user=u, alert=alert, event=event) for u in recipients])
    from jiceng.core.alerts.jobs import deliver_notification_job

    for notification in created:
        deliver_notification_job(notification.pk)
    return created


def deliver_notification(notification_id: int) -> dict[str, str]:
    """Send one notification through each channel the user has enabled (idempotent: skips done ones)."""
    notification = Notification.objects.select_related("user", "alert").get(pk=notification_id)
    preferences = {p.channel: p for p in NotificationPreference.objects.filter(user=notification.user)}
    outcome = dict(notification.delivered or {})
    for name, channel in channels().items():
        if outcome.get(name) == "sent" or not channel_enabled(
            notification.user, channel, notification.alert.severity, preferences
        ):
            continue
        try:
            channel.send(notification)
        except Exception as exc:
            logger.warning("channel %s failed for notification %s: %s", name, notification_id, exc)
            outcome[name] = f"failed: {exc}"[:200]
        else:
            outcome[name] = "sent"
    Notification.objects.filter(pk=notification_id).update(delivered=outcome)
    return outcome


def do_set_preference(
    user: Any, *, channel: str, is_enabled: bool, min_severity: str = "blue"
) -> NotificationPreference:
    """Turn a channel on or off for oneself (and set the least severity it carries)."""
    if channel not in channels():
        raise InvalidInput(_("Unknown channel “%(name)s”.") % {"name": channel}, field="channel")
    severity_rank(min_severity)
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, channel=channel, defaults={"is_enabled": is_enabled, "min_severity": min_severity}
    )
    return pref


def do_mark_read(user: Any, notification_ids: Sequence[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
