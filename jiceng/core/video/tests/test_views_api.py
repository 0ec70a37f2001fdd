"""Pages and API: rendered for real, scoped (404 outside the area), writes through the services."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.urls import reverse

from jiceng.core.video import services
from jiceng.core.video.models import Camera, Detection
from jiceng.core.video.tests import frames

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def covered(video_cast):
    """A camera in 燕店镇 that has seen a covered lens: one detection with its evidence frame."""
    with time_machine.travel(START, tick=False):
        cam = services.do_create_camera(
            subject=video_cast.area("燕店镇"),
            name="燕店镇化工仓库",
            stream_url="sim://views?anomalies=0",
            location="仓库东侧",
        )
        services.do_capture_camera(cam, frame=frames.sharp(), now=START - dt.timedelta(minutes=5))
        [detection] = services.do_capture_camera(cam, frame=frames.black(), now=START).detections
    return detection


class TestPages:
    def test_camera_list_and_detail(self, client, video_cast, covered):
        client.force_login(video_cast.township_staff)
        page = client.get(reverse("video:camera_list")).content.decode()
        assert "燕店镇化工仓库" in page
        detail = client.get(covered.camera.get_absolute_url())
        assert detail.status_code == 200
        body = detail.content.decode()
        assert reverse("video:snapshot_frame", args=[covered.snapshot.pk]) in body
        assert covered.snapshot.sha256 in body
        assert "laplacian_variance" in body and "brightness" in body
        assert reverse("video:camera_capture", args=[covered.camera.pk]) in body

    def test_detection_detail_shows_the_four_firsts_and_the_hash(self, client, video_cast, covered):
        client.force_login(video_cast.township_staff)
        body = client.get(covered.get_absolute_url()).content.decode()
        assert covered.evidence_sha256 in body
        assert "2026-03-02 10:00:00" in body  # discovered, warned, evidence fixed (local time)
        assert reverse("video:detection_handle", args=[covered.pk]) in body
        assert reverse("video:snapshot_frame", args=[covered.snapshot.pk]) in body

    def test_handle_from_the_page(self, client, video_cast, covered):
        client.force_login(video_cast.township_staff)
        url = reverse("video:detection_handle", args=[covered.pk])
        assert client.post(url, {"note": ""}).status_code == 400
        response = client.post(url, {"note": "已联系企业移除遮挡物"})
        assert response.status_code == 302
        covered.refresh_from_db()
        assert covered.handling_note == "已联系企业移除遮挡物" and covered.handled_by == video_cast.township_staff

    def test_viewer_sees_but_cannot_handle(self, client, video_cast, covered):
        client.force_login(video_cast.township_viewer)
        body = client.get(covered.get_absolute_url()).content.decode()
        assert reverse("video:detection_handle", args=[covered.pk]) not in body
        assert client.post(reverse("video:detection_handle", args=[covered.pk]), {"note": "x"}).status_code == 403

    def test_frame_is_served_only_in_scope(self, client, video_cast, covered):
        url = reverse("video:snapshot_frame", args=[covered.snapshot.pk])
        client.force_login(video_cast.outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("video:detection_annotated", args=[covered.pk])).status_code == 404
        client.force_login(video_cast.township_staff)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        data = b"".join(response.streaming_content)
        assert hashlib.sha256(data).hexdigest() == covered.evidence_sha256
        assert "no-store" in response["Cache-Control"]
        client.logout()
        assert client.get(url).status_code == 302

    def test_frame_is_not_a_public_media_url(self, client, video_cast, covered):
        assert client.get(f"/media/{covered.snapshot.image.name}").status_code == 404

    def test_capture_now(self, client, video_cast, covered):
        client.force_login(video_cast.township_staff)
        response = client.post(reverse("video:camera_capture", args=[covered.camera.pk]))
        assert response.status_code == 302
        assert covered.camera.snapshots.count() == 3
        client.force_login(video_cast.outsider)
        assert client.post(reverse("video:camera_capture", args=[covered.camera.pk])).status_code == 404

    def test_add_camera_through_the_form(self, client, video_cast):
        area = video_cast.area("东村")
        client.force_login(video_cast.township_staff)
        assert client.get(reverse("video:camera_add")).status_code == 200
        response = client.post(
            reverse("video:camera_add"),
            {
                "name": "东村广场",
                "stream_url": "sim://square",
                "location": "村委会门口",
                "is_active": "on",
                "subject_type": "directory.area",
                "subject_id": str(area.pk),
                "zone_text": "0.3,0.5; 0.7,0.5; 0.7,1; 0.3,1",
                "windows_text": "1-5 18:00-08:00",
                "detector_keys": ["dark", "person_zone"],
            },
        )
        assert response.status_code == 302, response.content.decode()
        cam = Camera.objects.get(name="东村广场")
        assert cam.area_path == area.path and cam.detectors == ["dark", "person_zone"]
        assert cam.zone_windows == [{"weekdays": [1, 2, 3, 4, 5], "start": "18:00", "end": "08:00"}]

    def test_form_refuses_a_subject_outside_the_users_area(self, client, video_cast):
        client.force_login(video_cast.township_staff)
        response = client.post(
            reverse("video:camera_add"),
            {
                "name": "越界",
                "stream_url": "sim://x",
                "subject_type": "directory.area",
                "subject_id": str(video_cast.area("古云镇").pk),
                "detector_keys": ["dark"],
            },
        )
        assert response.status_code == 400
        assert not Camera.objects.filter(name="越界").exists()

    def test_edit_changes_the_zone(self, client, video_cast, covered):
        client.force_login(video_cast.township_staff)
        cam = covered.camera
        response = client.post(
            reverse("video:camera_edit", args=[cam.pk]),
            {
                "name": cam.name,
                "stream_url": cam.stream_url,
                "is_active": "on",
                "subject_type": "directory.area",
                "subject_id": cam.object_id,
                "zone_text": "0,0; 1,0; 1,1",
                "detector_keys": ["dark"],
            },
        )
        assert response.status_code == 302, response.content.decode()
        cam.refresh_from_db()
        assert cam.zone == [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]] and cam.detectors == ["dark"]

    def test_lists_render(self, client, video_cast, covered):
        client.force_login(video_cast.township_staff)
        for name in ("video:detection_list", "video:snapshot_list"):
            response = client.get(reverse(name))
            assert response.status_code == 200
        assert covered.get_absolute_url() in client.get(reverse("video:detection_list")).content.decode()
        assert client.get(reverse("video:detection_list"), {"handled": "false"}).status_code == 200

    def test_menu(self, client, video_cast):
        client.force_login(video_cast.township_staff)
        assert reverse("video:detection_list") in client.get(reverse("video:camera_list")).content.decode()


class TestApi:
    def test_lists_and_detail(self, api, video_cast, covered):
        client = api(video_cast.township_staff)
        cameras = client.get("/api/v1/video/cameras/").json()["results"]
        assert [c["name"] for c in cameras] == ["燕店镇化工仓库"]
        assert cameras[0]["latest_snapshot"]["sha256"] == covered.snapshot.sha256
        [row] = client.get("/api/v1/video/detections/").json()["results"]
        assert row["evidence_sha256"] == covered.evidence_sha256
        assert row["discovered_at"] and row["warned_at"] and row["evidence_fixed_at"] and row["handled_at"] is None
        snaps = client.get("/api/v1/video/snapshots/", {"camera": covered.camera_id, "is_evidence": "true"}).json()
        assert [s["id"] for s in snaps["results"]] == [covered.snapshot.pk]
        frame = client.get(f"/api/v1/video/snapshots/{covered.snapshot.pk}/frame/")
        assert frame.status_code == 200
        assert hashlib.sha256(b"".join(frame.streaming_content)).hexdigest() == covered.evidence_sha256

    def test_outsider_gets_nothing(self, api, video_cast, covered):
        client = api(video_cast.outsider)
        assert client.get("/api/v1/video/detections/").json()["results"] == []
        assert client.get(f"/api/v1/video/detections/{covered.pk}/").status_code == 404
        assert client.post(f"/api/v1/video/detections/{covered.pk}/handle/", {"note": "x"}).status_code == 404
        assert client.get(f"/api/v1/video/snapshots/{covered.snapshot.pk}/frame/").status_code == 404
        assert client.post(f"/api/v1/video/cameras/{covered.camera_id}/capture/").status_code == 404

    def test_handle_action(self, api, video_cast, covered):
        client = api(video_cast.township_staff)
        response = client.post(f"/api/v1/video/detections/{covered.pk}/handle/", {"note": ""}, format="json")
        assert response.status_code == 400
        response = client.post(f"/api/v1/video/detections/{covered.pk}/handle/", {"note": "已现场核查"}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["handled_at"] and response.json()["handled_by"] == "township_staff"
        again = client.post(f"/api/v1/video/detections/{covered.pk}/handle/", {"note": "再次"}, format="json")
        assert again.status_code == 400 and again.json()["code"] == "already_handled"

    def test_viewer_may_not_handle(self, api, video_cast, covered):
        response = api(video_cast.township_viewer).post(
            f"/api/v1/video/detections/{covered.pk}/handle/", {"note": "x"}, format="json"
        )
        assert response.status_code == 403
        assert Detection.objects.get(pk=covered.pk).handled_at is None

    def test_create_update_and_capture(self, api, video_cast):
        client = api(video_cast.township_staff)
        area = video_cast.area("东村")
        response = client.post(
            "/api/v1/video/cameras/",
            {
                "name": "东村路口",
                "stream_url": "rtsp://admin:pw@10.1.1.9/live",
                "subject_type": "directory.area",
                "subject_id": str(area.pk),
                "zone": [[0, 0], [1, 0], [1, 1]],
                "detectors": ["dark"],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["stream_url"] == "rtsp://admin:***@10.1.1.9/live" and body["area"] == area.code
        cam_id = body["id"]
        patched = client.patch(
            f"/api/v1/video/cameras/{cam_id}/", {"stream_url": "sim://crossing?mode=dark"}, format="json"
        )
        assert patched.status_code == 200, patched.json()
        captured = client.post(f"/api/v1/video/cameras/{cam_id}/capture/").json()
        assert captured["snapshot"]["sha256"] and captured["detections"][0]["detector"] == "dark"
        bad = client.post(
            "/api/v1/video/cameras/",
            {
                "name": "越界",
                "stream_url": "sim://x",
                "subject_type": "directory.area",
                "subject_id": str(video_cast.area("古云镇").pk),
            },
            format="json",
        )
        assert bad.status_code == 400 and bad.json()["code"] == "invalid"
        unknown = client.post(
            "/api/v1/video/cameras/",
            {
                "name": "x",
                "stream_url": "sim://x",
                "subject_type": "directory.area",
                "subject_id": str(area.pk),
                "detectors": ["nope"],
            },
            format="json",
        )
        assert unknown.status_code == 400


class TestDashboard:
    def test_overview_figures(self, client, video_cast, covered):
        from jiceng.core.video.dashboard import compute_figures

        services.do_create_camera(subject=video_cast.area("燕店镇"), name="停用", stream_url="sim://x", is_active=False)
        assert compute_figures(video_cast.township_staff) == {"active": 1, "failing": 0, "open": 1}
        assert compute_figures(video_cast.outsider) == {"active": 0, "failing": 0, "open": 0}
        client.force_login(video_cast.township_staff)
        body = client.get(reverse("home")).content.decode()
        assert reverse("video:detection_list") + "?handled=false" in body
