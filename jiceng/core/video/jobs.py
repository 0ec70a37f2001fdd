"""Video jobs: the capture scheduler (every minute), one capture per claimed camera, daily retention.

The scheduler only claims (compare-and-set on ``Camera.next_capture_at``) and enqueues; the captures
run as separate jobs, so with the Redis backend they spread over every ``jiceng worker`` process.
"""

from __future__ import annotations

import logging

from jiceng.core.jobs.queue import crontab, job, periodic
from jiceng.core.video import services

logger = logging.getLogger(__name__)


@job(retries=0)
def capture_camera_job(camera_id: int) -> dict:
    """Capture one claimed camera (no retry: the next interval is the retry)."""
    from jiceng.core.video.models import Camera

    camera = Camera.objects.filter(pk=camera_id, is_active=True).first()
    if camera is None:
        return {"camera": camera_id, "skipped": True}
    result = services.do_capture_camera(camera)
    return {
        "camera": camera_id,
        "snapshot": result.snapshot.pk if result.snapshot else None,
        "detections": [d.pk for d in result.detections],
        "error": result.error,
    }


@periodic(crontab(minute="*"), name="video.capture_due")
def capture_due_cameras_job() -> int:
    """Claim every camera whose snapshot is due and enqueue its capture."""
    claimed = services.claim_due_cameras()
    for camera_id in claimed:
        try:
            capture_camera_job(camera_id)
        except Exception:  # in immediate mode the capture runs here: one camera must not stop the rest
            logger.exception("capture of camera %s failed", camera_id)
    return len(claimed)


@periodic(crontab(minute="30", hour="3"), name="video.purge_snapshots")
def purge_snapshots_job() -> int:
    """Delete ordinary snapshots past their retention (evidence frames are kept)."""
    return services.do_purge_snapshots()
