"""Real test frames made with NumPy/OpenCV (no files downloaded)."""

from __future__ import annotations

import cv2
import numpy as np

from jiceng.core.video.simulate import draw_pedestrian, plain_scene, textured_scene


def sharp(seed: int = 1) -> np.ndarray:
    """A well-focused, busy scene."""
    return textured_scene(seed=seed)


def blurred(seed: int = 1) -> np.ndarray:
    """The same scene, defocused."""
    return cv2.GaussianBlur(textured_scene(seed=seed), (31, 31), 12)


def black() -> np.ndarray:
    return np.zeros((480, 640, 3), np.uint8)


def flat_grey(level: int = 128) -> np.ndarray:
    """Bright enough, but one single colour (a lens covered with paper)."""
    return np.full((480, 640, 3), level, np.uint8)


def noisy(seed: int) -> np.ndarray:
    """The sharp scene with fresh sensor noise: a live camera watching a still yard."""
    rng = np.random.default_rng(seed)
    base = textured_scene(seed=1).astype(np.int16)
    return np.clip(base + rng.normal(0, 4, base.shape), 0, 255).astype(np.uint8)


def pedestrian(centre_x: int = 320, top: int = 100, height: int = 260) -> np.ndarray:
    """A person standing in front of a plain wall (the HOG detector finds it: see test_detectors)."""
    return draw_pedestrian(plain_scene(seed=3), centre_x, top, height)


def empty_wall() -> np.ndarray:
    return plain_scene(seed=3)
