"""Video pages: cameras (latest frame, metrics, "capture now"), detections (evidence frame, SHA-256,
the four timestamps, "mark handled"), snapshots, and the scoped frame view (the only way a frame
is served: 404 outside the user's area, never a public media URL)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError
from jiceng.core.scope import user_can
from jiceng.core.video import selectors, services
from jiceng.core.video.detectors import get_detector
from jiceng.core.video.filtersets import CameraFilterSet, DetectionFilterSet, SnapshotFilterSet
from jiceng.core.video.forms import CameraForm, HandleDetectionForm
from jiceng.core.video.models import Camera, Detection, Snapshot
from jiceng.core.video.tables import CameraTable, DetectionTable, SnapshotTable
from jiceng.core.views import ModelViews

METRIC_KEYS = (
    "brightness",
    "contrast",
    "laplacian_variance",
    "difference",
    "still_count",
    "persons",
    "persons_in_zone",
    "offline_minutes",
)


class CameraViews(ModelViews):
    model = Camera
    filterset = CameraFilterSet
    table = CameraTable
    form = CameraForm
    select_related = ["content_type"]
    detail_template = "video/camera_detail.html"
    detail_fields = [
        "name",
        "location",
        "subject_repr",
        "is_active",
        "snapshot_interval_seconds",
        "last_capture_at",
        "last_success_at",
        "next_capture_at",
        "failing_since",
        "consecutive_failures",
        "last_error",
    ]

    @classmethod
    def create(cls, form: BaseForm, user: Any) -> models.Model:
        assert isinstance(form, CameraForm)
        return services.do_create_camera(subject=form.cleaned_data["subject"], acting_user=user, **form.service_data())

    @classmethod
    def update(cls, obj: models.Model, form: BaseForm, user: Any) -> models.Model:
        assert isinstance(form, CameraForm) and isinstance(obj, Camera)
        subject = form.cleaned_data["subject"]
        unchanged = subject is not None and (
            str(subject.pk) == obj.object_id and type(subject)._meta.label_lower == _label(obj)
        )
        return services.do_update_camera(
            obj, data=form.service_data(), subject=None if unchanged else subject, acting_user=user
        )

    @classmethod
    def delete(cls, obj: models.Model, user: Any) -> None:
        assert isinstance(obj, Camera)
        services.do_delete_camera(obj, acting_user=user)

    @classmethod
    def detail_rows(cls, obj: models.Model, user: Any) -> list[tuple[str, Any]]:
        assert isinstance(obj, Camera)
        rows = super().detail_rows(obj, user)
        rows.insert(1, (str(Camera._meta.get_field("stream_url").verbose_name), obj.display_url))
        labels = [str(getattr(get_detector(k), "label", k)) for k in obj.detectors or []]
        rows.append((str(Camera._meta.get_field("detectors").verbose_name), "、".join(labels)))
        return rows

    @classmethod
    def detail_context(cls, obj: models.Model, user: Any) -> dict[str, Any]:
        assert isinstance(obj, Camera)
        latest = selectors.latest_snapshot(obj)
        return {
            "latest": latest,
            "metrics": _metric_rows(latest.metrics if latest else {}),
            "recent": selectors.recent_snapshots(obj),
            "detections": selectors.recent_detections(obj),
            "conditions": selectors.active_conditions(obj),
            "can_capture": user_can(user, obj, "change"),
        }


def _label(camera: Camera) -> str:
    model = camera.content_type.model_class()
    return model._meta.label_lower if model is not None else ""


def _metric_rows(metrics: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(key, metrics[key]) for key in METRIC_KEYS if metrics.get(key) is not None]


class DetectionViews(ModelViews):
    model = Detection
    filterset = DetectionFilterSet
    table = DetectionTable
    select_related = ["camera", "snapshot", "alert", "handled_by"]
    detail_template = "video/detection_detail.html"
    detail_fields = [
        "camera",
        "detector_label",
        "severity",
        "value",
        "threshold",
        "policy_key",
        "policy_source",
        "alert",
        "handled_by",
        "handling_note",
        "cleared_at",
    ]

    @classmethod
    def detail_context(cls, obj: models.Model, user: Any) -> dict[str, Any]:
        assert isinstance(obj, Detection)
        return {
            "four_firsts": obj.four_firsts(),
            "can_handle": obj.handled_at is None and user_can(user, obj, "handle_detection"),
            "handle_form": HandleDetectionForm(),
            "evidence_rows": sorted((obj.evidence or {}).items()),
        }


class SnapshotViews(ModelViews):
    model = Snapshot
    filterset = SnapshotFilterSet
    table = SnapshotTable
    select_related = ["camera"]
    detail_template = "video/snapshot_detail.html"
    detail_fields = ["camera", "captured_at", "is_evidence", "sha256", "size_bytes", "width", "height"]

    @classmethod
    def detail_context(cls, obj: models.Model, user: Any) -> dict[str, Any]:
        assert isinstance(obj, Snapshot)
        return {"metrics": _metric_rows(obj.metrics or {})}


@login_required
def snapshot_frame(request: HttpRequest, pk: int) -> HttpResponse:
    """The JPEG of one snapshot for a user who may view it (404 otherwise); never cached publicly."""
    snapshot = selectors.access_snapshot(request.user, pk)
    try:
        handle = snapshot.image.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("frame file missing") from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = snapshot.sha256
    return response


@login_required
@require_POST
def capture_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Capture one frame now (a user who may change the camera)."""
    camera = selectors.access_camera(request.user, pk, "change")
    try:
        services.do_capture_camera(camera, acting_user=request.user)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    return HttpResponseRedirect(camera.get_absolute_url())


@login_required
def handle_detection(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a detection handled, with a note of what was done (GET shows the form)."""
    detection = selectors.access_detection(request.user, pk, "view")
    if not user_can(request.user, detection, "handle_detection"):
        raise PermissionDenied
    form = HandleDetectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.do_handle_detection(detection, note=form.cleaned_data["note"], acting_user=request.user)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                return HttpResponseRedirect(detection.get_absolute_url())
        else:
            status = 400
    return render(request, "video/handle_detection.html", {"object": detection, "form": form}, status=status)


@login_required
def annotated_frame(request: HttpRequest, pk: int) -> HttpResponse:
    """A copy of the evidence frame with the zone and the regions drawn in (the evidence itself is untouched)."""
    detection = selectors.access_detection(request.user, pk, "view")
    if detection.snapshot is None:
        raise Http404("no frame")
    try:
        with detection.snapshot.image.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise Http404("frame file missing") from exc
    jpeg = render_annotated(data, zone=detection.camera.zone or [], boxes=detection.boxes or [])
    response = HttpResponse(jpeg, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def render_annotated(data: bytes, *, zone: list[list[float]], boxes: list[dict[str, Any]]) -> bytes:
    import cv2
    import numpy as np

    from jiceng.core.video.frames import decode_image, encode_jpeg

    frame = decode_image(data)
    if frame is None:
        raise Http404("not an image")
    height, width = frame.shape[:2]
    if zone:
        points = np.array([(int(x * width), int(y * height)) for x, y in zone], np.int32)
        cv2.polylines(frame, [points], True, (0, 200, 255), 2, cv2.LINE_AA)
    for box in boxes:
        if "x" not in box:
            continue
        x, y = int(box["x"] * width), int(box["y"] * height)
        w, h = int(box["w"] * width), int(box["h"] * height)
        cv2.rectangle(frame, (x, y), (x + w, y + h), (0, 0, 255), 2)
        cv2.putText(
            frame,
            f"{box.get('label', '')} {box.get('score', '')}",
            (x, max(y - 4, 10)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5,
            (0, 0, 255),
            1,
            cv2.LINE_AA,
        )
    return encode_jpeg(frame)
