"""Frame arithmetic shared by the detectors: measures, the signature used for frozen-image checks, JPEG.

Frames are OpenCV images (NumPy ``uint8`` arrays, BGR, ``height × width × 3``, or grey).
"""

from __future__ import annotations

import hashlib

import cv2
import numpy as np

SIGNATURE_SIZE = (160, 120)  # width, height of the grey thumbnail kept for the next comparison
JPEG_QUALITY = 90


def grey(frame: np.ndarray) -> np.ndarray:
    return frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def laplacian_variance(frame: np.ndarray) -> float:
    """Sharpness: the variance of the Laplacian of the grey frame (low for a blurred or defocused image)."""
    return float(cv2.Laplacian(grey(frame), cv2.CV_64F).var())


def brightness(frame: np.ndarray) -> float:
    """Mean grey level, 0 (black) … 255 (white)."""
    return float(grey(frame).mean())


def contrast(frame: np.ndarray) -> float:
    """Standard deviation of the grey levels (low for a covered lens or a uniform image)."""
    return float(grey(frame).std())


def signature(frame: np.ndarray) -> bytes:
    """A small grey thumbnail of the frame, compared with the next frame's."""
    return bytes(cv2.resize(grey(frame), SIGNATURE_SIZE, interpolation=cv2.INTER_AREA).tobytes())


def difference(previous: bytes | None, current: bytes) -> float | None:
    """Mean absolute grey-level difference between two signatures (``None`` without a previous one)."""
    if not previous or len(previous) != len(current):
        return None
    a = np.frombuffer(previous, dtype=np.uint8).astype(np.int16)
    b = np.frombuffer(current, dtype=np.uint8).astype(np.int16)
    return float(np.abs(a - b).mean())


def encode_jpeg(frame: np.ndarray) -> bytes:
    ok, buffer = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("the frame could not be encoded as JPEG")
    return bytes(buffer.tobytes())


def decode_image(data: bytes) -> np.ndarray | None:
    """A BGR frame from JPEG/PNG bytes, or ``None`` when they are not an image."""
    if not data:
        return None
    array = np.frombuffer(data, dtype=np.uint8)
    frame = cv2.imdecode(array, cv2.IMREAD_COLOR)
    return frame if frame is not None and frame.size else None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
