"""The ingest pipeline on the database: validation, duplicates, alarms with the four firsts and
their evidence, escalation, clearance, re-activation, offline detection, partitions."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone

from jiceng.core.alerts.models import Alert
from jiceng.core.models import AuditEntry
from jiceng.safety.monitoring import readings, services
from jiceng.safety.monitoring.ingest import Ingestor
from jiceng.safety.monitoring.models import Alarm, AlarmLevel, Reading, SensorState
from jiceng.safety.monitoring.tests.factories import make_gateway, make_sensor, make_source

pytestmark = pytest.mark.django_db


def msg(sensor, ts, value):
    return f"jiceng/readings/{sensor.code}", json.dumps({"ts": ts.isoformat(), "value": value}).encode()


def series(sensor, values, start=None, every=1):
    start = start or timezone.now() - dt.timedelta(minutes=5)
    return [msg(sensor, start + dt.timedelta(seconds=every * i), v) for i, v in enumerate(values)]


@pytest.fixture
def sensor(safety_cast):
    return make_sensor(safety_cast.area("燕店镇"), level1=20, level2=40)


def test_bad_payloads_are_counted_and_change_nothing(sensor):
    now = timezone.now()
    good = msg(sensor, now, 5)
    bad = [
        ("jiceng/readings/" + sensor.code, b"{not json"),
        ("jiceng/readings/" + sensor.code, json.dumps({"ts": "yesterday", "value": 1}).encode()),
        ("jiceng/readings/" + sensor.code, json.dumps({"ts": "2026-12-01T08:00:00", "value": 1}).encode()),
        ("jiceng/readings/" + sensor.code, json.dumps({"ts": now.isoformat(), "value": "high"}).encode()),
        ("jiceng/readings/" + sensor.code, json.dumps({"ts": now.isoformat(), "value": True}).encode()),
        ("jiceng/readings/" + sensor.code, json.dumps({"ts": now.isoformat(), "value": 101}).encode()),
        (
            "jiceng/readings/" + sensor.code,
            json.dumps({"ts": (now + dt.timedelta(minutes=6)).isoformat(), "value": 1}).encode(),
        ),
        (
            "jiceng/readings/" + sensor.code,
            json.dumps({"ts": (now - dt.timedelta(hours=73)).isoformat(), "value": 1}).encode(),
        ),
        ("jiceng/readings/no-such-sensor", json.dumps({"ts": now.isoformat(), "value": 1}).encode()),
        ("jiceng/readings/" + sensor.code, json.dumps([1, 2]).encode()),
        ("somewhere/else", b"{}"),
    ]
    ingestor = Ingestor()
    result = ingestor.process([*bad, good])
    assert result["accepted"] == 1 and result["inserted"] == 1
    assert result["rejected"] == {
        "bad_json": 1, "bad_ts": 1, "naive_ts": 1, "bad_value": 2, "out_of_range": 1, "future_ts": 1,
        "stale_ts": 1, "unknown_sensor": 1, "bad_shape": 1, "bad_topic": 1,
    }  # fmt: skip
    assert Reading.objects.filter(sensor=sensor).count() == 1
    assert ingestor.totals.rejected["bad_value"] == 2


def test_clock_skew_and_age_limits_are_policies_at_their_edges(sensor):
    now = timezone.now()
    inside = [msg(sensor, now + dt.timedelta(seconds=299), 1), msg(sensor, now - dt.timedelta(hours=71, minutes=59), 1)]
    assert Ingestor().process(inside)["inserted"] == 2


def test_a_gateway_batch_carries_only_its_own_sensors(safety_cast):
    area = safety_cast.area("燕店镇")
    source = make_source(area)
    gateway = make_gateway(area, enterprise=source.enterprise, code="gw-test")
    wired = make_sensor(area, source=source, gateway=gateway)
    stranger = make_sensor(area)
    now = timezone.now().isoformat()
    items = [{"sensor": wired.code, "ts": now, "value": 3}, {"sensor": stranger.code, "ts": now, "value": 3}, {"x": 1}]
    result = Ingestor().process([("jiceng/batches/gw-test", json.dumps(items).encode())])
    assert result["inserted"] == 1 and result["rejected"] == {"wrong_gateway": 1, "unknown_sensor": 1}
    assert list(Reading.objects.values_list("sensor_id", flat=True)) == [wired.pk]


def test_a_redelivered_batch_stores_nothing_twice_and_raises_no_second_alarm(sensor):
    messages = series(sensor, [5, 25, 26, 27, 28])
    ingestor = Ingestor()
    first = ingestor.process(messages)
    state_after_first = SensorState.objects.get(sensor=sensor)
    second = ingestor.process(messages)
    assert (first["inserted"], second["inserted"]) == (5, 0)
    assert ingestor.totals.duplicates == 5
    assert Alarm.objects.filter(sensor=sensor).count() == 1
    state = SensorState.objects.get(sensor=sensor)
    assert (
        (state.readings, state.last_ts) == (state_after_first.readings, state_after_first.last_ts) == (5, state.last_ts)
    )


def test_an_alarm_has_its_four_firsts_evidence_and_alert(sensor):
    start = timezone.now() - dt.timedelta(minutes=2)
    Ingestor().process(series(sensor, [3, 4, 21, 22, 23], start=start))
    alarm = Alarm.objects.get(sensor=sensor)
    assert (alarm.level, alarm.state, alarm.reading_value, alarm.setpoint) == (AlarmLevel.LEVEL1, "active", 23, 20)
    assert alarm.reading_ts == start + dt.timedelta(seconds=4)
    assert alarm.discovered_at <= alarm.warned_at and alarm.evidence_fixed_at is not None and alarm.handled_at is None
    assert [value for _ts, value in alarm.evidence["readings"]] == [3, 4, 21, 22, 23]
    assert alarm.evidence_sha256 == services.evidence_digest(alarm.evidence)
    audit = AuditEntry.objects.get(object_id=str(alarm.pk), action="create", content_type__model="alarm")
    assert audit.after["evidence_sha256"] == alarm.evidence_sha256
    alert = Alert.objects.get(rule="safety.sensor_alarm", object_id=str(alarm.pk))
    assert alert.severity == "orange" and alert.pk == alarm.alert_id
    assert (
        "23.0 %LEL" in alert.explanation and "20.0 %LEL" in alert.explanation and "GB/T 50493-2019" in alert.explanation
    )


def test_escalation_raises_the_same_alarm_and_its_alert(sensor):
    start = timezone.now() - dt.timedelta(minutes=2)
    ingestor = Ingestor()
    ingestor.process(series(sensor, [21, 22, 23], start=start))
    ingestor.process(series(sensor, [41, 45, 50, 42], start=start + dt.timedelta(seconds=3)))
    alarm = Alarm.objects.get(sensor=sensor)
    assert (alarm.level, alarm.peak_value, alarm.setpoint) == (AlarmLevel.LEVEL2, 50, 40)
    assert Alert.objects.get(object_id=str(alarm.pk), rule="safety.sensor_alarm").severity == "red"


def test_clearing_then_handling_closes_the_alarm_and_its_alert(sensor, safety_cast):
    start = timezone.now() - dt.timedelta(minutes=2)
    ingestor = Ingestor()
    ingestor.process(series(sensor, [21, 22, 23, 19, 18, 17, 17], start=start))
    alarm = Alarm.objects.get(sensor=sensor)
    # 19 and 18 are inside the 10 % band (clear below 18): the 17s clear… after three of them
    assert alarm.cleared_at is None
    ingestor.process(series(sensor, [17], start=start + dt.timedelta(seconds=7)))
    alarm.refresh_from_db()
    assert alarm.cleared_at == start + dt.timedelta(seconds=7) and alarm.state == "active"
    closed = services.do_handle_alarm(alarm, acting_user=safety_cast.township_staff, handling="关闭泄漏阀门")
    assert closed.state == "closed" and closed.handled_at and closed.closed_at
    assert Alert.objects.get(object_id=str(alarm.pk), rule="safety.sensor_alarm").state == "closed"


def test_a_new_crossing_while_the_alarm_is_open_reactivates_it(sensor, safety_cast):
    start = timezone.now() - dt.timedelta(minutes=2)
    ingestor = Ingestor()
    ingestor.process(series(sensor, [21, 22, 23, 10, 10, 10], start=start))
    alarm = Alarm.objects.get(sensor=sensor)
    services.do_acknowledge_alarm(alarm, acting_user=safety_cast.township_staff)
    ingestor.process(series(sensor, [25, 26, 27], start=start + dt.timedelta(seconds=6)))
    alarm.refresh_from_db()
    assert Alarm.objects.filter(sensor=sensor).count() == 1
    assert (alarm.state, alarm.reactivations, alarm.cleared_at, alarm.peak_value) == ("active", 1, None, 27)


def test_an_alarm_closes_by_hand_only_when_cleared_and_handled(sensor, safety_cast, api):
    start = timezone.now() - dt.timedelta(minutes=2)
    Ingestor().process(series(sensor, [21, 22, 23], start=start))
    alarm = Alarm.objects.get(sensor=sensor)
    client = api(safety_cast.township_staff)
    response = client.post(f"/api/v1/safety/alarms/{alarm.pk}/close/", {}, format="json")
    assert response.status_code == 409 and len(response.json()["reasons"]) == 2
    response = client.post(
        f"/api/v1/safety/alarms/{alarm.pk}/handle/", {"handling": "人员撤离，加强通风"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "handled"
    assert client.post(f"/api/v1/safety/alarms/{alarm.pk}/close/", {}, format="json").status_code == 409
    Ingestor().process(series(sensor, [5, 5, 5], start=start + dt.timedelta(seconds=3)))
    alarm.refresh_from_db()
    assert alarm.state == "closed"  # handled, then the reading cleared: closed by the system
    listed = client.get("/api/v1/safety/alarms/", {"sensor": sensor.code}).json()["results"]
    assert [(row["id"], row["level"], row["state"], row["reading"]) for row in listed] == [
        (alarm.pk, "level1", "closed", 23.0)
    ]
    assert listed[0]["raised_at"]


def test_a_viewer_cannot_handle_alarms(sensor, safety_cast, api):
    Ingestor().process(series(sensor, [21, 22, 23]))
    alarm = Alarm.objects.get(sensor=sensor)
    response = api(safety_cast.township_viewer).post(f"/api/v1/safety/alarms/{alarm.pk}/handle/", {"handling": "x"})
    assert response.status_code == 403
    alarm.refresh_from_db()
    assert alarm.state == "active"


def test_silent_sensors_go_offline_once_and_come_back(sensor):
    now = timezone.now()
    Ingestor().process([msg(sensor, now - dt.timedelta(seconds=130), 3)])
    assert services.scan_offline(now - dt.timedelta(seconds=15)) == 0  # silent 115 s then: not yet
    assert services.scan_offline(now) == 1
    assert services.scan_offline(now) == 0  # compare-and-set: no second alarm
    alarm = Alarm.objects.get(sensor=sensor, level=AlarmLevel.OFFLINE)
    assert alarm.state == "active" and "120" in alarm.explanation
    assert Alert.objects.get(rule="safety.sensor_offline", object_id=str(alarm.pk)).severity == "yellow"
    result = Ingestor().process([msg(sensor, now, 4)])
    assert result["events"] == {"online": 1}
    alarm.refresh_from_db()
    assert alarm.state == "closed" and not SensorState.objects.get(sensor=sensor).offline


def test_the_silence_edge_is_the_policy(sensor):
    now = timezone.now()
    Ingestor().process([msg(sensor, now - dt.timedelta(seconds=120), 3)])
    assert services.scan_offline(now - dt.timedelta(milliseconds=1)) == 0
    assert services.scan_offline(now + dt.timedelta(milliseconds=1)) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
def test_readings_land_in_monthly_partitions(sensor):
    now = timezone.now()
    last_month = readings.month_start(now).replace(day=1) - dt.timedelta(days=1)
    stamp = dt.datetime.combine(last_month, dt.time(12), tzinfo=dt.UTC)
    Ingestor().process([msg(sensor, stamp, 1), msg(sensor, now, 2)])
    names = readings.list_partitions()
    assert readings.partition_name(readings.month_start(now)) in names
    assert readings.partition_name(readings.month_start(stamp)) in names
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {readings.TABLE}_default")  # noqa: S608
        assert cursor.fetchone()[0] == 0
        cursor.execute(f"SELECT count(*) FROM {readings.partition_name(readings.month_start(now))}")  # noqa: S608
        assert cursor.fetchone()[0] == 1


def test_the_offline_scan_costs_a_few_queries_however_many_sensors_report(safety_cast, django_assert_max_num_queries):
    area = safety_cast.area("燕店镇")
    source = make_source(area)
    sensors = [make_sensor(area, source=source) for _ in range(12)]
    now = timezone.now()
    Ingestor().process([msg(s, now, 3) for s in sensors])
    with django_assert_max_num_queries(6):  # one area: its policy, the silent and the never-heard sensors
        assert services.scan_offline(now) == 0
