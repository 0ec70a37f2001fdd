"""Each detector on real frames, each threshold on both sides of its edge, HOG for real, the ONNX hook
with tiny real models built here, zones and time windows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
import time_machine

from jiceng.core.policies.services import do_create_policy, get_policy
from jiceng.core.video import frames as measures
from jiceng.core.video import services
from jiceng.core.video.detectors import Detector, Finding, get_detector, register_detector, unregister_detector
from jiceng.core.video.detectors.onnx import OnnxConfigError, OnnxDetector, register_onnx_detector
from jiceng.core.video.tests import frames
from jiceng.core.video.zones import (
    is_restricted_at,
    parse_windows_text,
    parse_zone_text,
    point_in_zone,
    windows_text,
    zone_text,
)

pytestmark = pytest.mark.django_db

MONDAY_10 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai
LOWER_MIDDLE = [[0.3, 0.5], [0.7, 0.5], [0.7, 1.0], [0.3, 1.0]]
LEFT_EDGE = [[0.0, 0.5], [0.2, 0.5], [0.2, 1.0], [0.0, 1.0]]


def make_camera(cast, detectors, **kwargs):
    with time_machine.travel(MONDAY_10, tick=False):
        return services.do_create_camera(
            subject=cast.area("燕店镇"),
            name=kwargs.pop("name", "测试摄像头"),
            stream_url="sim://detectors?anomalies=0",
            detectors=detectors,
            **kwargs,
        )


def local_policy(cast, key, value):
    """A 燕店镇 row for ``key`` (the most specific Area wins over the national seed)."""
    national = get_policy(key)
    area = cast.area("燕店镇")
    do_create_policy(
        data={
            "key": key,
            "name": national.name,
            "value_type": national.value_type,
            "value": str(value),
            "unit": national.unit,
            "area_code": area.code,
            "area_path": area.path,
            "effective_from": dt.date(2020, 1, 1),
            "source_document": "燕店镇测试规定",
            "source_status": "local",
        },
        acting_user=None,
    )


def fired(cam, frame, now=MONDAY_10):
    with time_machine.travel(now, tick=False):
        result = services.do_capture_camera(cam, frame=frame, now=now)
    return [f.detector for f in result.findings], result


class TestBlur:
    def test_sharp_passes_blurred_fires_with_the_seeded_policy(self, video_cast):
        cam = make_camera(video_cast, ["blur"])
        limit = float(get_policy("video.blur.min_laplacian_variance").value)
        assert measures.laplacian_variance(frames.sharp()) >= limit > measures.laplacian_variance(frames.blurred())
        assert fired(cam, frames.sharp())[0] == []
        keys, result = fired(cam, frames.blurred(), MONDAY_10 + dt.timedelta(minutes=1))
        assert keys == ["blur"]
        assert result.detections[0].threshold == limit

    def test_edge(self, video_cast):
        cam = make_camera(video_cast, ["blur"])
        measured = round(measures.laplacian_variance(frames.blurred()), 3)
        local_policy(video_cast, "video.blur.min_laplacian_variance", Decimal(str(measured)) - Decimal("0.01"))
        assert fired(cam, frames.blurred())[0] == []  # measured ≥ threshold: not blurred

    def test_edge_other_side(self, video_cast):
        cam = make_camera(video_cast, ["blur"])
        measured = round(measures.laplacian_variance(frames.blurred()), 3)
        local_policy(video_cast, "video.blur.min_laplacian_variance", Decimal(str(measured)) + Decimal("0.01"))
        keys, result = fired(cam, frames.blurred())
        assert keys == ["blur"]
        assert "燕店镇测试规定" in result.detections[0].message  # the local row and its source are cited


class TestDark:
    def test_black_fires_on_brightness(self, video_cast):
        cam = make_camera(video_cast, ["dark"])
        keys, result = fired(cam, frames.black())
        assert keys == ["dark"] and result.detections[0].policy_key == "video.dark.min_brightness"

    def test_flat_grey_fires_on_contrast(self, video_cast):
        cam = make_camera(video_cast, ["dark"])
        keys, result = fired(cam, frames.flat_grey())
        assert keys == ["dark"] and result.detections[0].policy_key == "video.dark.min_contrast"

    def test_sharp_passes(self, video_cast):
        assert fired(make_camera(video_cast, ["dark"]), frames.sharp())[0] == []

    @pytest.mark.parametrize(("delta", "fires"), [("0.01", True), ("-0.01", False)])
    def test_brightness_edge(self, video_cast, delta, fires):
        cam = make_camera(video_cast, ["dark"])
        frame = frames.sharp() // 3  # a dim scene, still with contrast
        measured = Decimal(str(round(measures.brightness(frame), 3)))
        assert measures.contrast(frame) >= float(get_policy("video.dark.min_contrast").value)
        local_policy(video_cast, "video.dark.min_brightness", measured + Decimal(delta))
        assert (fired(cam, frame)[0] == ["dark"]) is fires

    @pytest.mark.parametrize(("delta", "fires"), [("0.01", True), ("-0.01", False)])
    def test_contrast_edge(self, video_cast, delta, fires):
        cam = make_camera(video_cast, ["dark"])
        frame = frames.sharp()
        measured = Decimal(str(round(measures.contrast(frame), 3)))
        local_policy(video_cast, "video.dark.min_contrast", measured + Decimal(delta))
        assert (fired(cam, frame)[0] == ["dark"]) is fires


class TestFrozenEdge:
    @pytest.mark.parametrize(("delta", "fires"), [("0.001", True), ("-0.001", False)])
    def test_difference_edge(self, video_cast, delta, fires):
        cam = make_camera(video_cast, ["frozen"])
        count = get_policy("video.frozen.snapshots").value
        a, b = frames.noisy(1), frames.noisy(2)
        measured = Decimal(str(round(measures.difference(measures.signature(a), measures.signature(b)), 4)))
        local_policy(video_cast, "video.frozen.max_difference", measured + Decimal(delta))
        keys = []
        for i in range(count + 1):
            keys, _result = fired(cam, a if i % 2 == 0 else b, MONDAY_10 + dt.timedelta(minutes=i))
        assert (keys == ["frozen"]) is fires


class TestPersonInZone:
    def test_hog_finds_the_pedestrian_and_not_the_empty_wall(self, video_cast):
        detector = get_detector("person_zone")
        [person] = detector.people(frames.pedestrian())
        foot_x, foot_y = person["x"] + person["w"] / 2, person["y"] + person["h"]
        assert 0.45 < foot_x < 0.55 and 0.75 < foot_y < 0.95
        assert person["score"] >= float(get_policy("video.person.min_score").value)
        assert detector.people(frames.empty_wall()) == []

    def test_in_the_zone_at_a_restricted_time(self, video_cast):
        cam = make_camera(
            video_cast,
            ["person_zone"],
            zone=LOWER_MIDDLE,
            zone_windows=[{"weekdays": [1, 2, 3, 4, 5], "start": "08:00", "end": "18:00"}],
        )
        keys, result = fired(cam, frames.pedestrian())
        assert keys == ["person_zone"]
        [detection] = result.detections
        assert detection.severity == "orange" and detection.boxes[0]["label"] == "person"
        assert result.metrics["persons_in_zone"] == 1
        assert detection.alert.rule == "video.person_zone"

    def test_outside_the_zone(self, video_cast):
        cam = make_camera(video_cast, ["person_zone"], zone=LEFT_EDGE)
        keys, result = fired(cam, frames.pedestrian())
        assert keys == [] and result.metrics["persons"] == 1 and result.metrics["persons_in_zone"] == 0

    def test_in_the_zone_outside_the_restricted_time(self, video_cast):
        cam = make_camera(
            video_cast,
            ["person_zone"],
            zone=LOWER_MIDDLE,
            zone_windows=[{"weekdays": [6, 7], "start": "00:00", "end": "24:00"}],
        )
        keys, result = fired(cam, frames.pedestrian())
        assert keys == [] and result.metrics["zone_restricted"] is False

    def test_window_end_is_exclusive(self, video_cast):
        window = [{"weekdays": [1], "start": "09:30", "end": "10:00"}]
        cam = make_camera(video_cast, ["person_zone"], zone=LOWER_MIDDLE, zone_windows=window)
        assert fired(cam, frames.pedestrian())[0] == []  # 10:00 is past the window
        assert fired(cam, frames.pedestrian(), MONDAY_10 - dt.timedelta(minutes=1))[0] == ["person_zone"]

    def test_nobody_no_finding(self, video_cast):
        cam = make_camera(video_cast, ["person_zone"], zone=LOWER_MIDDLE)
        assert fired(cam, frames.empty_wall())[0] == []

    @pytest.mark.parametrize(("delta", "fires"), [("0", True), ("0.001", False)])
    def test_score_edge(self, video_cast, delta, fires):
        cam = make_camera(video_cast, ["person_zone"], zone=LOWER_MIDDLE)
        [person] = get_detector("person_zone").people(frames.pedestrian())
        local_policy(video_cast, "video.person.min_score", Decimal(str(person["score"])) + Decimal(delta))
        assert (fired(cam, frames.pedestrian())[0] == ["person_zone"]) is fires

    def test_violations_do_not_close_themselves(self, video_cast):
        from jiceng.core.alerts.models import AlertState

        cam = make_camera(video_cast, ["person_zone"], zone=LOWER_MIDDLE)
        _keys, result = fired(cam, frames.pedestrian())
        fired(cam, frames.empty_wall(), MONDAY_10 + dt.timedelta(minutes=5))
        detection = result.detections[0]
        detection.refresh_from_db()
        assert detection.cleared_at is not None
        assert detection.alert.state == AlertState.OPEN  # somebody must handle it


class TestZones:
    def test_point_in_polygon(self):
        assert point_in_zone(0.5, 0.75, LOWER_MIDDLE)
        assert point_in_zone(0.3, 0.75, LOWER_MIDDLE)  # on the edge
        assert not point_in_zone(0.29, 0.75, LOWER_MIDDLE)
        triangle = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
        assert point_in_zone(0.2, 0.2, triangle) and not point_in_zone(0.8, 0.8, triangle)

    def test_overnight_window(self):
        windows = [{"weekdays": [1], "start": "18:00", "end": "08:00"}]
        tuesday_0759 = dt.datetime(2026, 3, 2, 23, 59, tzinfo=dt.UTC)  # Tuesday 07:59 local
        assert is_restricted_at(windows, tuesday_0759)
        assert not is_restricted_at(windows, tuesday_0759 + dt.timedelta(minutes=1))
        assert is_restricted_at(windows, dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))  # Monday 18:00
        assert not is_restricted_at(windows, dt.datetime(2026, 3, 2, 9, 59, tzinfo=dt.UTC))
        assert is_restricted_at([], tuesday_0759)

    def test_text_forms_round_trip(self):
        zone = parse_zone_text("0.1,0.2； 0.9，0.2; 0.9,0.9")
        assert zone == [[0.1, 0.2], [0.9, 0.2], [0.9, 0.9]]
        assert parse_zone_text(zone_text(zone)) == zone
        windows = parse_windows_text("1-5 18:00-08:00; 6,7 00:00-24:00")
        assert windows == [
            {"weekdays": [1, 2, 3, 4, 5], "start": "18:00", "end": "08:00"},
            {"weekdays": [6, 7], "start": "00:00", "end": "24:00"},
        ]
        assert parse_windows_text(windows_text(windows)) == windows


# --- ONNX -------------------------------------------------------------------------------
def _scores_model(path, size=(16, 16)):
    """Class scores = the mean of each input channel (R, G, B after the detector's pre-processing)."""
    from onnx import TensorProto, helper, save

    width, height = size
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["image"], ["scores"], axes=[2, 3], keepdims=0)],
        "channel_means",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, height, width])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 3])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    save(model, str(path))
    return path


def _boxes_model(path, box=(0.4, 0.2, 0.6, 0.9), size=(16, 16)):
    """One box row [x1, y1, x2, y2, score, class 0] whose score is the mean of the whole input."""
    from onnx import TensorProto, helper, save

    width, height = size
    coords = helper.make_tensor("coords", TensorProto.FLOAT, [1, 1, 4], list(box))
    klass = helper.make_tensor("klass", TensorProto.FLOAT, [1, 1, 1], [0.0])
    shape = helper.make_tensor("shape", TensorProto.INT64, [3], [1, 1, 1])
    nodes = [
        helper.make_node("ReduceMean", ["image"], ["mean"], axes=[1, 2, 3], keepdims=0),
        helper.make_node("Reshape", ["mean", "shape"], ["score"]),
        helper.make_node("Concat", ["coords", "score", "klass"], ["boxes"], axis=2),
    ]
    graph = helper.make_graph(
        nodes,
        "one_box",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, height, width])],
        [helper.make_tensor_value_info("boxes", TensorProto.FLOAT, [1, 1, 6])],
        initializer=[coords, klass, shape],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    save(model, str(path))
    return path


@pytest.fixture
def onnx_detector(tmp_path):
    made = []

    def make(key, **config):
        detector = register_onnx_detector({"key": key, "input_size": [16, 16], **config})
        made.append(key)
        return detector

    yield make
    for key in made:
        unregister_detector(key)


def red_frame():
    frame = np.zeros((120, 160, 3), np.uint8)
    frame[:, :, 2] = 255  # BGR: the red channel
    return frame


class TestOnnx:
    def test_scores_model_through_onnxruntime(self, video_cast, tmp_path, onnx_detector):
        model = _scores_model(tmp_path / "colours.onnx")
        onnx_detector("red_vest", model=str(model), labels=["red", "green", "blue"], alert_labels=["red"])
        cam = make_camera(video_cast, ["red_vest"])
        keys, result = fired(cam, red_frame())
        assert keys == ["red_vest"]
        [detection] = result.detections
        assert detection.value == pytest.approx(1.0) and detection.policy_key == "video.onnx.min_score"
        assert "colours.onnx" in detection.message and "red" in detection.message
        assert detection.alert.rule == "video.red_vest"

    def test_channel_order_matters(self, tmp_path, onnx_detector):
        """Pre-processing converts BGR to RGB: the 'red' score is the frame's red channel."""
        model = _scores_model(tmp_path / "colours.onnx")
        rgb = onnx_detector("rgb_probe", model=str(model), labels=["r", "g", "b"])
        bgr = onnx_detector("bgr_probe", model=str(model), labels=["r", "g", "b"], channels="bgr")
        red = [c["score"] for c in rgb.postprocess(rgb.infer(rgb.preprocess(red_frame())))]
        raw = [c["score"] for c in bgr.postprocess(bgr.infer(bgr.preprocess(red_frame())))]
        assert red == pytest.approx([1.0, 0.0, 0.0]) and raw == pytest.approx([0.0, 0.0, 1.0])

    @pytest.mark.parametrize(("delta", "fires"), [("0", True), ("0.001", False)])
    def test_score_edge(self, video_cast, tmp_path, onnx_detector, delta, fires):
        model = _scores_model(tmp_path / "colours.onnx")
        detector = onnx_detector("grey_probe", model=str(model), labels=["r", "g", "b"], alert_labels=["g"])
        frame = np.full((120, 160, 3), 100, np.uint8)
        score = detector.postprocess(detector.infer(detector.preprocess(frame)))[1]["score"]
        local_policy(video_cast, "video.onnx.min_score", Decimal(str(score)) + Decimal(delta))
        cam = make_camera(video_cast, ["grey_probe"])
        assert (fired(cam, frame)[0] == ["grey_probe"]) is fires

    def test_boxes_model_and_zone_only(self, video_cast, tmp_path, onnx_detector):
        model = _boxes_model(tmp_path / "boxes.onnx")
        onnx_detector("no_helmet", model=str(model), labels=["head"], output="boxes", zone_only=True, severity="red")
        white = np.full((120, 160, 3), 255, np.uint8)
        inside = make_camera(video_cast, ["no_helmet"], zone=LOWER_MIDDLE)
        keys, result = fired(inside, white)
        assert keys == ["no_helmet"]
        [detection] = result.detections
        assert detection.severity == "red"
        assert detection.boxes[0] == {"label": "head", "score": 1.0, "x": 0.4, "y": 0.2, "w": 0.2, "h": 0.7}
        outside = make_camera(video_cast, ["no_helmet"], name="左侧摄像头", zone=LEFT_EDGE)
        assert fired(outside, white)[0] == []
        dark = make_camera(video_cast, ["no_helmet"], name="暗处摄像头", zone=LOWER_MIDDLE)
        assert fired(dark, np.zeros((120, 160, 3), np.uint8))[0] == []  # score 0 < threshold

    def test_bad_config_is_refused(self, tmp_path):
        with pytest.raises(OnnxConfigError):
            OnnxDetector(
                {
                    "key": "x",
                    "model": str(tmp_path / "m.onnx"),
                    "input_size": [8, 8],
                    "labels": ["a"],
                    "output": "masks",
                }
            )
        with pytest.raises(OnnxConfigError):
            OnnxDetector({"key": "x", "input_size": [8, 8], "labels": ["a"]})

    def test_configured_models_are_registered_from_settings(self, settings, tmp_path):
        from jiceng.core.video.detectors.onnx import register_configured_models

        model = _scores_model(tmp_path / "colours.onnx")
        settings.VIDEO_ONNX_MODELS = [
            {"key": "from_settings", "model": str(model), "input_size": [16, 16], "labels": ["r", "g", "b"]},
            {"key": "broken"},
        ]
        try:
            assert register_configured_models() == 1
            assert get_detector("from_settings") is not None and get_detector("broken") is None
        finally:
            unregister_detector("from_settings")


class TestRegistry:
    def test_a_module_registers_its_own_detector_and_a_failing_one_does_not_stop_the_rest(self, video_cast):
        class Always(Detector):
            key, label, severity = "always_probe", "Always", "blue"

            def detect(self, frame, context):
                limit = context.policy("video.dark.min_brightness")
                return [Finding(self.key, "always", value=1.0, threshold=float(limit.value), policy=limit)]

        class Broken(Detector):
            key, label = "broken_probe", "Broken"

            def detect(self, frame, context):
                raise RuntimeError("model file missing")

        register_detector(Always())
        register_detector(Broken())
        try:
            with pytest.raises(ValueError):
                register_detector(Always())  # the key is taken
            cam = make_camera(video_cast, ["broken_probe", "always_probe"])
            keys, result = fired(cam, frames.sharp())
            assert keys == ["always_probe"]
            assert "model file missing" in result.metrics["errors"]["broken_probe"]
        finally:
            unregister_detector("always_probe")
            unregister_detector("broken_probe")
