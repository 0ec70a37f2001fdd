"""The built-in detectors: offline, frozen image, blur, covered/dark frame, person in a restricted zone.

None of them needs downloaded weights: the measures are plain image statistics, and the person
detector is OpenCV's bundled HOG + linear SVM people detector
(``cv2.HOGDescriptor_getDefaultPeopleDetector()``, part of OpenCV 4.x; OpenCV 5 removed it).
Every threshold is a policy (jiceng/core/video/seed/policies.json).
"""

from __future__ import annotations

import threading
from typing import Any

import cv2
import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.core.video import constants as keys
from jiceng.core.video.detectors import DetectionContext, Detector, Finding, register_detector
from jiceng.core.video.zones import is_restricted_at, point_in_zone


def _num(value: Any) -> float:
    return float(value)


class OfflineDetector(Detector):
    """The camera gave no frame for at least ``video.offline.after_minutes``."""

    key = "offline"
    label = gettext_lazy("Camera offline")
    severity = "yellow"
    runs_without_frame = True

    def detect(self, frame: Any, context: DetectionContext) -> list[Finding]:
        since = context.state.get("failing_since")
        if frame is not None or since is None:
            return []
        limit = context.policy(keys.OFFLINE_MINUTES)
        minutes = (context.now - since).total_seconds() / 60
        context.metrics["offline_minutes"] = round(minutes, 1)
        if minutes < _num(limit.value):
            return []
        message = _(
            "no frame for %(minutes).0f minutes (since %(since)s; last error: %(error)s), at least %(policy)s"
        ) % {
            "minutes": minutes,
            "since": timezone.localtime(since).strftime("%Y-%m-%d %H:%M"),
            "error": context.error or "—",
            "policy": limit.explain(),
        }
        return [Finding(self.key, message, value=round(minutes, 1), threshold=_num(limit.value), policy=limit)]


class FrozenDetector(Detector):
    """Consecutive frames differ by less than ``video.frozen.max_difference`` for ``video.frozen.snapshots`` snapshots."""

    key = "frozen"
    label = gettext_lazy("Frozen image")
    severity = "yellow"
    suppressed_by = ("dark",)

    def detect(self, frame: Any, context: DetectionContext) -> list[Finding]:
        difference = context.metrics.get("difference")
        limit = context.policy(keys.FROZEN_DIFFERENCE)
        count_limit = context.policy(keys.FROZEN_SNAPSHOTS)
        still = difference is not None and difference < _num(limit.value)
        count = int(context.state.get("still_count", 0)) + 1 if still else 0
        context.state["still_count"] = count
        context.metrics["still_count"] = count
        if count < int(count_limit.value):
            return []
        message = _(
            "%(count)d snapshots in a row differ from the one before by %(difference).2f grey levels on average, "
            "below %(policy)s, for at least %(count_policy)s"
        ) % {"count": count, "difference": difference, "policy": limit.explain(), "count_policy": count_limit.explain()}
        return [
            Finding(
                self.key,
                message,
                value=round(float(difference or 0.0), 3),
                threshold=_num(limit.value),
                policy=limit,
                details={"still_count": count, "count_policy": count_limit.key, "count_limit": int(count_limit.value)},
            )
        ]


class BlurDetector(Detector):
    """The variance of the Laplacian is below ``video.blur.min_laplacian_variance`` (defocused, smeared lens)."""

    key = "blur"
    label = gettext_lazy("Blurred image")
    severity = "blue"
    suppressed_by = ("dark",)

    def detect(self, frame: Any, context: DetectionContext) -> list[Finding]:
        variance = context.metrics["laplacian_variance"]
        limit = context.policy(keys.BLUR_VARIANCE)
        if variance >= _num(limit.value):
            return []
        message = _("sharpness (variance of the Laplacian) %(value).1f is below %(policy)s") % {
            "value": variance,
            "policy": limit.explain(),
        }
        return [Finding(self.key, message, value=round(variance, 2), threshold=_num(limit.value), policy=limit)]


class DarkDetector(Detector):
    """Mean brightness below ``video.dark.min_brightness`` or contrast below ``video.dark.min_contrast``."""

    key = "dark"
    label = gettext_lazy("Covered or dark image")
    severity = "yellow"

    def detect(self, frame: Any, context: DetectionContext) -> list[Finding]:
        bright = context.metrics["brightness"]
        spread = context.metrics["contrast"]
        dark = context.policy(keys.DARK_BRIGHTNESS)
        flat = context.policy(keys.DARK_CONTRAST)
        if bright < _num(dark.value):
            message = _("mean brightness %(value).1f is below %(policy)s") % {"value": bright, "policy": dark.explain()}
            return [Finding(self.key, message, value=round(bright, 2), threshold=_num(dark.value), policy=dark)]
        if spread < _num(flat.value):
            message = _("contrast (standard deviation of grey levels) %(value).1f is below %(policy)s") % {
                "value": spread,
                "policy": flat.explain(),
            }
            return [Finding(self.key, message, value=round(spread, 2), threshold=_num(flat.value), policy=flat)]
        return []


class PersonInZoneDetector(Detector):
    """A person whose feet are inside the camera's restricted zone during a restricted time.

    People are found with OpenCV's HOG people detector; a box counts when its SVM score reaches
    ``video.person.min_score``. The point that must lie in the zone is the bottom centre of the box
    (where the person stands). Frames wider than ``PROCESS_WIDTH`` are scaled down first; a person
    must be at least about 130 pixels tall at that width (the detector's window is 64 × 128).
    """

    key = "person_zone"
    label = gettext_lazy("Person in a restricted zone")
    severity = "orange"
    clears_itself = False

    PROCESS_WIDTH = 640
    WIN_STRIDE = (8, 8)
    PADDING = (8, 8)
    SCALE = 1.05

    def __init__(self) -> None:
        self._local = threading.local()  # a HOGDescriptor is not shared between threads

    def _hog(self) -> cv2.HOGDescriptor:
        hog = getattr(self._local, "hog", None)
        if hog is None:
            hog = cv2.HOGDescriptor()
            hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
            self._local.hog = hog
        return hog

    def people(self, frame: np.ndarray) -> list[dict[str, float]]:
        """Every person box as fractions of the frame: x, y, w, h and the SVM score."""
        height, width = frame.shape[:2]
        factor = min(1.0, self.PROCESS_WIDTH / float(width))
        small = cv2.resize(frame, (int(width * factor), int(height * factor))) if factor < 1.0 else frame
        rects, weights = self._hog().detectMultiScale(
            small, winStride=self.WIN_STRIDE, padding=self.PADDING, scale=self.SCALE
        )
        sh, sw = small.shape[:2]
        boxes = []
        for (x, y, w, h), score in zip(rects, np.ravel(weights), strict=False):
            boxes.append(
                {
                    "x": round(float(x) / sw, 4),
                    "y": round(float(y) / sh, 4),
                    "w": round(float(w) / sw, 4),
                    "h": round(float(h) / sh, 4),
                    "score": round(float(score), 3),
                    "label": "person",
                }
            )
        return boxes

    def detect(self, frame: Any, context: DetectionContext) -> list[Finding]:
        zone = context.camera.zone or []
        if not zone:
            return []
        restricted = is_restricted_at(context.camera.zone_windows or [], context.now)
        context.metrics["zone_restricted"] = restricted
        if not restricted:
            return []
        limit = context.policy(keys.PERSON_SCORE)
        found = [b for b in self.people(frame) if b["score"] >= _num(limit.value)]
        inside = [b for b in found if point_in_zone(b["x"] + b["w"] / 2, min(b["y"] + b["h"], 1.0), zone)]
        context.metrics["persons"] = len(found)
        context.metrics["persons_in_zone"] = len(inside)
        if not inside:
            return []
        best = max(b["score"] for b in inside)
        message = _(
            "%(count)d person(s) in the restricted zone at %(time)s (best score %(score).2f, at least %(policy)s)"
        ) % {
            "count": len(inside),
            "time": timezone.localtime(context.now).strftime("%H:%M"),
            "score": best,
            "policy": limit.explain(),
        }
        return [Finding(self.key, message, value=best, threshold=_num(limit.value), policy=limit, boxes=inside)]


BUILTIN = (OfflineDetector, FrozenDetector, BlurDetector, DarkDetector, PersonInZoneDetector)


def register_builtin_detectors() -> None:
    from jiceng.core.video.detectors import get_detector

    for cls in BUILTIN:
        if get_detector(cls.key) is None:
            register_detector(cls())
