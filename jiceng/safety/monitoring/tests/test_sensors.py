"""Sensor set-points against GB/T 50493-2019 (policies), through the service and the API."""

import pytest

from jiceng.core.workflow import GuardFailed
from jiceng.safety.monitoring import services
from jiceng.safety.monitoring.models import Sensor, SensorState
from jiceng.safety.monitoring.tests.factories import make_sensor, make_source

pytestmark = pytest.mark.django_db


def payload(source, **overrides):
    data = {
        "code": "gt-api-1",
        "source": source.pk,
        "name": "1#可燃气体探测器",
        "kind": "flammable_gas",
        "unit": "%LEL",
        "level1": 25,
        "level2": 50,
        "range_max": 100,
    }
    data.update(overrides)
    return data


def test_flammable_set_points_up_to_the_limits_are_accepted(safety_cast, api):
    source = make_source(safety_cast.area("燕店镇"))
    response = api(safety_cast.township_staff).post("/api/v1/safety/sensors/", payload(source), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["thresholds"] == {"level1": 25.0, "level2": 50.0, "direction": "high"}
    assert body["topic"] == "jiceng/readings/gt-api-1"
    assert SensorState.objects.filter(sensor_id=body["id"], level=0).exists()


@pytest.mark.parametrize(
    ("field", "value", "policy"),
    [
        ("level1", 25.1, "safety.alarm.flammable_gas_level1_max_pct_lel"),
        ("level2", 50.5, "safety.alarm.flammable_gas_level2_max_pct_lel"),
    ],
)
def test_a_set_point_above_the_limit_is_refused_with_its_rule(safety_cast, api, field, value, policy):
    source = make_source(safety_cast.area("燕店镇"))
    response = api(safety_cast.township_staff).post(
        "/api/v1/safety/sensors/", payload(source, **{field: value}), format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "guard_failed"
    assert [r["policy"] for r in body["reasons"]] == [policy]
    assert "GB/T 50493-2019" in body["reasons"][0]["message"] and str(value) in body["reasons"][0]["message"]
    assert not Sensor.objects.filter(code="gt-api-1").exists()


def test_every_broken_rule_is_listed(safety_cast):
    source = make_source(safety_cast.area("燕店镇"))
    data = {"code": "x", "source": source, "name": "x", "kind": "flammable_gas", "unit": "ppm",
            "level1": 60, "level2": 55, "range_max": 100}  # fmt: skip
    with pytest.raises(GuardFailed) as refused:
        services.do_create_sensor(data=data, acting_user=None)
    messages = " ".join(r.message for r in refused.value.reasons)
    assert len(refused.value.reasons) == 4  # order, unit, level 1 and level 2 limits
    assert "%LEL" in messages and "二级报警设定值（55）必须比一级报警设定值（60）更严重" in messages
    assert "上限 50 %LEL" in messages  # whole policy numbers print as numbers


def test_toxic_gas_limits_are_shares_of_the_exposure_limit(safety_cast):
    source = make_source(safety_cast.area("燕店镇"))
    base = {"source": source, "name": "NH3", "kind": "toxic_gas", "unit": "ppm", "range_max": 400, "oel": 40}
    services.do_create_sensor(data={**base, "code": "nh3-ok", "level1": 40, "level2": 80}, acting_user=None)
    with pytest.raises(GuardFailed) as refused:
        services.do_create_sensor(data={**base, "code": "nh3-high", "level1": 40.5, "level2": 80}, acting_user=None)
    assert refused.value.reasons[0].policy_key == "safety.alarm.toxic_gas_level1_max_pct_oel"
    with pytest.raises(GuardFailed):
        services.do_create_sensor(
            data={**base, "code": "nh3-no-oel", "oel": None, "level1": 10, "level2": 20}, acting_user=None
        )
    assert set(Sensor.objects.values_list("code", flat=True)) == {"nh3-ok"}


def test_other_kinds_take_the_design_values_but_stay_in_range_and_order(safety_cast):
    source = make_source(safety_cast.area("燕店镇"))
    base = {"source": source, "name": "液位", "kind": "level", "unit": "%", "range_max": 100}
    services.do_create_sensor(data={**base, "code": "lt-1", "level1": 85, "level2": 90}, acting_user=None)
    with pytest.raises(GuardFailed):
        services.do_create_sensor(data={**base, "code": "lt-2", "level1": 85, "level2": 120}, acting_user=None)
    low = {**base, "code": "lt-low", "direction": "low", "level1": 20, "level2": 10}
    services.do_create_sensor(data=low, acting_user=None)
    with pytest.raises(GuardFailed):
        services.do_create_sensor(data={**low, "code": "lt-low-2", "level2": 30}, acting_user=None)


def test_editing_set_points_is_checked_too_and_the_code_never_changes(safety_cast, api):
    sensor = make_sensor(safety_cast.area("燕店镇"))
    client = api(safety_cast.township_staff)
    assert client.patch(f"/api/v1/safety/sensors/{sensor.pk}/", {"level1": 30}, format="json").status_code == 409
    assert client.patch(f"/api/v1/safety/sensors/{sensor.pk}/", {"level1": 22}, format="json").status_code == 200
    assert client.patch(f"/api/v1/safety/sensors/{sensor.pk}/", {"code": "new"}, format="json").status_code == 400
    sensor.refresh_from_db()
    assert (sensor.level1, sensor.code != "new") == (22.0, True)


def test_sensor_list_filters_by_code_and_source(safety_cast, api):
    sensor = make_sensor(safety_cast.area("燕店镇"), code="gt-find-me")
    make_sensor(safety_cast.area("燕店镇"))
    rows = api(safety_cast.township_staff).get("/api/v1/safety/sensors/", {"code": "gt-find-me"}).json()["results"]
    assert [r["id"] for r in rows] == [sensor.pk]
    assert rows[0]["source"] == sensor.source_id and rows[0]["kind"] == "flammable_gas" and rows[0]["unit"] == "%LEL"
