"""Video services: cameras, the capture pipeline (claim → grab → detect → store → detections → alerts),
handling detections, and snapshot retention. See docs/engines/video.md.

The four firsts of a detection (第一时间发现、预警、治理、固定证据):

1. *discovered* — a detector returns a finding for a frame (or a failed capture): ``discovered_at``;
2. *evidence fixed* — the frame is written under ``MEDIA_ROOT/video/…``, hashed (SHA-256) and kept
   for good (``is_evidence``); the detection's audit entry carries the hash: ``evidence_fixed_at``;
3. *warned* — ``alerts.raise_alert(rule="video.<detector>", subject=camera)`` (one open alert per
   rule and camera; while it is open a repeat only touches it): ``warned_at``;
4. *handled* — ``do_handle_detection(detection, note=…)`` records who did what: ``handled_at``.

While a condition persists on a camera (``CameraCondition.is_active``) a repeated finding is the
same episode: no new detection, the open alert is touched. Policies read: see ``constants``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit, services
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.models import AuditAction
from jiceng.core.scope import object_area_path, user_can
from jiceng.core.video import capture, frames
from jiceng.core.video import constants as keys
from jiceng.core.video.detectors import DetectionContext, Detector, Finding, default_detector_keys, get_detector
from jiceng.core.video.detectors import unknown_keys as unknown_detector_keys
from jiceng.core.video.models import Camera, CameraCondition, Detection, Snapshot
from jiceng.core.video.zones import clean_windows, clean_zone

logger = logging.getLogger(__name__)

CAMERA_FIELDS = (
    "name",
    "stream_url",
    "location",
    "is_active",
    "snapshot_interval_seconds",
    "zone",
    "zone_windows",
    "detectors",
)


def _policy(key: str, area_path: str, now: dt.datetime) -> Any:
    from jiceng.core.policies.services import get_policy

    return get_policy(key, area_path=area_path, on=timezone.localdate(now))


# --- cameras ------------------------------------------------------------------------------
def clean_stream_url(url: Any) -> str:
    """A supported camera URL: rtsp(s)://, http(s)://, file://, sim:// or an absolute file path."""
    text = str(url or "").strip()
    if not text:
        raise InvalidInput(_("Give the camera's stream URL."), field="stream_url")
    if "://" in text:
        scheme = text.split("://", 1)[0].lower()
        if scheme not in keys.URL_SCHEMES or len(text) <= len(scheme) + 3:
            raise InvalidInput(
                _("Unsupported stream URL “%(url)s”: use rtsp://, http(s)://, file://, sim:// or a file path.")
                % {"url": keys.mask_url(text)},
                field="stream_url",
            )
    elif not text.startswith("/"):
        raise InvalidInput(_("A file path must be absolute (start with /)."), field="stream_url")
    return text


def clean_detector_keys(value: Any) -> list[str]:
    if value is None:
        return default_detector_keys()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInput(_("Detectors are a list of detector keys."), field="detectors")
    chosen = list(dict.fromkeys(str(k) for k in value))
    unknown = unknown_detector_keys(chosen)
    if unknown:
        raise InvalidInput(_("Unknown detectors: %(keys)s.") % {"keys": ", ".join(unknown)}, field="detectors")
    return chosen


def _clean_camera_data(data: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = {k: v for k, v in data.items() if k in CAMERA_FIELDS}
    if "stream_url" in cleaned:
        cleaned["stream_url"] = clean_stream_url(cleaned["stream_url"])
    if "zone" in cleaned:
        cleaned["zone"] = clean_zone(cleaned["zone"])
    if "zone_windows" in cleaned:
        cleaned["zone_windows"] = clean_windows(cleaned["zone_windows"])
    if "detectors" in cleaned:
        cleaned["detectors"] = clean_detector_keys(cleaned["detectors"])
    interval = cleaned.get("snapshot_interval_seconds")
    if interval is not None and int(interval) < 1:
        raise InvalidInput(_("The snapshot interval is at least one second."), field="snapshot_interval_seconds")
    return cleaned


def _subject_data(subject: models.Model) -> dict[str, Any]:
    if subject is None or subject.pk is None:
        raise InvalidInput(_("A camera watches a saved subject."), field="subject")
    path = object_area_path(subject)
    if not path:
        raise InvalidInput(_("The subject has no area, so the camera could not be scoped."), field="subject")
    return {
        "content_type": ContentType.objects.get_for_model(subject),
        "object_id": str(subject.pk),
        "subject_repr": str(subject)[:200],
        "area_path": path,
    }


def do_create_camera(
    *,
    subject: models.Model,
    name: str,
    stream_url: str,
    location: str = "",
    is_active: bool = True,
    snapshot_interval_seconds: int | None = None,
    zone: Any = None,
    zone_windows: Any = None,
    detectors: Any = None,
    acting_user: Any = None,
) -> Camera:
    """A camera watching ``subject`` (any saved object with an area). Its first capture is due now.

    ``detectors=None`` enables the default set (offline, frozen, blur, dark, person in zone — the
    last does nothing until a zone is drawn). Audited; refused outside the writer's area subtree.
    """
    data = _clean_camera_data(
        {
            "name": name,
            "stream_url": stream_url,
            "location": location,
            "is_active": is_active,
            "snapshot_interval_seconds": snapshot_interval_seconds,
            "zone": zone or [],
            "zone_windows": zone_windows or [],
            "detectors": detectors,
        }
    )
    data |= _subject_data(subject)
    data["next_capture_at"] = timezone.now()
    with transaction.atomic():
        camera = services.do_create(Camera, data=data, acting_user=acting_user)
    return camera


def do_update_camera(
    camera: Camera, *, data: Mapping[str, Any], subject: models.Model | None = None, acting_user: Any = None
) -> Camera:
    """Change a camera; a new ``subject`` moves it (and its snapshots and detections) to that subject's area."""
    cleaned = _clean_camera_data(data)
    if subject is not None:
        cleaned |= _subject_data(subject)
    with transaction.atomic():
        updated = services.do_update(camera, data=cleaned, acting_user=acting_user)
        if subject is not None:
            Snapshot.objects.filter(camera=updated).exclude(area_path=updated.area_path).update(
                area_path=updated.area_path
            )
            Detection.objects.filter(camera=updated).exclude(area_path=updated.area_path).update(
                area_path=updated.area_path
            )
    return updated


def do_delete_camera(camera: Camera, *, acting_user: Any = None) -> None:
    """Delete a camera and its ordinary snapshots; refused while detections (evidence) refer to it."""
    names = list(Snapshot.objects.filter(camera=camera).values_list("image", flat=True))
    with transaction.atomic():
        services.do_delete(camera, acting_user=acting_user)
        transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name)


# --- scheduling ---------------------------------------------------------------------------
def interval_seconds(camera: Camera, now: dt.datetime) -> int:
    """The camera's own interval, else the policy ``video.snapshot.interval_seconds`` for its area."""
    if camera.snapshot_interval_seconds:
        return int(camera.snapshot_interval_seconds)
    return int(_policy(keys.INTERVAL, camera.area_path, now).value)


def claim_due_cameras(now: dt.datetime | None = None, *, limit: int = 1000) -> list[int]:
    """Claim every active camera whose capture is due: one compare-and-set UPDATE per camera.

    The UPDATE matches the ``next_capture_at`` that was read, so of two schedulers (or a retry)
    only one moves it forward and gets the camera; the other matches no row. Returns the ids won.
    """
    now = now or timezone.now()
    due = (
        Camera.objects.filter(is_active=True)
        .filter(Q(next_capture_at__lte=now) | Q(next_capture_at__isnull=True))
        .order_by("next_capture_at", "pk")
        .values_list("pk", "next_capture_at", "snapshot_interval_seconds", "area_path")[:limit]
    )
    claimed = []
    for pk, planned, own_interval, area_path in list(due):
        seconds = int(own_interval or _policy(keys.INTERVAL, area_path, now).value)
        same = {"next_capture_at__isnull": True} if planned is None else {"next_capture_at": planned}
        won = Camera.objects.filter(pk=pk, is_active=True, **same).update(
            next_capture_at=now + dt.timedelta(seconds=seconds)
        )
        if won:
            claimed.append(pk)
    return claimed


# --- capture ------------------------------------------------------------------------------
@dataclass
class CaptureResult:
    """What one capture did: the stored frame (if any), the new detections, the failure (if any)."""

    camera: Camera
    snapshot: Snapshot | None = None
    detections: list[Detection] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)


def _enabled(camera: Camera) -> list[Detector]:
    found = []
    for key in camera.detectors or []:
        detector = get_detector(key)
        if detector is None:
            logger.warning("camera %s enables unknown detector %s", camera.pk, key)
            continue
        found.append(detector)
    return found


def base_metrics(frame: Any, previous_signature: bytes | None) -> tuple[dict[str, Any], bytes]:
    """The shared measures every detector may read, and the frame's signature for next time."""
    signature = frames.signature(frame)
    difference = frames.difference(previous_signature, signature)
    metrics = {
        "brightness": round(frames.brightness(frame), 3),
        "contrast": round(frames.contrast(frame), 3),
        "laplacian_variance": round(frames.laplacian_variance(frame), 3),
        "difference": None if difference is None else round(difference, 4),
    }
    return metrics, signature


def run_detectors(
    camera: Camera, frame: Any, *, now: dt.datetime, metrics: dict[str, Any], state: dict[str, Any], error: str = ""
) -> tuple[list[Finding], set[str]]:
    """Run the camera's detectors; returns the findings and the keys of the detectors that judged.

    A detector that raises is logged and skipped (``metrics["errors"]``): one broken model must not
    stop the others. Findings of a detector are dropped when one of its ``suppressed_by`` fired.
    """
    context = DetectionContext(camera=camera, now=now, metrics=metrics, state=state, error=error)
    findings: dict[str, list[Finding]] = {}
    judged: set[str] = set()
    for detector in _enabled(camera):
        if frame is None and not detector.runs_without_frame:
            continue
        try:
            findings[detector.key] = list(detector.detect(frame, context))
        except Exception as exc:  # a deployer's detector may fail in any way
            logger.exception("detector %s failed on camera %s", detector.key, camera.pk)
            metrics.setdefault("errors", {})[detector.key] = f"{type(exc).__name__}: {exc}"[:200]
            continue
        judged.add(detector.key)
    kept: list[Finding] = []
    for key, items in findings.items():
        detector = get_detector(key)
        if detector is not None and any(findings.get(other) for other in detector.suppressed_by):
            metrics.setdefault("suppressed", []).append(key)
            continue
        kept.extend(items)
    return kept, judged


def do_capture_camera(
    camera: Camera | int, *, now: dt.datetime | None = None, frame: Any = None, acting_user: Any = None
) -> CaptureResult:
    """Capture one frame of ``camera`` and act on it (the job calls this after claiming the camera).

    The network read happens outside any transaction; then, in one transaction with the camera
    row locked: the camera's health fields, the snapshot (file + SHA-256 + size + metrics), the
    detections with their evidence and audit entries, the alerts. ``frame`` may be given (tests,
    an upload) instead of reading the stream. ``acting_user`` (a "capture now" button) must be
    able to change the camera.
    """
    camera = Camera.objects.get(pk=camera.pk if isinstance(camera, Camera) else camera)  # fresh state, not a stale copy
    if acting_user is not None and not user_can(acting_user, camera, "change"):
        raise PermissionRefused(_("You do not have permission to do this."))
    now = now or timezone.now()
    error = ""
    original: bytes | None = None
    if frame is None:
        timeout = float(_policy(keys.CAPTURE_TIMEOUT, camera.area_path, now).value)
        try:
            grabbed = capture.grab(camera.stream_url, timeout=timeout, now=now)
        except capture.CaptureFailed as exc:
            error = str(exc)[:300]
        else:
            frame, original = grabbed.frame, grabbed.jpeg
    failing_since = None if frame is not None else (camera.failing_since or now)
    state: dict[str, Any] = {"still_count": camera.still_count, "failing_since": failing_since}
    metrics: dict[str, Any] = {}
    signature = None
    if frame is not None:
        metrics, signature = base_metrics(frame, bytes(camera.signature) if camera.signature else None)
    findings, judged = run_detectors(camera, frame, now=now, metrics=metrics, state=state, error=error)
    jpeg = (original or frames.encode_jpeg(frame)) if frame is not None else b""  # the camera's own JPEG if it sent one
    stored_name = ""
    if jpeg:
        digest = frames.sha256(jpeg)
        name = f"{timezone.localtime(now):%H%M%S}-{digest[:16]}.jpg"
        stored_name = default_storage.save(
            f"video/{camera.pk}/{timezone.localtime(now):%Y/%m/%d}/{name}", ContentFile(jpeg)
        )
    try:
        with transaction.atomic():
            result = _record_capture(
                camera,
                now=now,
                frame=frame,
                jpeg=jpeg,
                stored_name=stored_name,
                signature=signature,
                metrics=metrics,
                state=state,
                error=error,
                findings=findings,
                judged=judged,
            )
    except Exception:
        if stored_name:
            _delete_files([stored_name])
        raise
    return result


def _record_capture(
    camera: Camera,
    *,
    now: dt.datetime,
    frame: Any,
    jpeg: bytes,
    stored_name: str,
    signature: bytes | None,
    metrics: dict[str, Any],
    state: dict[str, Any],
    error: str,
    findings: list[Finding],
    judged: set[str],
) -> CaptureResult:
    locked = Camera.objects.select_for_update(no_key=True).get(pk=camera.pk)
    result = CaptureResult(camera=locked, findings=findings, error=error, metrics=metrics)
    locked.last_capture_at = now
    update = ["last_capture_at", "failing_since", "consecutive_failures", "last_error", "still_count", "updated_at"]
    if frame is None:
        locked.failing_since = state["failing_since"]
        locked.consecutive_failures += 1
        locked.last_error = error
    else:
        locked.failing_since, locked.consecutive_failures, locked.last_error = None, 0, ""
        locked.last_success_at, locked.signature = now, signature
        update += ["last_success_at", "signature"]
    locked.still_count = int(state.get("still_count", locked.still_count))
    locked.save(update_fields=update)

    conditions = {c.detector: c for c in CameraCondition.objects.select_for_update(no_key=True).filter(camera=locked)}
    fired = {f.detector for f in findings}
    new_episodes = [f for f in findings if not (conditions.get(f.detector) and conditions[f.detector].is_active)]
    snapshot = None
    if jpeg:
        height, width = frame.shape[:2]
        snapshot = Snapshot(
            camera=locked,
            area_path=locked.area_path,
            captured_at=now,
            sha256=frames.sha256(jpeg),
            size_bytes=len(jpeg),
            width=int(width),
            height=int(height),
            metrics=metrics,
            is_evidence=bool(new_episodes),
        )
        snapshot.image.name = stored_name
        snapshot.save()
        result.snapshot = snapshot
        if snapshot.is_evidence:
            audit.record(
                AuditAction.CREATE,
                snapshot,
                actor=None,
                after={"sha256": snapshot.sha256, "size_bytes": snapshot.size_bytes, "file": stored_name},
                comment=_("evidence frame fixed"),
            )
    evidence_fixed_at = timezone.now()
    by_detector: dict[str, list[Finding]] = {}
    for finding in findings:
        by_detector.setdefault(finding.detector, []).append(finding)
    for key, items in by_detector.items():
        condition = conditions.get(key) or CameraCondition.objects.create(camera=locked, detector=key)
        conditions[key] = condition
        if condition.is_active:  # the same episode: count it, touch the open alert
            condition.last_seen_at, condition.seen_count = now, condition.seen_count + 1
            condition.save(update_fields=["last_seen_at", "seen_count"])
            _warn(locked, items[0], condition.detection)
            continue
        detection = _open_detection(
            locked, items, snapshot=snapshot, now=now, evidence_fixed_at=evidence_fixed_at, error=error, state=state
        )
        condition.is_active, condition.since, condition.last_seen_at = True, now, now
        condition.seen_count, condition.detection = 1, detection
        condition.save(update_fields=["is_active", "since", "last_seen_at", "seen_count", "detection"])
        result.detections.append(detection)
    for key in judged - fired:  # the detector looked and saw nothing: the condition is over
        condition = conditions.get(key)
        if condition is None or not condition.is_active:
            continue
        _clear_condition(locked, condition, now)
    return result


def _explanation(camera: Camera, detector_label: str, finding: Finding) -> str:
    policy = finding.policy
    return _("Camera “%(camera)s” (%(location)s) — %(detector)s: %(message)s [%(policy_key)s]") % {
        "camera": camera.name,
        "location": camera.location or camera.subject_repr,
        "detector": detector_label,
        "message": finding.message,
        "policy_key": getattr(policy, "key", ""),
    }


def _evidence_record(
    camera: Camera, finding: Finding, *, now: dt.datetime, error: str, state: dict[str, Any]
) -> dict[str, Any]:
    """The evidence of a finding without a frame (an offline camera): the failure record."""
    since = state.get("failing_since")
    return {
        "camera": camera.pk,
        "url": camera.display_url,
        "checked_at": now.isoformat(),
        "failing_since": since.isoformat() if since else None,
        "consecutive_failures": camera.consecutive_failures,
        "last_frame_at": camera.last_success_at.isoformat() if camera.last_success_at else None,
        "error": error,
        "value": finding.value,
        "threshold": finding.threshold,
    }


def _open_detection(
    camera: Camera,
    items: list[Finding],
    *,
    snapshot: Snapshot | None,
    now: dt.datetime,
    evidence_fixed_at: dt.datetime,
    error: str,
    state: dict[str, Any],
) -> Detection:
    finding = items[0]
    detector = get_detector(finding.detector)
    label = str(detector.label) if detector is not None else finding.detector
    policy = finding.policy
    boxes = [box for item in items for box in item.boxes]
    detection = Detection(
        camera=camera,
        area_path=camera.area_path,
        detector=finding.detector,
        detector_label=label[:120],
        severity=finding.severity or (detector.severity if detector is not None else "yellow"),
        message=_explanation(camera, label, finding),
        value=finding.value,
        threshold=finding.threshold,
        policy_key=getattr(policy, "key", ""),
        policy_source=(policy.cite() if policy is not None else "")[:300],
        boxes=boxes,
        snapshot=snapshot,
        discovered_at=now,
    )
    if snapshot is not None:
        detection.evidence = {"file": snapshot.image.name, "size_bytes": snapshot.size_bytes, **finding.details}
        detection.evidence_sha256 = snapshot.sha256
    else:
        detection.evidence = _evidence_record(camera, finding, now=now, error=error, state=state) | finding.details
        canonical = json.dumps(detection.evidence, sort_keys=True, ensure_ascii=False, default=str).encode()
        detection.evidence_sha256 = frames.sha256(canonical)
    detection.evidence_fixed_at = evidence_fixed_at
    detection.full_clean(exclude=["alert", "handled_by", "snapshot"])
    detection.save()
    audit.record(
        AuditAction.CREATE,
        detection,
        actor=None,
        after={**audit.snapshot(detection), "sha256": detection.evidence_sha256},
        comment=_("evidence fixed: SHA-256 %(sha)s") % {"sha": detection.evidence_sha256},
    )
    _warn(camera, finding, detection)
    return detection


def _warn(camera: Camera, finding: Finding, detection: Detection | None) -> None:
    """Raise the alert of the finding (or touch the open one) and stamp ``warned_at`` on the detection."""
    from jiceng.core.alerts.models import NOT_CLOSED, Alert
    from jiceng.core.alerts.services import raise_alert

    detector = get_detector(finding.detector)
    label = str(detector.label) if detector is not None else finding.detector
    policy = finding.policy
    rule = f"{keys.ALERT_RULE_PREFIX}{finding.detector}"
    evidence = {
        "camera": camera.name,
        "detector": finding.detector,
        "value": finding.value,
        "threshold": finding.threshold,
        "policy": getattr(policy, "key", ""),
        "source": policy.cite() if policy is not None else "",
        "source_status": getattr(policy, "source_status", ""),
    }
    if detection is not None:
        evidence |= {"detection": detection.pk, "sha256": detection.evidence_sha256}
    severity = finding.severity or (detector.severity if detector is not None else "yellow")
    alert = raise_alert(
        rule=rule,
        subject=camera,
        severity=severity,
        explanation=detection.message if detection is not None else _explanation(camera, label, finding),
        evidence=evidence,
        area_path=camera.area_path,
    )
    if detection is None or detection.warned_at is not None:
        return
    if alert is None:
        alert = (
            Alert.objects.filter(
                rule=rule,
                content_type=ContentType.objects.get_for_model(Camera),
                object_id=str(camera.pk),
                state__in=NOT_CLOSED,
            )
            .order_by("-raised_at")
            .first()
        )
    detection.alert, detection.warned_at = alert, timezone.now()
    detection.save(update_fields=["alert", "warned_at", "updated_at"])


def _clear_condition(camera: Camera, condition: CameraCondition, now: dt.datetime) -> None:
    """A detector saw its condition gone: end the episode; camera-health alerts close themselves."""
    from jiceng.core.alerts.services import resolve_alert

    detection_id = condition.detection_id
    condition.is_active, condition.detection = False, None
    condition.save(update_fields=["is_active", "detection"])
    if detection_id:
        Detection.objects.filter(pk=detection_id, cleared_at__isnull=True).update(cleared_at=now, updated_at=now)
    detector = get_detector(condition.detector)
    if detector is not None and detector.clears_itself:
        resolve_alert(
            rule=f"{keys.ALERT_RULE_PREFIX}{condition.detector}",
            subject=camera,
            comment=_("The condition cleared at %(time)s.") % {"time": timezone.localtime(now).strftime("%H:%M")},
        )


# --- handling -----------------------------------------------------------------------------
def do_handle_detection(detection: Detection, *, note: str, acting_user: Any = None) -> Detection:
    """Record that the detection was dealt with (第一时间治理): who, when, what was done.

    Needs ``video.handle_detection`` over the detection's area. Closes the alert of this rule and
    camera when no other unhandled detection of it is left, and ends the camera's condition, so a
    condition that is still there at the next capture is discovered again.
    """
    from jiceng.core.alerts.services import resolve_alert

    if acting_user is not None and not user_can(acting_user, detection, "handle_detection"):
        raise PermissionRefused(_("You do not have permission to do this."))
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Say what was done before marking the detection handled."), field="note")
    with transaction.atomic():
        locked = Detection.objects.select_for_update(no_key=True).select_related("camera").get(pk=detection.pk)
        if locked.handled_at is not None:
            raise InvalidInput(
                _("This detection was already handled on %(time)s.")
                % {"time": timezone.localtime(locked.handled_at).strftime("%Y-%m-%d %H:%M")},
                code="already_handled",
            )
        before = audit.snapshot(locked)
        actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
        locked.handled_at, locked.handled_by, locked.handling_note = timezone.now(), actor, note
        try:
            locked.full_clean(exclude=["alert", "handled_by", "snapshot", "camera"])
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="note") from exc
        locked.save(update_fields=["handled_at", "handled_by", "handling_note", "updated_at"])
        audit.record(
            AuditAction.UPDATE, locked, actor=acting_user, before=before, after=audit.snapshot(locked), comment=note
        )
        CameraCondition.objects.filter(camera=locked.camera, detector=locked.detector, detection=locked).update(
            is_active=False, detection=None
        )
        still_open = Detection.objects.filter(
            camera=locked.camera, detector=locked.detector, handled_at__isnull=True
        ).exists()
        if not still_open:
            resolve_alert(
                rule=f"{keys.ALERT_RULE_PREFIX}{locked.detector}",
                subject=locked.camera,
                acting_user=acting_user,
                comment=note,
            )
    return locked


# --- retention ----------------------------------------------------------------------------
def do_purge_snapshots(now: dt.datetime | None = None, *, batch: int = 500) -> int:
    """Delete ordinary snapshots older than ``video.snapshot.retention_days`` (per camera area).

    Evidence frames are kept, and so is each camera's latest frame (its page shows it). Files go
    after the rows are committed. Returns the number of snapshots removed.
    """
    now = now or timezone.now()
    removed = 0
    for area_path in Camera.objects.order_by().values_list("area_path", flat=True).distinct():
        days = int(_policy(keys.RETENTION, area_path, now).value)
        cutoff = now - dt.timedelta(days=days)
        latest = (
            Snapshot.objects.filter(camera=models.OuterRef("camera")).order_by("-captured_at", "-id").values("pk")[:1]
        )
        while True:
            rows = list(
                Snapshot.objects.filter(area_path=area_path, is_evidence=False, captured_at__lt=cutoff)
                .exclude(pk=models.Subquery(latest))
                .values_list("pk", "image")[:batch]
            )
            if not rows:
                break
            with transaction.atomic():
                Snapshot.objects.filter(pk__in=[pk for pk, _name in rows], is_evidence=False).delete()
                names = [name for _pk, name in rows]
                transaction.on_commit(lambda names=names: _delete_files(names))
            removed += len(rows)
    return removed
