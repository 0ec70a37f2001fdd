"""A deployer's own ONNX model as a detector (``onnxruntime`` is an optional extra).

Configure one or more models in the setting ``VIDEO_ONNX_MODELS`` (a list of dicts), or in a JSON
file named by the environment variable ``JICENG_VIDEO_ONNX_MODELS`` (the same list). Each entry:

    {
      "key": "no_helmet",                 # detector key; the alert rule is video.no_helmet
      "label": "未戴安全帽",
      "model": "/srv/models/helmet.onnx",
      "input_size": [320, 320],           # width, height the model takes
      "layout": "nchw",                   # or "nhwc"
      "channels": "rgb",                  # or "bgr"
      "scale": 255.0, "mean": [0, 0, 0], "std": [1, 1, 1],   # x = (pixel / scale - mean) / std
      "labels": ["helmet", "head"],       # class index → name
      "alert_labels": ["head"],           # which classes are findings (default: all)
      "output": "boxes",                  # "scores": [1, C] class scores; "boxes": [1, N, 6] rows of
                                          #   x1, y1, x2, y2, score, class (coordinates 0–1 of the input,
                                          #   or input pixels with "coordinates": "pixels")
      "zone_only": false,                 # boxes count only with their feet in the restricted zone, at a restricted time
      "score_policy": "video.onnx.min_score",   # the policy holding the score threshold
      "severity": "orange"
    }

The score threshold is a policy like every other threshold (default ``video.onnx.min_score``; give
each model its own key with a row in the policies table if they need different numbers). The
session is created on first use and kept per process.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from jiceng.core.video import constants as keys
from jiceng.core.video.detectors import DetectionContext, Detector, Finding, get_detector, register_detector
from jiceng.core.video.zones import is_restricted_at, point_in_zone

logger = logging.getLogger(__name__)

REQUIRED = ("key", "model", "input_size", "labels")


class OnnxConfigError(ValueError):
    """An ONNX model entry is incomplete or inconsistent."""


class OnnxDetector(Detector):
    """Runs one ONNX model on each frame: pre-processing, ``onnxruntime`` inference, findings."""

    clears_itself = False
    default_enabled = False

    def __init__(self, config: dict[str, Any]) -> None:
        missing = [name for name in REQUIRED if not config.get(name)]
        if missing:
            raise OnnxConfigError(f"ONNX model entry lacks {', '.join(missing)}")
        self.config = dict(config)
        self.key = str(config["key"])
        self.label = str(config.get("label") or self.key)
        self.severity = str(config.get("severity", "orange"))
        self.model_path = Path(config["model"])
        width, height = (int(v) for v in config["input_size"])
        self.input_size = (width, height)
        self.layout = str(config.get("layout", "nchw")).lower()
        self.channels = str(config.get("channels", "rgb")).lower()
        self.scale = float(config.get("scale", 255.0))
        self.mean = np.array(config.get("mean", [0.0, 0.0, 0.0]), dtype=np.float32)
        self.std = np.array(config.get("std", [1.0, 1.0, 1.0]), dtype=np.float32)
        self.labels = [str(v) for v in config["labels"]]
        self.alert_labels = set(config.get("alert_labels") or self.labels)
        self.output = str(config.get("output", "scores"))
        self.pixel_coordinates = config.get("coordinates") == "pixels"
        self.zone_only = bool(config.get("zone_only", False))
        self.score_policy = str(config.get("score_policy") or keys.ONNX_SCORE)
        if self.layout not in ("nchw", "nhwc") or self.channels not in ("rgb", "bgr"):
            raise OnnxConfigError("layout is nchw or nhwc, channels rgb or bgr")
        if self.output not in ("scores", "boxes"):
            raise OnnxConfigError("output is 'scores' or 'boxes'")
        self._lock = threading.Lock()
        self._session: Any = None

    # --- the three steps ----------------------------------------------------------------
    def preprocess(self, frame: np.ndarray) -> np.ndarray:
        """BGR frame → float32 tensor of the model's size, channel order, scale and layout (batch of one)."""
        resized = cv2.resize(frame, self.input_size, interpolation=cv2.INTER_AREA)
        if self.channels == "rgb":
            resized = cv2.cvtColor(resized, cv2.COLOR_BGR2RGB)
        tensor = (resized.astype(np.float32) / self.scale - self.mean) / self.std
        if self.layout == "nchw":
            tensor = np.transpose(tensor, (2, 0, 1))
        return np.ascontiguousarray(tensor[np.newaxis, ...], dtype=np.float32)

    def session(self) -> Any:
        with self._lock:
            if self._session is None:
                import onnxruntime

                self._session = onnxruntime.InferenceSession(str(self.model_path), providers=["CPUExecutionProvider"])
            return self._session

    def infer(self, tensor: np.ndarray) -> np.ndarray:
        session = self.session()
        name = session.get_inputs()[0].name
        return np.asarray(session.run(None, {name: tensor})[0])

    def postprocess(self, output: np.ndarray) -> list[dict[str, Any]]:
        """Model output → candidate boxes/classes: ``{"label", "score"[, "x", "y", "w", "h"]}``."""
        if self.output == "scores":
            scores = output.reshape(-1)
            if scores.size != len(self.labels):
                raise OnnxConfigError(f"the model gave {scores.size} scores for {len(self.labels)} labels")
            return [{"label": self.labels[i], "score": round(float(s), 4)} for i, s in enumerate(scores)]
        rows = output.reshape(-1, output.shape[-1])
        if rows.shape[1] < 6:
            raise OnnxConfigError("box rows are x1, y1, x2, y2, score, class")
        width, height = self.input_size
        found = []
        for x1, y1, x2, y2, score, cls in rows[:, :6].tolist():
            index = round(cls)
            if not 0 <= index < len(self.labels):
                continue
            if self.pixel_coordinates:
                x1, x2, y1, y2 = x1 / width, x2 / width, y1 / height, y2 / height
            x1, x2 = sorted((min(max(x1, 0.0), 1.0), min(max(x2, 0.0), 1.0)))
            y1, y2 = sorted((min(max(y1, 0.0), 1.0), min(max(y2, 0.0), 1.0)))
            found.append(
                {
                    "label": self.labels[index],
                    "score": round(float(score), 4),
                    "x": round(x1, 4),
                    "y": round(y1, 4),
                    "w": round(x2 - x1, 4),
                    "h": round(y2 - y1, 4),
                }
            )
        return found

    def detect(self, frame: Any, context: DetectionContext) -> list[Finding]:
        limit = context.policy(self.score_policy)
        candidates = self.postprocess(self.infer(self.preprocess(frame)))
        hits = [c for c in candidates if c["label"] in self.alert_labels and c["score"] >= float(limit.value)]
        if self.zone_only and self.output == "boxes":
            zone = context.camera.zone or []
            if not zone or not is_restricted_at(context.camera.zone_windows or [], context.now):
                hits = []
            hits = [h for h in hits if point_in_zone(h["x"] + h["w"] / 2, min(h["y"] + h["h"], 1.0), zone)]
        context.metrics[f"{self.key}_best"] = max((c["score"] for c in candidates), default=None)
        findings = []
        for label in sorted({h["label"] for h in hits}):
            mine = [h for h in hits if h["label"] == label]
            best = max(h["score"] for h in mine)
            message = _(
                "model %(model)s saw “%(label)s” %(count)d time(s), best score %(score).2f, at least %(policy)s"
            ) % {
                "model": self.model_path.name,
                "label": label,
                "count": len(mine),
                "score": best,
                "policy": limit.explain(),
            }
            boxes = [h for h in mine if "x" in h]
            findings.append(
                Finding(
                    self.key,
                    message,
                    value=best,
                    threshold=float(limit.value),
                    policy=limit,
                    boxes=boxes,
                    details={"label": label},
                )
            )
        return findings


def configured_models() -> list[dict[str, Any]]:
    """The model entries of ``settings.VIDEO_ONNX_MODELS`` and of the file in ``JICENG_VIDEO_ONNX_MODELS``."""
    entries = list(getattr(settings, "VIDEO_ONNX_MODELS", None) or [])
    path = os.environ.get("JICENG_VIDEO_ONNX_MODELS", "").strip()
    if path:
        entries += json.loads(Path(path).read_text(encoding="utf-8"))
    return entries


def register_onnx_detector(config: dict[str, Any], *, replace: bool = False) -> OnnxDetector:
    """Register one model entry as a detector (the model file is opened on first use)."""
    detector = OnnxDetector(config)
    register_detector(detector, replace=replace)
    return detector


def register_configured_models() -> int:
    """Register every configured model; entries that are broken, or without onnxruntime, are logged and skipped."""
    entries = configured_models()
    if not entries:
        return 0
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        logger.warning("VIDEO_ONNX_MODELS is set but onnxruntime is not installed: pip install 'jiceng[video-onnx]'")
        return 0
    count = 0
    for entry in entries:
        try:
            if get_detector(str(entry.get("key"))) is None:
                register_onnx_detector(entry)
                count += 1
        except (OnnxConfigError, ValueError, TypeError) as exc:
            logger.warning("ONNX model entry %r skipped: %s", entry.get("key"), exc)
    return count
