"""Detectors behind one interface, and their registry.

A detector has a ``key`` (stable, used in ``Camera.detectors`` and in the alert rule
``video.<key>``), a ``label`` and ``detect(frame, context) -> list[Finding]``. ``frame`` is a BGR
NumPy image, or ``None`` when the capture failed (only detectors with ``runs_without_frame`` are
called then). Thresholds come from policies through ``context.policy(key)``; a finding carries the
measured value, the threshold and the ``PolicyValue`` it was judged against, so the detection and
the alert can say which rule fired with which numbers and which source.

    from jiceng.core.video.detectors import Detector, Finding, register_detector

    class HelmetDetector(Detector):
        key, label, severity = "helmet", _("No helmet"), "orange"
        def detect(self, frame, context):
            ...
            return [Finding(self.key, message, value=score, threshold=limit.value, policy=limit)]

    register_detector(HelmetDetector())      # in your AppConfig.ready()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise


@dataclass
class Finding:
    """One condition a detector saw in one frame (or in a failed capture)."""

    detector: str
    message: str
    value: float | None = None
    threshold: float | None = None
    policy: Any = None  # a PolicyValue
    severity: str | None = None  # default: the detector's
    boxes: list[dict[str, Any]] = field(default_factory=list)  # normalised x, y, w, h, score, label
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class DetectionContext:
    """What a detector may know besides the frame: the camera, the time, the measures so far, its state."""

    camera: Any
    now: dt.datetime
    metrics: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)  # written back to the camera (e.g. still_count)
    error: str = ""  # why the capture failed (frame is None)

    @property
    def area_path(self) -> str:
        return str(self.camera.area_path)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def policy(self, key: str) -> Any:
        """The policy ``key`` in effect today for the camera's area (``PolicyMissing`` if none)."""
        from jiceng.core.policies.services import get_policy

        return get_policy(key, area_path=self.area_path, on=self.today)


class Detector:
    """The base class; override ``detect``.

    - ``severity``: the alert colour of its findings (blue, yellow, orange, red);
    - ``clears_itself``: the alert closes by itself when the condition is gone (camera health);
      ``False`` for violations, which stay open until somebody handles the detection;
    - ``default_enabled``: switched on for new cameras;
    - ``runs_without_frame``: also called when the capture failed (``frame is None``);
    - ``suppressed_by``: keys of detectors whose finding on the same frame makes this one's moot
      (a covered lens is reported as covered, not also as blurred and frozen).
    """

    key: str = ""
    label: str | Promise = ""
    severity: str = "yellow"
    clears_itself: bool = True
    default_enabled: bool = True
    runs_without_frame: bool = False
    suppressed_by: tuple[str, ...] = ()

    def detect(self, frame: Any, context: DetectionContext) -> list[Finding]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Detector {self.key}>"


_registry: dict[str, Detector] = {}


def register_detector(detector: Detector, *, replace: bool = False) -> Detector:
    """Add ``detector`` to the registry (``replace=True`` to swap an existing key)."""
    if not detector.key or not detector.key.replace("_", "").isalnum():
        raise ValueError(f"a detector key is letters, digits and underscores: {detector.key!r}")
    if detector.key in _registry and not replace and _registry[detector.key] is not detector:
        raise ValueError(f"detector {detector.key!r} is already registered")
    _registry[detector.key] = detector
    return detector


def unregister_detector(key: str) -> None:
    _registry.pop(key, None)


def get_detector(key: str) -> Detector | None:
    return _registry.get(key)


def detectors() -> list[Detector]:
    """Every registered detector, in registration order."""
    return list(_registry.values())


def default_detector_keys() -> list[str]:
    return [d.key for d in _registry.values() if d.default_enabled]


def detector_choices() -> list[tuple[str, Any]]:
    return [(d.key, d.label) for d in _registry.values()]


def unknown_keys(keys: Iterable[str]) -> list[str]:
    return sorted(k for k in keys if k not in _registry)
