"""Simulated cameras (``sim://``) for demo machines without cameras, and the pedestrian figure tests use.

``sim://<name>`` produces a synthetic yard scene in-process: a textured background, a slowly moving
vehicle, a clock bar, sensor noise. The frame is a pure function of the URL and the capture time
(one scene step per ``step`` seconds, default 60), so any worker process renders the same frame
for the same moment. Occasionally — deterministically, by the step number — the camera misbehaves
so that every detector can be seen working: a dark (covered) frame, a defocused (blurred) frame,
a run of identical (frozen) frames, a person walking through the middle of the yard, or no frame
at all (offline). Query parameters:

- ``mode=normal|dark|blur|frozen|person|offline`` forces one behaviour for every frame;
- ``anomalies=0`` switches the occasional misbehaviour off (``mode`` still applies);
- ``seed=<int>`` gives a different scene and a different anomaly schedule;
- ``step=<seconds>`` the length of one scene step.

The schedule repeats every 40 steps; with phase = (step + 7 × seed) mod 40: phase 5 dark, 11
blurred, 17–22 frozen (six identical frames), 27–28 a person in the middle, 34 offline; the rest
normal.
"""

from __future__ import annotations

import datetime as dt
import zlib
from urllib.parse import parse_qs, urlsplit

import cv2
import numpy as np

PERIOD = 40
SCHEDULE = {5: "dark", 11: "blur", 27: "person", 28: "person", 34: "offline"}
FROZEN_STEPS = range(17, 23)
MODES = ("normal", "dark", "blur", "frozen", "person", "offline")


class SimulatedOffline(ConnectionError):
    """The simulated camera gives no frame this time."""


def draw_pedestrian(canvas: np.ndarray, centre_x: int, top: int, height: int, colour=(40, 40, 60)) -> np.ndarray:
    """Draw a standing person (head, neck, torso, arms, legs; eight head-heights tall) in place.

    The proportions are those of a standing adult; OpenCV's HOG people detector recognises the
    figure from about 130 pixels of height upwards (checked in the engine's tests).
    """
    u = height / 8.0
    top_f = float(top)

    def pts(points: list[tuple[float, float]]) -> np.ndarray:
        return np.array([(int(centre_x + dx * u), int(top_f + dy * u)) for dx, dy in points], np.int32)

    cv2.ellipse(
        canvas, (centre_x, int(top_f + 0.55 * u)), (int(0.42 * u), int(0.55 * u)), 0, 0, 360, colour, -1, cv2.LINE_AA
    )
    cv2.fillPoly(canvas, [pts([(-0.15, 1.0), (0.15, 1.0), (0.15, 1.3), (-0.15, 1.3)])], colour, cv2.LINE_AA)
    cv2.fillPoly(canvas, [pts([(-0.95, 1.3), (0.95, 1.3), (0.75, 4.1), (-0.75, 4.1)])], colour, cv2.LINE_AA)
    for side in (-1, 1):
        arm = [(side * 0.95, 1.35), (side * 1.25, 1.6), (side * 1.25, 4.0), (side * 0.95, 4.0)]
        leg = [(side * 0.05, 4.0), (side * 0.75, 4.0), (side * 0.7, 7.8), (side * 0.2, 7.8)]
        cv2.fillPoly(canvas, [pts(arm)], colour, cv2.LINE_AA)
        cv2.fillPoly(canvas, [pts(leg)], colour, cv2.LINE_AA)
    return canvas


def plain_scene(width: int = 640, height: int = 480, seed: int = 1) -> np.ndarray:
    """A light wall over darker ground with a little sensor noise (no objects)."""
    rng = np.random.default_rng(seed)
    frame = np.full((height, width, 3), 170, np.uint8)
    frame[int(height * 0.75) :] = (120, 130, 125)
    noisy = frame + rng.normal(0, 6, frame.shape)
    return cv2.GaussianBlur(np.clip(noisy, 0, 255).astype(np.uint8), (3, 3), 0)


def textured_scene(width: int = 640, height: int = 480, seed: int = 1) -> np.ndarray:
    """A sharp, busy scene: shelves, boxes, a checkered floor (a well-focused camera)."""
    rng = np.random.default_rng(seed)
    frame = plain_scene(width, height, seed)
    for _ in range(40):
        x, y = int(rng.integers(0, width - 40)), int(rng.integers(0, int(height * 0.7)))
        w, h = int(rng.integers(15, 60)), int(rng.integers(10, 40))
        colour = tuple(int(c) for c in rng.integers(30, 230, 3))
        cv2.rectangle(frame, (x, y), (x + w, y + h), colour, -1)
        cv2.rectangle(frame, (x, y), (x + w, y + h), (20, 20, 20), 1)
    tile = 24
    for ty in range(int(height * 0.75), height, tile):
        for tx in range(0, width, tile):
            if (tx // tile + ty // tile) % 2:
                frame[ty : ty + tile, tx : tx + tile] = (90, 95, 92)
    return frame


def _params(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return (parts.netloc + parts.path) or "sim", query


def step_mode(step: int, seed: int, anomalies: bool) -> str:
    if not anomalies:
        return "normal"
    phase = (step + seed * 7) % PERIOD
    if phase in FROZEN_STEPS:
        return "frozen"
    return SCHEDULE.get(phase, "normal")


def render(url: str, moment: dt.datetime) -> np.ndarray:
    """The frame of simulated camera ``url`` at ``moment``; ``SimulatedOffline`` when it gives none."""
    name, query = _params(url)
    seed = int(query.get("seed", zlib.crc32(name.encode()) % 1000))
    step_seconds = max(int(query.get("step", 60)), 1)
    step = int(moment.timestamp()) // step_seconds
    mode = query.get("mode") or step_mode(step, seed, query.get("anomalies", "1") not in ("0", "false", "no"))
    if mode not in MODES:
        raise ValueError(f"unknown sim mode {mode!r}; use one of {', '.join(MODES)}")
    if mode == "offline":
        raise SimulatedOffline("simulated camera offline")
    if mode == "frozen":  # every frame of the run is the one of the run's first step (same noise): identical
        step = step - ((step + seed * 7) % PERIOD - FROZEN_STEPS.start) if query.get("mode") is None else 0
    frame = textured_scene(seed=seed)
    rng = np.random.default_rng([seed, step])
    x = 40 + (step * 23) % 520
    cv2.rectangle(frame, (x, 300), (x + 90, 350), (30, 60, 160), -1)
    cv2.circle(frame, (x + 20, 352), 10, (15, 15, 15), -1)
    cv2.circle(frame, (x + 70, 352), 10, (15, 15, 15), -1)
    cv2.rectangle(frame, (0, 0), (step % 640, 6), (0, 200, 255), -1)
    if mode == "person":
        draw_pedestrian(frame, 320, 120, 260)
    noisy = np.clip(frame.astype(np.int16) + rng.normal(0, 3, frame.shape).astype(np.int16), 0, 255).astype(np.uint8)
    if mode == "dark":
        return (noisy // 25).astype(np.uint8)
    if mode == "blur":
        return cv2.GaussianBlur(noisy, (31, 31), 12)
    return noisy
