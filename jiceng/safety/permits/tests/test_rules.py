"""Levels from metres and tonnes, and every validity window, each on both sides of its edge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from jiceng.core.errors import InvalidInput
from jiceng.core.models import AuditEntry
from jiceng.core.policies.services import do_create_policy
from jiceng.core.workflow import GuardFailed
from jiceng.safety.permits import services
from jiceng.safety.permits.models import WorkPermit

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)


def create(data):
    return services.do_create_permit(data=data, acting_user=None)


# --- levels ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("metres", "level"),
    [("2", "I"), ("5", "I"), ("5.01", "II"), ("15", "II"), ("15.01", "III"), ("30", "III"), ("30.01", "IV")],
)
def test_work_at_height_class_from_metres(permit_data, metres, level):
    permit = create(permit_data(work_type="height", height_m=Decimal(metres), valid_until=None))
    assert permit.level == level


def test_below_two_metres_is_not_work_at_height(permit_data):
    with pytest.raises(GuardFailed) as refused:
        create(permit_data(work_type="height", height_m=Decimal("1.99")))
    assert [r.policy_key for r in refused.value.reasons] == ["safety.permit.height_min_m"]
    assert refused.value.reasons[0].value == Decimal("2")
    assert not WorkPermit.objects.exists()


@pytest.mark.parametrize(("tonnes", "level"), [("39.99", "3"), ("40", "2"), ("100", "2"), ("100.01", "1"), ("5", "3")])
def test_lifting_level_from_tonnes(permit_data, tonnes, level):
    permit = create(permit_data(work_type="lifting", load_t=Decimal(tonnes)))
    assert permit.level == level


@pytest.mark.parametrize(("choice", "level"), [("special", "special"), ("1", "1"), ("2", "2")])
def test_hot_work_level_is_the_one_chosen(permit_data, choice, level):
    assert create(permit_data(hot_work_level=choice, valid_until=None)).level == level


def test_ungraded_types_have_no_level_and_need_their_inputs(permit_data):
    assert create(permit_data(work_type="excavation")).level == ""
    with pytest.raises(InvalidInput) as refused:
        create(permit_data(work_type="lifting"))
    assert refused.value.field == "load_t"
    with pytest.raises(InvalidInput):
        create(permit_data(work_type="blind_plate"))
    assert create(permit_data(work_type="blind_plate", blind_plate_mode="insert")).blind_plate_mode == "insert"


def test_inputs_of_other_types_are_dropped(permit_data):
    permit = create(permit_data(work_type="confined_space", height_m=Decimal("40"), hot_work_level="special"))
    assert (permit.height_m, permit.hot_work_level, permit.level) == (None, "", "")


# --- validity windows -------------------------------------------------------------------------------
WINDOWS = [
    ({"hot_work_level": "special"}, 8 * HOUR, "safety.permit.hot_work_special_hours", 8),
    ({"hot_work_level": "1"}, 8 * HOUR, "safety.permit.hot_work_special_hours", 8),
    ({"hot_work_level": "2"}, 72 * HOUR, "safety.permit.hot_work_level2_hours", 72),
    ({"work_type": "confined_space"}, 24 * HOUR, "safety.permit.confined_space_hours", 24),
    ({"work_type": "height", "height_m": Decimal("10")}, 7 * DAY, "safety.permit.height_days", 7),
    ({"work_type": "temporary_power"}, 15 * DAY, "safety.permit.temporary_power_days", 15),
    (
        {"work_type": "temporary_power", "is_special_power": True},
        30 * DAY,
        "safety.permit.temporary_power_special_days",
        30,
    ),
]


@pytest.mark.parametrize(("fields", "limit", "key", "value"), WINDOWS)
def test_a_window_exactly_at_its_limit_is_accepted(permit_data, now, fields, limit, key, value):
    start = now + HOUR
    permit = create(permit_data(**fields, valid_from=start, valid_until=start + limit))
    assert permit.valid_until - permit.valid_from == limit


@pytest.mark.parametrize(("fields", "limit", "key", "value"), WINDOWS)
def test_a_window_a_minute_over_its_limit_is_refused_naming_the_rule(permit_data, now, fields, limit, key, value):
    start = now + HOUR
    with pytest.raises(GuardFailed) as refused:
        create(permit_data(**fields, valid_from=start, valid_until=start + limit + MINUTE))
    (reason,) = refused.value.reasons
    assert (reason.policy_key, reason.value) == (key, value)
    assert "GB 30871-2022" in reason.source and "GB 30871-2022" in reason.message
    assert not WorkPermit.objects.exists()


@pytest.mark.parametrize(("fields", "limit", "key", "value"), WINDOWS)
def test_an_empty_end_takes_the_longest_window_allowed(permit_data, now, fields, limit, key, value):
    permit = create(permit_data(**fields, valid_until=None))
    assert permit.valid_until == now + HOUR + limit


def test_types_without_a_single_limit_need_the_end_of_their_window(permit_data, now):
    with pytest.raises(InvalidInput) as refused:
        create(permit_data(work_type="road_closure", valid_until=None))
    assert refused.value.field == "valid_until"
    long = create(permit_data(work_type="road_closure", valid_until=now + 20 * DAY))
    assert long.duration == 20 * DAY - HOUR


def test_a_window_ends_after_it_starts(permit_data, now):
    with pytest.raises(InvalidInput):
        create(permit_data(valid_until=now + HOUR))


def test_the_limit_is_the_policy_of_the_enterprises_area(permit_data, plant, now, safety_cast):
    """Rules are data: a county that shortens the confined-space validity to 12 h is obeyed."""
    do_create_policy(
        data={
            "key": "safety.permit.confined_space_hours",
            "name": "受限空间作业票有效期（县规定）",
            "value_type": "integer",
            "value": "12",
            "unit": "小时",
            "area_code": safety_cast.area("莘县").code,
            "area_path": safety_cast.area("莘县").path,
            "effective_from": dt.date(2026, 1, 1),
            "source_document": "莘县特殊作业管理规定",
            "source_status": "local",
        },
        acting_user=None,
    )
    start = now + HOUR
    create(permit_data(work_type="confined_space", valid_from=start, valid_until=start + 12 * HOUR))
    with pytest.raises(GuardFailed) as refused:
        create(permit_data(work_type="confined_space", valid_from=start, valid_until=start + 13 * HOUR))
    assert refused.value.reasons[0].value == 12 and "莘县特殊作业管理规定" in refused.value.reasons[0].source


def test_every_broken_rule_is_listed(permit_data, now):
    with pytest.raises(GuardFailed) as refused:
        create(permit_data(work_type="height", height_m=Decimal("1.5"), valid_until=now + 10 * DAY))
    assert [r.policy_key for r in refused.value.reasons] == ["safety.permit.height_min_m", "safety.permit.height_days"]


# --- the API's 409 ---------------------------------------------------------------------------------
def test_api_refuses_a_too_long_window_with_409_and_writes_nothing(safety_cast, plant, api, now):
    client = api(safety_cast.township_staff)
    audits = AuditEntry.objects.count()
    body = {
        "enterprise": plant.pk,
        "work_type": "hot_work",
        "hot_work_level": "2",
        "location": "1#罐区",
        "content": "焊接",
        "workers": 2,
        "applicant": "张伟",
        "guardian": "李强",
        "valid_from": (now + HOUR).isoformat(),
        "valid_until": (now + HOUR + 72 * HOUR + MINUTE).isoformat(),
    }
    response = client.post(reverse("workpermit-list"), body, format="json")
    assert response.status_code == 409, response.content
    data = response.json()
    assert data["code"] == "guard_failed"
    (reason,) = data["reasons"]
    assert reason["policy"] == "safety.permit.hot_work_level2_hours" and reason["value"] == 72
    assert "GB 30871-2022" in reason["source"]
    assert not WorkPermit.objects.exists() and AuditEntry.objects.count() == audits
    body["valid_until"] = (now + HOUR + 72 * HOUR).isoformat()
    created = client.post(reverse("workpermit-list"), body, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["level"], created.json()["state"]) == ("2", "draft")


def test_api_computes_level_and_valid_until(safety_cast, plant, api, now):
    body = {
        "enterprise": plant.pk,
        "work_type": "height",
        "height_m": "31",
        "location": "精馏塔平台",
        "content": "保温拆装",
        "workers": 4,
        "applicant": "张伟",
        "guardian": "李强",
        "valid_from": (now + HOUR).isoformat(),
        "level": "I",  # read-only: ignored
        "state": "approved",  # read-only: ignored
    }
    response = api(safety_cast.township_staff).post(reverse("workpermit-list"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["level"], data["state"]) == ("IV", "draft")
    assert dt.datetime.fromisoformat(data["valid_until"]) == now + HOUR + 7 * DAY
