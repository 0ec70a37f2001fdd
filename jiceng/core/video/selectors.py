"""Scoped reads of the video engine (404 outside the user's area subtree)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiceng.core.selectors import access_object
from jiceng.core.video.models import Camera, CameraCondition, Detection, Snapshot


def access_camera(user: Any, pk: Any, action: str = "view") -> Camera:
    return access_object(user, Camera, {"pk": pk}, action)


def access_detection(user: Any, pk: Any, action: str = "view") -> Detection:
    return access_object(
        user, Detection, {"pk": pk}, action, queryset=Detection.objects.select_related("camera", "snapshot", "alert")
    )


def access_snapshot(user: Any, pk: Any) -> Snapshot:
    return access_object(user, Snapshot, {"pk": pk}, "view", queryset=Snapshot.objects.select_related("camera"))


def list_cameras(user: Any) -> QuerySet[Camera]:
    return Camera.objects.restrict(user, "view")


def list_detections(user: Any, *, open_only: bool = False) -> QuerySet[Detection]:
    qs = Detection.objects.restrict(user, "view").select_related("camera", "snapshot")
    return qs.filter(handled_at__isnull=True) if open_only else qs


def latest_snapshot(camera: Camera) -> Snapshot | None:
    return camera.snapshots.order_by("-captured_at", "-id").first()


def recent_snapshots(camera: Camera, limit: int = 12) -> list[Snapshot]:
    return list(camera.snapshots.order_by("-captured_at", "-id")[:limit])


def recent_detections(camera: Camera, limit: int = 20) -> list[Detection]:
    return list(camera.detections.order_by("-discovered_at", "-id")[:limit])


def active_conditions(camera: Camera) -> list[CameraCondition]:
    return list(CameraCondition.objects.filter(camera=camera, is_active=True).order_by("detector"))


def get_subject(camera: Camera) -> Any:
    """The watched object itself (``None`` when it is gone)."""
    model = camera.content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=camera.object_id).first()
