"""Test factories of the video engine (``TEST_FACTORIES``: the scope matrix proves 404s with them).

Cameras are made through the service; snapshot and detection rows are leaf data written directly
(no frame file, no policy needed), each with the given Area's path as ``area_path``.
"""

from __future__ import annotations

import itertools

from django.utils import timezone

from jiceng.core.video.models import Camera, Detection, Snapshot
from jiceng.core.video.services import do_create_camera

_serial = itertools.count(1)


def make_camera(area, **kwargs):
    """A simulated camera watching the Area itself."""
    n = next(_serial)
    return do_create_camera(
        subject=kwargs.pop("subject", area),
        name=kwargs.pop("name", f"{area.name}摄像头{n}"),
        stream_url=kwargs.pop("stream_url", f"sim://factory-{n}?anomalies=0"),
        location=kwargs.pop("location", f"{area.name}大院"),
        acting_user=None,
        **kwargs,
    )


def make_snapshot(area, **kwargs):
    camera = kwargs.pop("camera", None) or make_camera(area)
    return Snapshot.objects.create(
        camera=camera,
        area_path=camera.area_path,
        captured_at=kwargs.pop("captured_at", timezone.now()),
        image=f"video/{camera.pk}/factory.jpg",
        sha256=kwargs.pop("sha256", "0" * 64),
        size_bytes=1,
        width=640,
        height=480,
        **kwargs,
    )


def make_detection(area, **kwargs):
    camera = kwargs.pop("camera", None) or make_camera(area)
    now = timezone.now()
    return Detection.objects.create(
        camera=camera,
        area_path=camera.area_path,
        detector=kwargs.pop("detector", "dark"),
        detector_label="Covered or dark image",
        severity="yellow",
        message=f"{camera.name}: factory detection",
        value=3.0,
        threshold=30.0,
        policy_key="video.dark.min_brightness",
        discovered_at=now,
        warned_at=now,
        evidence_fixed_at=now,
        evidence_sha256="0" * 64,
        **kwargs,
    )


TEST_FACTORIES = {Camera: make_camera, Snapshot: make_snapshot, Detection: make_detection}
