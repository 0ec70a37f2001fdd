"""The capture pipeline end to end: frames → detectors → snapshot → detection (four firsts) → alert → handling."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.utils import timezone

from jiceng.core.alerts.models import Alert, AlertState
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.models import AuditEntry
from jiceng.core.policies.services import get_policy
from jiceng.core.video import services
from jiceng.core.video.models import Camera, CameraCondition, Detection, Snapshot
from jiceng.core.video.tests import frames

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Asia/Shanghai


def camera(cast, **kwargs):
    """A camera created at START (its first capture is due then)."""
    kwargs.setdefault("detectors", ["offline", "frozen", "blur", "dark"])
    with time_machine.travel(START, tick=False):
        return services.do_create_camera(
            subject=kwargs.pop("subject", cast.area("燕店镇")),
            name=kwargs.pop("name", "燕店镇仓库北门"),
            stream_url=kwargs.pop("stream_url", "sim://test?anomalies=0"),
            location="仓库北门",
            acting_user=kwargs.pop("acting_user", None),
            **kwargs,
        )


def alerts_of(cam, rule):
    return Alert.objects.filter(
        rule=rule, content_type=ContentType.objects.get_for_model(Camera), object_id=str(cam.pk)
    )


class TestCreateCamera:
    def test_scoped_to_the_subjects_area_and_audited(self, video_cast):
        cam = camera(video_cast, acting_user=video_cast.township_staff)
        assert cam.area_path == video_cast.area("燕店镇").path
        assert cam.subject_repr == "燕店镇"
        assert AuditEntry.objects.filter(object_id=str(cam.pk), action="create").exists()
        assert cam.next_capture_at is not None

    def test_default_detectors(self, video_cast):
        cam = camera(video_cast, detectors=None)
        assert {"offline", "frozen", "blur", "dark", "person_zone"} <= set(cam.detectors)

    def test_outsider_cannot_create_in_another_township(self, video_cast):
        from jiceng.core.errors import OutOfScope

        with pytest.raises(OutOfScope):
            camera(video_cast, acting_user=video_cast.outsider)
        assert not Camera.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("stream_url", "ftp://camera/1"),
            ("stream_url", "relative/path.jpg"),
            ("zone", [[0.1, 0.1], [0.5, 0.5]]),
            ("zone", [[0.1, 0.1], [1.5, 0.5], [0.2, 0.9]]),
            ("zone_windows", [{"weekdays": [8], "start": "08:00", "end": "09:00"}]),
            ("zone_windows", [{"weekdays": [1], "start": "25:00", "end": "09:00"}]),
            ("detectors", ["no_such_detector"]),
        ],
    )
    def test_bad_input_is_refused(self, video_cast, field, value):
        with pytest.raises(InvalidInput) as exc:
            camera(video_cast, **{field: value})
        assert exc.value.field == field
        assert not Camera.objects.exists()

    def test_masked_url(self, video_cast):
        cam = camera(video_cast, stream_url="rtsp://admin:s3cret@10.0.0.5:554/live")
        assert cam.display_url == "rtsp://admin:***@10.0.0.5:554/live"


class TestCapture:
    def test_sharp_frame_is_stored_with_its_hash_and_no_detection(self, video_cast, _media_root):
        cam = camera(video_cast)
        result = services.do_capture_camera(cam, frame=frames.sharp(), now=START)
        snap = result.snapshot
        assert result.detections == []
        data = default_storage.open(snap.image.name).read()
        assert snap.sha256 == hashlib.sha256(data).hexdigest()
        assert snap.size_bytes == len(data)
        assert snap.image.name.startswith(f"video/{cam.pk}/2026/03/02/")
        assert (_media_root / snap.image.name).is_file()
        assert snap.metrics["laplacian_variance"] > 100
        assert snap.is_evidence is False
        cam.refresh_from_db()
        assert cam.last_success_at == START and cam.failing_since is None

    def test_black_frame_follows_the_four_firsts(self, video_cast):
        cam = camera(video_cast)
        with time_machine.travel(START, tick=False):
            result = services.do_capture_camera(cam, frame=frames.black(), now=START)
        [detection] = result.detections
        assert detection.detector == "dark"
        assert detection.discovered_at == START
        assert detection.evidence_fixed_at == START
        assert detection.warned_at == START
        assert detection.handled_at is None
        assert detection.snapshot.is_evidence is True
        assert detection.evidence_sha256 == detection.snapshot.sha256
        data = default_storage.open(detection.snapshot.image.name).read()
        assert detection.evidence_sha256 == hashlib.sha256(data).hexdigest()
        # the hash is in the audit trail
        entry = AuditEntry.objects.get(
            content_type=ContentType.objects.get_for_model(Detection), object_id=str(detection.pk), action="create"
        )
        assert entry.after["sha256"] == detection.evidence_sha256
        assert entry.after["evidence_sha256"] == detection.evidence_sha256
        # the alert names camera, detector, value, threshold, policy and its source
        alert = detection.alert
        assert alert.rule == "video.dark" and alert.state == AlertState.OPEN
        assert alert.origin_area_path == cam.area_path
        policy = get_policy("video.dark.min_brightness", area_path=cam.area_path)
        for part in ("燕店镇仓库北门", "0.0", policy.explain(), "video.dark.min_brightness"):
            assert part in alert.explanation, part
        assert alert.evidence["sha256"] == detection.evidence_sha256
        assert alert.evidence["source"] == policy.cite()
        # a covered lens is reported as covered, not also as blurred or frozen
        assert not Detection.objects.exclude(detector="dark").exists()

    def test_a_persisting_condition_does_not_flood(self, video_cast):
        cam = camera(video_cast)
        for minute in range(4):
            with time_machine.travel(START + dt.timedelta(minutes=minute), tick=False):
                services.do_capture_camera(cam, frame=frames.black(), now=timezone.now())
        assert Detection.objects.filter(camera=cam).count() == 1
        [alert] = alerts_of(cam, "video.dark")
        assert alert.seen_count == 4
        condition = CameraCondition.objects.get(camera=cam, detector="dark")
        assert condition.is_active and condition.seen_count == 4
        assert Snapshot.objects.filter(camera=cam, is_evidence=True).count() == 1

    def test_condition_clears_itself_and_recurs_as_a_new_detection(self, video_cast):
        cam = camera(video_cast)
        with time_machine.travel(START, tick=False):
            services.do_capture_camera(cam, frame=frames.black(), now=START)
        later = START + dt.timedelta(minutes=5)
        with time_machine.travel(later, tick=False):
            services.do_capture_camera(cam, frame=frames.sharp(), now=later)
        [first] = Detection.objects.filter(camera=cam)
        assert first.cleared_at == later and first.handled_at is None
        assert alerts_of(cam, "video.dark").get().state == AlertState.CLOSED  # camera health closes itself
        again = START + dt.timedelta(minutes=10)
        with time_machine.travel(again, tick=False):
            services.do_capture_camera(cam, frame=frames.black(), now=again)
        assert Detection.objects.filter(camera=cam).count() == 2


class TestHandle:
    def _detection(self, cast, **kwargs):
        cam = camera(cast, **kwargs)
        with time_machine.travel(START, tick=False):
            return services.do_capture_camera(cam, frame=frames.black(), now=START).detections[0]

    def test_handle_records_who_when_what_and_closes_the_alert(self, video_cast):
        detection = self._detection(video_cast)
        at = START + dt.timedelta(minutes=7)
        with time_machine.travel(at, tick=False):
            done = services.do_handle_detection(
                detection, note="已通知企业清理镜头遮挡物", acting_user=video_cast.township_staff
            )
        assert done.handled_at == at and done.handled_by == video_cast.township_staff
        assert [moment for _label, moment in done.four_firsts()] == [START, START, at, START]
        alert = Alert.objects.get(pk=detection.alert_id)
        assert alert.state == AlertState.CLOSED
        entry = AuditEntry.objects.filter(object_id=str(done.pk), action="update").get()
        assert entry.after["handling_note"] == "已通知企业清理镜头遮挡物"
        assert not CameraCondition.objects.get(camera=done.camera, detector="dark").is_active

    def test_a_condition_still_there_after_handling_is_discovered_again(self, video_cast):
        detection = self._detection(video_cast)
        services.do_handle_detection(detection, note="已处理", acting_user=video_cast.township_staff)
        later = START + dt.timedelta(minutes=5)
        with time_machine.travel(later, tick=False):
            result = services.do_capture_camera(detection.camera, frame=frames.black(), now=later)
        assert len(result.detections) == 1 and result.detections[0].pk != detection.pk
        assert alerts_of(detection.camera, "video.dark").filter(state=AlertState.OPEN).count() == 1

    def test_note_is_required_and_twice_is_refused(self, video_cast):
        detection = self._detection(video_cast)
        with pytest.raises(InvalidInput):
            services.do_handle_detection(detection, note="  ", acting_user=video_cast.township_staff)
        services.do_handle_detection(detection, note="已处理", acting_user=video_cast.township_staff)
        with pytest.raises(InvalidInput) as exc:
            services.do_handle_detection(detection, note="再次处理", acting_user=video_cast.township_staff)
        assert exc.value.code == "already_handled"

    @pytest.mark.parametrize("who", ["township_viewer", "outsider"])
    def test_viewer_and_outsider_may_not_handle(self, video_cast, who):
        detection = self._detection(video_cast)
        with pytest.raises(PermissionRefused):
            services.do_handle_detection(detection, note="越权", acting_user=getattr(video_cast, who))
        detection.refresh_from_db()
        assert detection.handled_at is None


class TestOffline:
    def test_offline_on_both_sides_of_the_policy(self, video_cast):
        cam = camera(video_cast, stream_url="/nonexistent/camera.jpg")
        minutes = get_policy("video.offline.after_minutes", area_path=cam.area_path).value
        with time_machine.travel(START, tick=False):
            first = services.do_capture_camera(cam, now=START)
        assert first.error and first.snapshot is None and first.detections == []
        just_before = START + dt.timedelta(minutes=minutes) - dt.timedelta(seconds=1)
        with time_machine.travel(just_before, tick=False):
            assert services.do_capture_camera(cam, now=just_before).detections == []
        at = START + dt.timedelta(minutes=minutes)
        with time_machine.travel(at, tick=False):
            [detection] = services.do_capture_camera(cam, now=at).detections
        assert detection.detector == "offline" and detection.value == minutes
        assert detection.snapshot is None
        assert detection.evidence["failing_since"] == START.isoformat()
        assert detection.evidence["consecutive_failures"] == 3
        assert len(detection.evidence_sha256) == 64
        assert detection.evidence_fixed_at == at and detection.warned_at == at
        cam.refresh_from_db()
        assert cam.failing_since == START and cam.consecutive_failures == 3
        assert "no such file" in cam.last_error

    def test_a_frame_ends_the_offline_episode(self, video_cast, tmp_path):
        import cv2

        image = tmp_path / "frame.png"
        cam = camera(video_cast, stream_url=str(image))
        minutes = get_policy("video.offline.after_minutes", area_path=cam.area_path).value
        services.do_capture_camera(cam, now=START)
        services.do_capture_camera(cam, now=START + dt.timedelta(minutes=minutes))
        assert alerts_of(cam, "video.offline").get().state == AlertState.OPEN
        cv2.imwrite(str(image), frames.sharp())
        result = services.do_capture_camera(cam, now=START + dt.timedelta(minutes=minutes + 1))
        assert result.snapshot is not None and result.error == ""
        assert alerts_of(cam, "video.offline").get().state == AlertState.CLOSED
        cam.refresh_from_db()
        assert cam.failing_since is None and cam.consecutive_failures == 0


class TestFrozen:
    def test_n_unchanged_snapshots_on_both_sides(self, video_cast):
        cam = camera(video_cast, detectors=["frozen"])
        count = get_policy("video.frozen.snapshots", area_path=cam.area_path).value
        same = frames.sharp()
        services.do_capture_camera(cam, frame=same, now=START)  # the first frame has nothing to compare with
        for i in range(1, count):
            result = services.do_capture_camera(cam, frame=same, now=START + dt.timedelta(minutes=i))
            assert result.detections == [], i
        result = services.do_capture_camera(cam, frame=same, now=START + dt.timedelta(minutes=count))
        [detection] = result.detections
        assert detection.detector == "frozen" and detection.value == 0.0
        assert detection.evidence["still_count"] == count

    def test_a_live_noisy_camera_is_not_frozen(self, video_cast):
        cam = camera(video_cast, detectors=["frozen"])
        count = get_policy("video.frozen.snapshots", area_path=cam.area_path).value
        for i in range(count + 3):
            result = services.do_capture_camera(cam, frame=frames.noisy(i), now=START + dt.timedelta(minutes=i))
            assert result.detections == []
            assert result.metrics["difference"] is None or result.metrics["difference"] >= float(
                get_policy("video.frozen.max_difference", area_path=cam.area_path).value
            )

    def test_one_changed_frame_restarts_the_count(self, video_cast):
        cam = camera(video_cast, detectors=["frozen"])
        count = get_policy("video.frozen.snapshots", area_path=cam.area_path).value
        same = frames.sharp()
        services.do_capture_camera(cam, frame=same, now=START)
        for i in range(1, count):
            services.do_capture_camera(cam, frame=same, now=START + dt.timedelta(minutes=i))
        services.do_capture_camera(cam, frame=frames.sharp(seed=9), now=START + dt.timedelta(minutes=count))
        cam.refresh_from_db()
        assert cam.still_count == 0
        result = services.do_capture_camera(
            cam, frame=frames.sharp(seed=9), now=START + dt.timedelta(minutes=count + 1)
        )
        assert result.detections == [] and cam.still_count == 0


class TestScheduling:
    def test_claim_is_compare_and_set(self, video_cast):
        cam = camera(video_cast)
        assert services.claim_due_cameras(START + dt.timedelta(days=1)) == [cam.pk]
        # a second scheduler in the same minute finds it no longer due
        assert services.claim_due_cameras(START + dt.timedelta(days=1)) == []
        cam.refresh_from_db()
        interval = get_policy("video.snapshot.interval_seconds", area_path=cam.area_path).value
        assert cam.next_capture_at == START + dt.timedelta(days=1, seconds=interval)

    def test_a_camera_claimed_by_another_worker_meanwhile_is_not_claimed_again(self, video_cast, monkeypatch):
        """Between reading the due row and updating it, another worker claims it: this one gets nothing."""
        cam = camera(video_cast)
        real_policy = services._policy

        def policy_while_another_worker_claims(key, area_path, now):
            Camera.objects.filter(pk=cam.pk).update(next_capture_at=now + dt.timedelta(minutes=5))
            return real_policy(key, area_path, now)

        monkeypatch.setattr(services, "_policy", policy_while_another_worker_claims)
        assert services.claim_due_cameras(START + dt.timedelta(days=1)) == []

    def test_own_interval_wins_and_inactive_cameras_are_skipped(self, video_cast):
        fast = camera(video_cast, snapshot_interval_seconds=60)
        idle = camera(video_cast, name="停用摄像头", is_active=False)
        now = START + dt.timedelta(days=1)
        assert services.claim_due_cameras(now) == [fast.pk]
        fast.refresh_from_db()
        assert fast.next_capture_at == now + dt.timedelta(seconds=60)
        assert services.claim_due_cameras(now + dt.timedelta(seconds=59)) == []
        assert services.claim_due_cameras(now + dt.timedelta(seconds=60)) == [fast.pk]
        assert idle.pk not in services.claim_due_cameras(now + dt.timedelta(days=3))

    def test_the_periodic_job_captures_due_cameras(self, video_cast):
        from jiceng.core.video.jobs import capture_due_cameras_job

        cam = camera(video_cast, stream_url="sim://job?mode=dark")
        other = camera(video_cast, name="燕店镇大门", stream_url="sim://gate?anomalies=0")
        with time_machine.travel(START + dt.timedelta(seconds=30), tick=False):
            capture_due_cameras_job.call_local()
        assert Snapshot.objects.filter(camera=cam).count() == 1
        assert Snapshot.objects.filter(camera=other).count() == 1
        assert Detection.objects.filter(camera=cam, detector="dark").count() == 1
        assert not Detection.objects.filter(camera=other).exists()
        with time_machine.travel(START + dt.timedelta(seconds=90), tick=False):
            capture_due_cameras_job.call_local()  # nothing is due again yet
        assert Snapshot.objects.count() == 2


class TestRetention:
    def test_ordinary_frames_go_evidence_and_the_latest_stay(self, video_cast, django_capture_on_commit_callbacks):
        cam = camera(video_cast)
        days = get_policy("video.snapshot.retention_days", area_path=cam.area_path).value
        old = services.do_capture_camera(cam, frame=frames.sharp(), now=START).snapshot
        evidence = services.do_capture_camera(cam, frame=frames.black(), now=START + dt.timedelta(minutes=1)).snapshot
        edge = services.do_capture_camera(cam, frame=frames.sharp(seed=2), now=START + dt.timedelta(days=1)).snapshot
        latest = services.do_capture_camera(cam, frame=frames.sharp(seed=3), now=START + dt.timedelta(days=2)).snapshot
        assert evidence.is_evidence
        with django_capture_on_commit_callbacks(execute=True):
            removed = services.do_purge_snapshots(START + dt.timedelta(days=days + 1))  # edge is exactly `days` old
        assert removed == 1
        left = set(Snapshot.objects.values_list("pk", flat=True))
        assert left == {evidence.pk, edge.pk, latest.pk}
        assert not default_storage.exists(old.image.name)
        assert default_storage.exists(evidence.image.name)
        assert services.do_purge_snapshots(START + dt.timedelta(days=days + 1, seconds=1)) == 1
        assert set(Snapshot.objects.values_list("pk", flat=True)) == {evidence.pk, latest.pk}
        # the latest frame of a camera stays however old it is
        assert services.do_purge_snapshots(START + dt.timedelta(days=days * 10)) == 0

    def test_a_camera_with_evidence_cannot_be_deleted(self, video_cast):
        from django.core.exceptions import ValidationError

        cam = camera(video_cast)
        services.do_capture_camera(cam, frame=frames.black(), now=START)
        with pytest.raises(ValidationError):
            services.do_delete_camera(cam, acting_user=video_cast.township_staff)
        assert Camera.objects.filter(pk=cam.pk).exists()

    def test_a_camera_without_detections_is_deleted_with_its_frames(
        self, video_cast, django_capture_on_commit_callbacks
    ):
        cam = camera(video_cast)
        snap = services.do_capture_camera(cam, frame=frames.sharp(), now=START).snapshot
        assert default_storage.exists(snap.image.name)
        with django_capture_on_commit_callbacks(execute=True):
            services.do_delete_camera(cam, acting_user=video_cast.township_staff)
        assert not Camera.objects.filter(pk=cam.pk).exists()
        assert not Snapshot.objects.filter(pk=snap.pk).exists()
        assert not default_storage.exists(snap.image.name)
