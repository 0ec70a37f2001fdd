"""Capture for real: a loopback HTTP server started here (JPEG snapshot endpoint, MJPEG stream, errors),
files (image and video), a camera that does not answer, and the simulated ``sim://`` camera."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cv2
import numpy as np
import pytest

from jiceng.core.video import capture, simulate
from jiceng.core.video import frames as measures
from jiceng.core.video.tests import frames

MOMENT = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
JPEG = measures.encode_jpeg(frames.sharp())
SERVER_LIFETIME = 30  # seconds: the server stops by itself even if a test hangs


class CameraHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        if self.path == "/snapshot.jpg" or self.path == "/cgi-bin/snapshot":
            self._send(200, "image/jpeg", JPEG)
        elif self.path == "/mjpeg":
            self.send_response(200)
            self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
            self.end_headers()
            for _ in range(2):
                part = b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % len(JPEG)
                self.wfile.write(part + JPEG + b"\r\n")
                self.wfile.flush()
        elif self.path == "/broken.jpg":
            self._send(200, "image/jpeg", b"this is not a jpeg")
        elif self.path == "/mjpeg-garbage":
            self.send_response(200)
            self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
            self.end_headers()
            self.wfile.write(b"--frame\r\n\r\nnothing here\r\n")
        else:
            self._send(404, "text/plain", b"no such camera")

    def _send(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def camera_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), CameraHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    deadline = threading.Timer(SERVER_LIFETIME, server.shutdown)
    deadline.daemon = True
    deadline.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        deadline.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def silent_port():
    """A port that accepts the TCP connection (backlog) but never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


@pytest.fixture
def closed_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class TestHttp:
    def test_jpeg_snapshot_endpoint_keeps_the_cameras_bytes(self, camera_server):
        grabbed = capture.grab(f"{camera_server}/cgi-bin/snapshot", timeout=5, now=MOMENT)
        assert grabbed.jpeg == JPEG
        assert grabbed.frame.shape == (480, 640, 3)
        assert abs(measures.brightness(grabbed.frame) - measures.brightness(frames.sharp())) < 2

    def test_mjpeg_stream_first_frame(self, camera_server):
        grabbed = capture.grab(f"{camera_server}/mjpeg", timeout=5, now=MOMENT)
        assert grabbed.jpeg == JPEG and grabbed.frame.shape == (480, 640, 3)

    @pytest.mark.parametrize(
        ("path", "reason"),
        [("/missing", "HTTP 404"), ("/broken.jpg", "not an image"), ("/mjpeg-garbage", "no whole frame")],
    )
    def test_bad_answers(self, camera_server, path, reason):
        with pytest.raises(capture.CaptureFailed, match=reason):
            capture.grab(f"{camera_server}{path}", timeout=5, now=MOMENT)

    def test_a_camera_that_does_not_answer_times_out(self, silent_port):
        started = time.monotonic()
        with pytest.raises(capture.CaptureFailed, match="no answer"):
            capture.grab(f"http://127.0.0.1:{silent_port}/snapshot.jpg", timeout=1, now=MOMENT)
        assert time.monotonic() - started < 5

    def test_refused_connection(self, closed_port):
        with pytest.raises(capture.CaptureFailed, match="no answer"):
            capture.grab(f"http://127.0.0.1:{closed_port}/snapshot.jpg", timeout=1, now=MOMENT)

    def test_password_is_masked_in_the_reason(self, closed_port):
        with pytest.raises(capture.CaptureFailed) as exc:
            capture.grab(f"http://admin:s3cret@127.0.0.1:{closed_port}/a.jpg", timeout=1, now=MOMENT)
        assert "s3cret" not in str(exc.value) and "***" in str(exc.value)


class TestStreams:
    def test_rtsp_that_does_not_answer(self, closed_port):
        started = time.monotonic()
        with pytest.raises(capture.CaptureFailed, match="could not be opened"):
            capture.grab(f"rtsp://127.0.0.1:{closed_port}/live", timeout=2, now=MOMENT)
        assert time.monotonic() - started < 15

    def test_video_file_through_videocapture(self, tmp_path):
        path = tmp_path / "clip.avi"
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5, (640, 480))
        assert writer.isOpened()
        for _ in range(3):
            writer.write(frames.sharp())
        writer.release()
        frame = capture.grab_frame(str(path), timeout=5, now=MOMENT)
        assert frame.shape == (480, 640, 3)
        assert measures.laplacian_variance(frame) > 100

    def test_image_file_and_file_url(self, tmp_path):
        path = tmp_path / "still.png"
        cv2.imwrite(str(path), frames.black())
        assert capture.grab_frame(str(path), timeout=1, now=MOMENT).max() == 0
        assert capture.grab_frame(f"file://{path}", timeout=1, now=MOMENT).shape == (480, 640, 3)

    def test_missing_and_unreadable_files(self, tmp_path):
        with pytest.raises(capture.CaptureFailed, match="no such file"):
            capture.grab_frame(str(tmp_path / "nope.jpg"), timeout=1, now=MOMENT)
        garbage = tmp_path / "garbage.jpg"
        garbage.write_bytes(b"not an image")
        with pytest.raises(capture.CaptureFailed, match="not a readable image"):
            capture.grab_frame(str(garbage), timeout=1, now=MOMENT)

    def test_unsupported_scheme(self):
        with pytest.raises(capture.CaptureFailed, match="unsupported"):
            capture.grab_frame("ftp://camera/1", timeout=1, now=MOMENT)


class TestSimulated:
    @pytest.mark.parametrize("mode", ["normal", "dark", "blur", "frozen", "person"])
    def test_forced_modes(self, mode):
        frame = capture.grab_frame(f"sim://yard?mode={mode}", timeout=1, now=MOMENT)
        sharpness, bright = measures.laplacian_variance(frame), measures.brightness(frame)
        if mode == "dark":
            assert bright < 30
        elif mode == "blur":
            assert sharpness < 100 and bright > 30
        else:
            assert sharpness > 100 and bright > 30

    def test_offline_mode(self):
        with pytest.raises(capture.CaptureFailed, match="offline"):
            capture.grab_frame("sim://yard?mode=offline", timeout=1, now=MOMENT)

    def test_deterministic_and_alive(self):
        a = simulate.render("sim://yard?anomalies=0", MOMENT)
        assert np.array_equal(a, simulate.render("sim://yard?anomalies=0", MOMENT))  # any worker, same frame
        b = simulate.render("sim://yard?anomalies=0", MOMENT + dt.timedelta(minutes=1))
        assert measures.difference(measures.signature(a), measures.signature(b)) > 0.5

    def test_one_period_shows_every_anomaly_and_frozen_frames_are_identical(self):
        seed = 4
        modes = [simulate.step_mode(step, seed, True) for step in range(simulate.PERIOD)]
        assert {"normal", "dark", "blur", "frozen", "person", "offline"} == set(modes)
        first = modes.index("frozen")
        base = MOMENT.replace(minute=0, second=0)
        step0 = int(base.timestamp()) // 60
        shift = (first - step0) % simulate.PERIOD
        run = [
            simulate.render(f"sim://yard?seed={seed}", base + dt.timedelta(minutes=shift + i))
            for i in range(len(simulate.FROZEN_STEPS))
        ]
        assert all(np.array_equal(run[0], other) for other in run[1:])

    def test_sim_person_is_seen_by_hog(self):
        from jiceng.core.video.detectors import get_detector

        people = get_detector("person_zone").people(simulate.render("sim://yard?mode=person", MOMENT))
        assert len(people) == 1


@pytest.mark.django_db
class TestCaptureService:
    def test_http_camera_end_to_end(self, video_cast, camera_server):
        from jiceng.core.video import services

        cam = services.do_create_camera(
            subject=video_cast.area("燕店镇"), name="HTTP 摄像头", stream_url=f"{camera_server}/snapshot.jpg"
        )
        result = services.do_capture_camera(cam, now=MOMENT)
        assert result.error == "" and result.snapshot is not None
        assert result.snapshot.sha256 == hashlib.sha256(JPEG).hexdigest()  # stored as the camera sent it
        assert result.snapshot.size_bytes == len(JPEG)

    def test_timeout_policy_bounds_a_silent_camera(self, video_cast, silent_port):
        from jiceng.core.video import services
        from jiceng.core.video.tests.test_detectors import local_policy

        local_policy(video_cast, "video.capture.timeout_seconds", 1)
        cam = services.do_create_camera(
            subject=video_cast.area("燕店镇"), name="不应答", stream_url=f"http://127.0.0.1:{silent_port}/a.jpg"
        )
        started = time.monotonic()
        result = services.do_capture_camera(cam, now=MOMENT)
        assert time.monotonic() - started < 5
        assert "no answer" in result.error and result.snapshot is None
