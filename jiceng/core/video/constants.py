"""Policy keys, URL schemes and small helpers shared by the video engine (no numbers: those are policies)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

URL_SCHEMES = ("rtsp", "rtsps", "http", "https", "file", "sim")

# Policies (jiceng/core/video/seed/policies.json); code reads them through get_policy only.
INTERVAL = "video.snapshot.interval_seconds"
RETENTION = "video.snapshot.retention_days"
CAPTURE_TIMEOUT = "video.capture.timeout_seconds"
OFFLINE_MINUTES = "video.offline.after_minutes"
FROZEN_DIFFERENCE = "video.frozen.max_difference"
FROZEN_SNAPSHOTS = "video.frozen.snapshots"
BLUR_VARIANCE = "video.blur.min_laplacian_variance"
DARK_BRIGHTNESS = "video.dark.min_brightness"
DARK_CONTRAST = "video.dark.min_contrast"
PERSON_SCORE = "video.person.min_score"
ONNX_SCORE = "video.onnx.min_score"

ALERT_RULE_PREFIX = "video."


def mask_url(url: str) -> str:
    """``rtsp://admin:secret@10.0.0.5/live`` → ``rtsp://admin:***@10.0.0.5/live`` (pages, API, logs)."""
    if "://" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username}:***@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
