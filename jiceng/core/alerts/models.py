"""Alerts: one open alert per (rule, subject), its lifecycle, escalation, comments and notifications."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from jiceng.core.models import ScopedModel
from jiceng.core.scope import RestrictedManager


class Severity(models.TextChoices):
    """The four early-warning colours, least to most severe (蓝 < 黄 < 橙 < 红)."""

    BLUE = "blue", _("blue")
    YELLOW = "yellow", _("yellow")
    ORANGE = "orange", _("orange")
    RED = "red", _("red")


SEVERITY_RANK = {Severity.BLUE: 1, Severity.YELLOW: 2, Severity.ORANGE: 3, Severity.RED: 4}


def severity_rank(severity: str) -> int:
    """1 (blue) … 4 (red); ``ValueError`` for anything else."""
    try:
        return SEVERITY_RANK[Severity(severity)]
    except ValueError as exc:
        raise ValueError(f"unknown severity {severity!r}; use blue, yellow, orange or red") from exc


class AlertState(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    HANDLING = "handling", _("handling")
    CLOSED = "closed", _("closed")


NOT_CLOSED = [AlertState.OPEN, AlertState.ACKNOWLEDGED, AlertState.HANDLING]


class Alert(ConcurrentTransitionMixin, ScopedModel):
    """One alert raised by a rule about one subject in one Area.

    At most one non-closed alert exists per (rule, subject) — a partial unique constraint;
    while the condition persists, ``raise_alert`` only touches it (``last_seen_at``,
    ``seen_count``). ``area_path`` is the level now responsible (escalation moves it one
    level up and notifies that level); the scope is ``origin_area_path``, the Area where it
    was raised: staff of every ancestor already see that subtree, so escalating never hides
    an alert from the people (and the assignee) handling it below.
    """

    scope_area_field = None
    scope_path_field = "origin_area_path"
    audit_exclude = ("created_at", "updated_at", "last_seen_at", "seen_count")

    rule = models.CharField(_("rule"), max_length=120, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("subject type"), on_delete=models.CASCADE)
    object_id = models.CharField(_("subject id"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    subject_repr = models.CharField(_("subject"), max_length=200)
    area_path = models.CharField(_("area path"), max_length=255, blank=True, db_index=True)
    origin_area_path = models.CharField(_("origin area path"), max_length=255, blank=True, db_index=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    severity_rank = models.PositiveSmallIntegerField(_("severity rank"), default=1)
    state = FSMField(_("state"), default=AlertState.OPEN, choices=AlertState.choices, protected=True)
    explanation = models.TextField(_("explanation"))
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee_role = models.CharField(_("assignee role"), max_length=64, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    last_seen_at = models.DateTimeField(_("last seen at"))
    seen_count = models.PositiveIntegerField(_("times seen"), default=1)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalate_at = models.DateTimeField(_("escalate at"), null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-severity_rank", "-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "content_type", "object_id"],
                condition=~Q(state="closed"),
                name="alert_one_open_per_rule_subject",
            ),
            models.CheckConstraint(
                condition=Q(severity__in=["blue", "yellow", "orange", "red"]), name="alert_severity_known"
            ),
        ]
        indexes = [
            models.Index(fields=["escalate_at"], condition=Q(state="open"), name="alert_escalation_due"),
            models.Index(fields=["content_type", "object_id"], name="alert_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} · {self.rule} · {self.subject_repr}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:alert_detail", args=[self.pk])

    @property
    def area_code(self) -> str:
        """The 12-digit code of the Area the alert now sits in (last segment of the path)."""
        parts = [p for p in self.area_path.split("/") if p]
        return parts[-1] if parts else ""

    @property
    def is_closed(self) -> bool:
        return self.state == AlertState.CLOSED

    # --- transitions (run only through jiceng.core.alerts.services) -------------------
    @transition(field=state, source=AlertState.OPEN, target=AlertState.ACKNOWLEDGED, permission="change")
    def acknowledge(self) -> None:
        """Someone responsible has seen it: escalation stops."""
        self.acknowledged_at = timezone.now()
        self.escalate_at = None

    @transition(
        field=state, source=[AlertState.OPEN, AlertState.ACKNOWLEDGED], target=AlertState.HANDLING, permission="change"
    )
    def start_handling(self) -> None:
        """Work on the cause has started."""
        self.acknowledged_at = self.acknowledged_at or timezone.now()
        self.escalate_at = None

    @transition(field=state, source=NOT_CLOSED, target=AlertState.CLOSED, permission="change")
    def close(self) -> None:
        """The cause is dealt with (or the condition has cleared)."""
        self.closed_at = timezone.now()
        self.escalate_at = None

    @transition(field=state, source=AlertState.CLOSED, target=AlertState.OPEN, permission="change")
    def reopen(self) -> None:
        """The cause came back, or the close was premature."""
        self.closed_at = None
        self.acknowledged_at = None


class AlertComment(models.Model):
    """A note on an alert (append-only): who, when, what, attached file references."""

    scope_path_field = "area_path"

    alert = models.ForeignKey(Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_repr = models.CharField(_("author"), max_length=150)
    text = models.TextField(_("text"))
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    area_path = models.CharField(_("area path"), max_length=255, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("alert comment")
        verbose_name_plural = _("alert comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_repr}: {self.text[:50]}"


class Notification(models.Model):
    """One alert told to one user (the in-app inbox; other channels deliver the same row)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    alert = models.ForeignKey(Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(_("event"), max_length=32)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    delivered = models.JSONField(_("delivered by"), default=dict, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.user} · {self.alert}"


class NotificationPreference(models.Model):
    """Whether a user receives alerts through one channel (absent row: the channel's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    channel = models.CharField(_("channel"), max_length=32)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    min_severity = models.CharField(_("minimum severity"), max_length=8, choices=Severity.choices, default="blue")

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.channel}"
