"""Video evidence: cameras watching a subject, periodic snapshots, detections that follow the four firsts.

第一时间发现、第一时间预警、第一时间治理、第一时间固定证据 — every detection records when it was
discovered, warned (alert raised), handled (a person's note) and its evidence fixed (frame stored and
hashed). The subject a camera watches belongs to any module (``SubjectReference``: content type + id,
with its area path copied in, which is what ``restrict()`` filters on).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.alerts.models import Severity
from jiceng.core.models import ScopedModel, SubjectReference
from jiceng.core.video.constants import URL_SCHEMES, mask_url


class Camera(SubjectReference, ScopedModel):
    """One camera (or a simulated one, ``sim://``) watching one subject.

    ``next_capture_at`` is the schedule: the periodic job claims a due camera with a
    compare-and-set UPDATE on it, so two workers never capture the same camera twice.
    ``zone`` is a polygon in normalised 0–1 coordinates (``[[x, y], …]``); ``zone_windows`` the
    times it is restricted (``[{"weekdays": [1, …, 7], "start": "HH:MM", "end": "HH:MM"}]``,
    ISO weekdays, empty: always). ``detectors`` lists the enabled detector keys.
    """

    scope_area_field = None
    audit_exclude = (
        "created_at",
        "updated_at",
        "next_capture_at",
        "last_capture_at",
        "last_success_at",
        "failing_since",
        "consecutive_failures",
        "last_error",
        "still_count",
        "signature",
    )

    name = models.CharField(_("name"), max_length=120)
    stream_url = models.CharField(
        _("stream URL"),
        max_length=500,
        help_text=_("rtsp://, http(s):// (MJPEG stream or JPEG snapshot), a file path, or sim:// (simulated)"),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    snapshot_interval_seconds = models.PositiveIntegerField(
        _("snapshot interval (seconds)"),
        null=True,
        blank=True,
        help_text=_("Empty: the policy video.snapshot.interval_seconds."),
    )
    zone = models.JSONField(_("restricted zone"), default=list, blank=True)
    zone_windows = models.JSONField(_("restricted times"), default=list, blank=True)
    detectors = models.JSONField(_("detectors"), default=list, blank=True)

    next_capture_at = models.DateTimeField(_("next capture at"), null=True, blank=True)
    last_capture_at = models.DateTimeField(_("last capture at"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last frame at"), null=True, blank=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    still_count = models.PositiveIntegerField(_("unchanged snapshots in a row"), default=0)
    signature = models.BinaryField(_("last frame signature"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering = ["area_path", "name", "id"]
        indexes = [
            models.Index(fields=["next_capture_at"], condition=Q(is_active=True), name="video_camera_due_idx"),
            models.Index(fields=["content_type", "object_id"], name="video_camera_subject_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_url(self) -> str:
        """The stream URL with any password replaced by ``***``."""
        return mask_url(self.stream_url)

    @property
    def scheme(self) -> str:
        head = self.stream_url.split("://", 1)[0].lower() if "://" in self.stream_url else "file"
        return head if head in URL_SCHEMES else "file"


def snapshot_upload_to(instance: Snapshot, filename: str) -> str:
    return f"video/{instance.camera_id}/{instance.captured_at:%Y/%m/%d}/{filename}"


class Snapshot(ScopedModel):
    """One frame captured from a camera: the JPEG under ``MEDIA_ROOT/video/…``, its SHA-256 and size,
    and the metrics the detectors measured. Evidence frames (``is_evidence``) are never purged;
    ordinary ones go after ``video.snapshot.retention_days``. The file is served only through the
    scoped frame view, never as a public media URL."""

    scope_area_field = None
    scope_path_field = "area_path"

    camera = models.ForeignKey(Camera, verbose_name=_("camera"), on_delete=models.CASCADE, related_name="snapshots")
    area_path = models.CharField(_("area path"), max_length=255, db_index=True)
    captured_at = models.DateTimeField(_("captured at"), db_index=True)
    image = models.FileField(_("frame"), upload_to=snapshot_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    is_evidence = models.BooleanField(_("evidence"), default=False)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-captured_at", "-id"]
        indexes = [
            models.Index(fields=["camera", "-captured_at"], name="video_snapshot_camera_idx"),
            models.Index(fields=["captured_at"], condition=Q(is_evidence=False), name="video_snapshot_purge_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.camera} {timezone.localtime(self.captured_at):%Y-%m-%d %H:%M:%S}"


class Detection(ScopedModel):
    """One finding of one detector on one camera, with the four firsts.

    ``discovered_at`` (the detector fired), ``warned_at`` (the alert was raised, or an open one for
    the same rule and camera was touched), ``evidence_fixed_at`` (the evidence — the frame, or for
    an offline camera the failure record — was stored and its SHA-256 written to the audit trail),
    ``handled_at`` (somebody said what was done). ``value``/``threshold``/``policy_key``/
    ``policy_source`` say which rule fired with which numbers.
    """

    scope_area_field = None
    scope_path_field = "area_path"

    camera = models.ForeignKey(Camera, verbose_name=_("camera"), on_delete=models.PROTECT, related_name="detections")
    area_path = models.CharField(_("area path"), max_length=255, db_index=True)
    detector = models.CharField(_("detector"), max_length=64, db_index=True)
    detector_label = models.CharField(_("detector name"), max_length=120)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    message = models.TextField(_("explanation"))
    value = models.FloatField(_("measured value"), null=True, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    policy_key = models.CharField(_("policy"), max_length=120, blank=True)
    policy_source = models.CharField(_("source"), max_length=300, blank=True)
    boxes = models.JSONField(_("regions"), default=list, blank=True)
    snapshot = models.ForeignKey(
        Snapshot,
        verbose_name=_("evidence frame"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="detections",
    )
    evidence = models.JSONField(_("evidence record"), default=dict, blank=True)
    evidence_sha256 = models.CharField(_("evidence SHA-256"), max_length=64, blank=True)
    alert = models.ForeignKey(
        "alerts.Alert", verbose_name=_("alert"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    discovered_at = models.DateTimeField(_("discovered at"), db_index=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    evidence_fixed_at = models.DateTimeField(_("evidence fixed at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handling_note = models.TextField(_("handling note"), blank=True)
    cleared_at = models.DateTimeField(_("condition cleared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("detection")
        verbose_name_plural = _("detections")
        ordering = ["-discovered_at", "-id"]
        permissions = [("handle_detection", "Can mark a detection handled")]
        indexes = [
            models.Index(
                fields=["camera", "detector"], condition=Q(handled_at__isnull=True), name="video_detection_open_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.camera} · {self.detector_label} · {timezone.localtime(self.discovered_at):%Y-%m-%d %H:%M}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None

    def four_firsts(self) -> list[tuple[Any, Any]]:
        """(label, time) of 发现, 预警, 治理, 固定证据 in that order (``None``: not yet)."""
        return [
            (_("discovered"), self.discovered_at),
            (_("warned"), self.warned_at),
            (_("handled"), self.handled_at),
            (_("evidence fixed"), self.evidence_fixed_at),
        ]


class CameraCondition(models.Model):
    """Whether one detector's condition is present on one camera now (the flood guard).

    While ``is_active`` a repeated finding is the same episode: no new detection, the open alert
    is touched. The condition ends when a capture no longer shows it, or when its detection is
    handled (a condition that persists after handling is discovered again).
    """

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="conditions")
    detector = models.CharField(_("detector"), max_length=64)
    is_active = models.BooleanField(_("present"), default=False)
    since = models.DateTimeField(_("since"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    seen_count = models.PositiveIntegerField(_("times seen"), default=0)
    detection = models.ForeignKey(Detection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("camera condition")
        verbose_name_plural = _("camera conditions")
        constraints = [models.UniqueConstraint(fields=["camera", "detector"], name="video_condition_unique")]

    def __str__(self) -> str:
        return f"{self.camera_id} {self.detector} {'on' if self.is_active else 'off'}"
