"""Getting one frame from a camera URL.

- ``rtsp://``/``rtsps://`` and video files: OpenCV ``cv2.VideoCapture`` (FFmpeg backend) with open
  and read timeouts;
- ``http(s)://``: a plain GET; a JPEG/PNG answer (a snapshot endpoint) is decoded, a
  ``multipart/x-mixed-replace`` answer (an MJPEG stream) is read up to its first complete JPEG
  (at most ``MAX_BYTES``); anything else is handed to ``cv2.VideoCapture``;
- a file path (``/…`` or ``file://…``): an image is read with ``cv2.imread``, a video file through
  ``cv2.VideoCapture``;
- ``sim://…``: a simulated camera rendered in-process (``jiceng.core.video.simulate``).

``grab(url, timeout=…, now=…)`` returns a ``Grab`` — the decoded frame and, when the camera sent a
JPEG (a snapshot endpoint, an MJPEG stream), the exact bytes it sent, which are then stored and hashed
as they came (no re-encoding) — or raises ``CaptureFailed`` with a short reason (credentials masked).
"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import cv2
import numpy as np

from jiceng.core.video import simulate
from jiceng.core.video.constants import mask_url
from jiceng.core.video.frames import decode_image

MAX_BYTES = 8 * 1024 * 1024  # never read more than this from one HTTP answer
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}


class CaptureFailed(Exception):
    """No frame could be had; ``str()`` is the reason shown on the camera page."""


@dataclass(frozen=True)
class Grab:
    frame: np.ndarray
    jpeg: bytes | None = None  # the camera's own JPEG bytes, when it sent one


def grab_frame(url: str, *, timeout: float, now: dt.datetime) -> np.ndarray:
    """Just the frame (see ``grab``)."""
    return grab(url, timeout=timeout, now=now).frame


def grab(url: str, *, timeout: float, now: dt.datetime) -> Grab:
    url = url.strip()
    scheme = url.split("://", 1)[0].lower() if "://" in url else "file"
    try:
        if scheme == "sim":
            return Grab(simulate.render(url, now))
        if scheme in ("http", "https"):
            return _http_frame(url, timeout)
        if scheme == "file":
            return Grab(_file_frame(url))
        if scheme in ("rtsp", "rtsps"):
            return Grab(_stream_frame(url, timeout))
    except CaptureFailed:
        raise
    except simulate.SimulatedOffline as exc:
        raise CaptureFailed(str(exc)) from exc
    except (OSError, ValueError, cv2.error) as exc:
        raise CaptureFailed(f"{type(exc).__name__}: {exc}"[:300]) from exc
    raise CaptureFailed(f"unsupported URL scheme {scheme!r}")


def _file_frame(url: str) -> np.ndarray:
    path = Path(unquote(urlsplit(url).path) if url.startswith("file://") else url)
    if not path.is_file():
        raise CaptureFailed(f"no such file: {path}")
    if path.suffix.lower() in IMAGE_SUFFIXES:
        frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if frame is None:
            raise CaptureFailed(f"not a readable image: {path.name}")
        return frame
    return _stream_frame(str(path), timeout=10)


def _stream_frame(source: str, timeout: float) -> np.ndarray:
    millis = int(timeout * 1000)
    capture = cv2.VideoCapture(
        source, cv2.CAP_ANY, [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, millis, cv2.CAP_PROP_READ_TIMEOUT_MSEC, millis]
    )
    try:
        if not capture.isOpened():
            raise CaptureFailed(f"the stream could not be opened: {mask_url(source)}")
        ok, frame = capture.read()
        if not ok or frame is None or not frame.size:
            raise CaptureFailed(f"the stream gave no frame: {mask_url(source)}")
        return frame
    finally:
        capture.release()


def _http_frame(url: str, timeout: float) -> Grab:
    request = urllib.request.Request(url, headers={"User-Agent": "jiceng-video/1", "Accept": "image/*, */*"})  # noqa: S310  (scheme checked: http/https)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310  (scheme checked: http/https)
    except urllib.error.HTTPError as exc:
        raise CaptureFailed(f"HTTP {exc.code} from {mask_url(url)}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CaptureFailed(f"no answer from {mask_url(url)}: {reason}"[:300]) from exc
    with response:
        content_type = (response.headers.get("Content-Type") or "").lower()
        if content_type.startswith("multipart/"):
            return _first_mjpeg_frame(response, url)
        if content_type.startswith("image/") or url.lower().split("?")[0].endswith(tuple(IMAGE_SUFFIXES)):
            data = response.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise CaptureFailed(f"the answer of {mask_url(url)} is larger than {MAX_BYTES} bytes")
            frame = decode_image(data)
            if frame is None:
                raise CaptureFailed(f"the answer of {mask_url(url)} is not an image")
            return Grab(frame, data if data.startswith(b"\xff\xd8") else None)
    return Grab(_stream_frame(url, timeout))


def _first_mjpeg_frame(response: Any, url: str) -> Grab:
    """Read an MJPEG multipart stream until one whole JPEG (SOI … EOI) has arrived."""
    buffer = b""
    while len(buffer) < MAX_BYTES:
        chunk = response.read(16384)
        if not chunk:
            break
        buffer += chunk
        start = buffer.find(b"\xff\xd8")
        end = buffer.find(b"\xff\xd9", start + 2) if start >= 0 else -1
        if start >= 0 and end >= 0:
            jpeg = buffer[start : end + 2]
            frame = decode_image(jpeg)
            if frame is not None:
                return Grab(frame, jpeg)
            buffer = buffer[end + 2 :]
    raise CaptureFailed(f"the MJPEG stream of {mask_url(url)} gave no whole frame")
