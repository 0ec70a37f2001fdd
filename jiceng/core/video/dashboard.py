"""Video supervision on the overview: cameras without a frame, detections not yet handled (set-based counts)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from jiceng.core.dashboard import register_widget
from jiceng.core.scope import user_scope_paths
from jiceng.core.video.models import Camera, Detection


def compute_figures(user: Any) -> dict[str, int]:
    cameras = Camera.objects.restrict(user, "view").aggregate(
        active=Count("id", filter=Q(is_active=True)),
        failing=Count("id", filter=Q(is_active=True, failing_since__isnull=False)),
    )
    open_detections = Detection.objects.restrict(user, "view").filter(handled_at__isnull=True).count()
    return {"active": cameras["active"], "failing": cameras["failing"], "open": open_detections}


@register_widget("video.overview", order=40)
def video_overview(request: HttpRequest) -> dict[str, Any] | None:
    if not user_scope_paths(request.user, "video.view_camera"):
        return None
    return {"template": "video/widgets/overview.html", **compute_figures(request.user)}
