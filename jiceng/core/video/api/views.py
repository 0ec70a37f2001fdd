"""``/api/v1/video/…``: cameras (CRUD, ``capture`` action), detections (read, ``handle`` action),
snapshots (read, ``frame`` — the JPEG, scoped like everything else)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiceng.core.api.viewsets import ScopedGenericViewSet, ScopedModelViewSet, ScopedReadOnlyViewSet
from jiceng.core.video import selectors, services
from jiceng.core.video.api.serializers import (
    CameraSerializer,
    DetectionSerializer,
    HandleSerializer,
    SnapshotSerializer,
)
from jiceng.core.video.filtersets import CameraFilterSet, DetectionFilterSet, SnapshotFilterSet
from jiceng.core.video.models import Camera, Detection, Snapshot


class CameraViewSet(ScopedModelViewSet):
    """Cameras in your area subtree (404 outside it). ``POST {id}/capture/`` takes a frame now."""

    queryset = Camera.objects.select_related("content_type")
    serializer_class = CameraSerializer
    filterset_class = CameraFilterSet
    scope_actions = {"capture": "change"}

    def perform_destroy(self, instance: Any) -> None:
        services.do_delete_camera(instance, acting_user=self.request.user)

    @action(detail=True, methods=["post"])
    def capture(self, request: Request, pk: Any = None) -> Response:
        camera = selectors.access_camera(request.user, pk, "change")
        result = services.do_capture_camera(camera, acting_user=request.user)
        return Response(
            {
                "camera": camera.pk,
                "snapshot": SnapshotSerializer(result.snapshot).data if result.snapshot else None,
                "detections": DetectionSerializer(result.detections, many=True).data,
                "error": result.error,
                "metrics": result.metrics,
            }
        )


class DetectionViewSet(ScopedReadOnlyViewSet):
    """Detections with the four timestamps and the evidence hash. ``POST {id}/handle/`` with ``note``."""

    queryset = Detection.objects.select_related("camera", "snapshot", "handled_by", "alert")
    serializer_class = DetectionSerializer
    filterset_class = DetectionFilterSet
    scope_actions = {"handle": "handle_detection"}

    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: Any = None) -> Response:
        detection = selectors.access_detection(request.user, pk, "view")
        body = HandleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.do_handle_detection(detection, note=body.validated_data["note"], acting_user=request.user)
        done = selectors.access_detection(request.user, done.pk, "view")
        return Response(DetectionSerializer(done).data)


class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Snapshots (frames) with SHA-256, size and metrics; ``GET {id}/frame/`` is the JPEG."""

    queryset = Snapshot.objects.select_related("camera")
    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilterSet

    @action(detail=True, methods=["get"])
    def frame(self, request: Request, pk: Any = None) -> FileResponse:
        snapshot = selectors.access_snapshot(request.user, pk)
        try:
            handle = snapshot.image.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404("frame file missing") from exc
        response = FileResponse(handle, content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        return response
