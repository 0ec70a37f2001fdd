"""The two permit alerts: raised once by the scan (and by the services), resolved when the condition
clears; each condition on both sides of its edge."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from jiceng.core.alerts.models import Alert
from jiceng.core.policies.services import do_create_policy
from jiceng.safety.permits import services
from jiceng.safety.permits.services import EXPIRED_RULE, UNCOVERED_RULE, scan_permits
from jiceng.safety.permits.tests.factories import make_permit, make_report

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def open_alerts(rule):
    return list(Alert.objects.filter(rule=rule).exclude(state="closed"))


# --- a permit past its window that is still open ---------------------------------------------------
@pytest.mark.parametrize(("ends_in", "raised"), [(MINUTE, False), (dt.timedelta(0), True), (-MINUTE, True)])
def test_an_open_permit_past_its_window_raises_an_alert(safety_cast, plant, now, ends_in, raised):
    permit = make_permit(
        plant.area, enterprise=plant, state="active", valid_from=now - 5 * HOUR, valid_until=now + ends_in
    )
    scan_permits(now)
    alerts = open_alerts(EXPIRED_RULE)
    assert [a.object_id for a in alerts] == ([str(permit.pk)] if raised else [])
    if raised:
        assert alerts[0].severity == "orange"
        assert alerts[0].evidence["policy"] == "safety.permit.hot_work_level2_hours"
        assert "72" in alerts[0].explanation and "GB 30871-2022" in alerts[0].explanation


def test_the_expiry_alert_is_raised_once_and_covers_approved_permits_too(safety_cast, plant, now):
    permit = make_permit(
        plant.area, enterprise=plant, state="approved", valid_from=now - 9 * HOUR, valid_until=now - HOUR
    )
    closed = make_permit(
        plant.area, enterprise=plant, state="closed", valid_from=now - 9 * HOUR, valid_until=now - HOUR
    )
    assert scan_permits(now)["expired"] == 1
    assert scan_permits(now + MINUTE)["expired"] == 1
    alerts = Alert.objects.filter(rule=EXPIRED_RULE)
    assert alerts.count() == 1 and alerts.get().object_id == str(permit.pk) and alerts.get().seen_count == 2
    assert not Alert.objects.filter(rule=EXPIRED_RULE, object_id=str(closed.pk)).exists()


def test_closing_the_permit_resolves_its_alert(safety_cast, plant, now):
    permit = make_permit(
        plant.area, enterprise=plant, state="active", valid_from=now - 9 * HOUR, valid_until=now - HOUR
    )
    scan_permits(now)
    services.do_transition(permit, to="closed", acting_user=safety_cast.township_staff)
    assert open_alerts(EXPIRED_RULE) == []
    scan_permits(now)
    assert Alert.objects.filter(rule=EXPIRED_RULE).count() == 1  # closed, not raised again


def test_the_scan_resolves_an_alert_whose_permit_was_closed_elsewhere(safety_cast, plant, now):
    permit = make_permit(
        plant.area, enterprise=plant, state="active", valid_from=now - 9 * HOUR, valid_until=now - HOUR
    )
    scan_permits(now)
    type(permit).objects.filter(pk=permit.pk).update(state="closed")  # e.g. an import
    assert scan_permits(now)["resolved"] == 1
    assert open_alerts(EXPIRED_RULE) == []


# --- work reported without a permit ----------------------------------------------------------------
@pytest.mark.parametrize(("starts_in", "raised"), [(MINUTE, False), (dt.timedelta(0), True), (-HOUR, True)])
def test_work_that_has_started_without_a_permit_raises_an_alert(safety_cast, plant, now, starts_in, raised):
    report = make_report(plant.area, enterprise=plant, starts_at=now + starts_in)
    scan_permits(now)
    alerts = open_alerts(UNCOVERED_RULE)
    assert [a.object_id for a in alerts] == ([str(report.pk)] if raised else [])
    if raised:
        assert alerts[0].severity == "red" and alerts[0].evidence["policy"] == "safety.permit.required"
        assert "莘县示例化工有限公司" in alerts[0].explanation


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "state", "covered"),
    [
        (-HOUR, HOUR, "approved", True),
        (dt.timedelta(0), HOUR, "active", True),  # valid from the very start of the work
        (-2 * HOUR, dt.timedelta(0), "approved", False),  # lapsed the moment the work started
        (MINUTE, HOUR, "approved", False),  # valid only from a minute after the start
        (-HOUR, HOUR, "closed", True),  # the work was permitted and is over
        (-HOUR, HOUR, "submitted", False),
        (-HOUR, HOUR, "draft", False),
        (-HOUR, HOUR, "rejected", False),
    ],
)
def test_which_permit_covers_reported_work(safety_cast, plant, now, valid_from, valid_until, state, covered):
    start = now - 30 * MINUTE
    report = make_report(plant.area, enterprise=plant, starts_at=start)
    make_permit(
        plant.area, enterprise=plant, state=state, valid_from=start + valid_from, valid_until=start + valid_until
    )
    scan_permits(now)
    assert (open_alerts(UNCOVERED_RULE) == []) is covered
    assert services.covering_permits(report).exists() is covered


def test_a_permit_of_another_type_or_enterprise_does_not_cover(safety_cast, plant, now):
    report = make_report(plant.area, enterprise=plant, starts_at=now - HOUR, work_type="confined_space")
    make_permit(plant.area, enterprise=plant, state="active", valid_from=now - 2 * HOUR)  # hot work
    make_permit(plant.area, work_type="confined_space", state="active", valid_from=now - 2 * HOUR)  # another enterprise
    scan_permits(now)
    assert [a.object_id for a in open_alerts(UNCOVERED_RULE)] == [str(report.pk)]


def test_the_uncovered_alert_is_raised_once_and_resolved_by_an_approval(safety_cast, plant, permit_data, now):
    report = services.do_create_report(
        data={
            "enterprise": plant,
            "work_type": "hot_work",
            "location": "1#罐区管线",
            "starts_at": now - 10 * MINUTE,
            "ends_at": now + 3 * HOUR,
            "workers": 4,
        },
        acting_user=safety_cast.township_staff,
    )
    assert len(open_alerts(UNCOVERED_RULE)) == 1  # raised at once by the service
    scan_permits(now)
    scan_permits(now + MINUTE)
    assert Alert.objects.filter(rule=UNCOVERED_RULE).count() == 1
    permit = services.do_create_permit(
        data=permit_data(valid_from=now - 20 * MINUTE, valid_until=now + 6 * HOUR), acting_user=None
    )
    services.do_transition(permit, to="submitted", acting_user=safety_cast.township_staff)
    assert len(open_alerts(UNCOVERED_RULE)) == 1  # submitted is not approved
    services.do_transition(permit, to="approved", acting_user=safety_cast.township_staff)
    assert open_alerts(UNCOVERED_RULE) == []
    assert Alert.objects.get(rule=UNCOVERED_RULE).object_id == str(report.pk)


def test_the_scan_resolves_when_a_covering_permit_is_recorded_later(safety_cast, plant, now):
    report = make_report(plant.area, enterprise=plant, starts_at=now - HOUR)
    scan_permits(now)
    make_permit(plant.area, enterprise=plant, state="closed", valid_from=now - 2 * HOUR)
    assert scan_permits(now)["resolved"] == 1
    assert open_alerts(UNCOVERED_RULE) == []
    services.do_delete_report(report, acting_user=safety_cast.township_staff)


def test_the_report_alert_goes_when_the_report_is_deleted(safety_cast, plant, now):
    report = make_report(plant.area, enterprise=plant, starts_at=now - HOUR)
    scan_permits(now)
    services.do_delete_report(report, acting_user=safety_cast.township_staff)
    assert open_alerts(UNCOVERED_RULE) == []


def test_an_area_may_switch_the_rule_off(safety_cast, plant, now):
    do_create_policy(
        data={
            "key": "safety.permit.required",
            "name": "特殊作业须持有效作业票（试点停用）",
            "value_type": "boolean",
            "value": "false",
            "area_code": safety_cast.area("燕店镇").code,
            "area_path": safety_cast.area("燕店镇").path,
            "effective_from": dt.date(2026, 1, 1),
            "source_document": "试点方案",
            "source_status": "local",
        },
        acting_user=None,
    )
    make_report(plant.area, enterprise=plant, starts_at=now - HOUR)
    other = make_report(safety_cast.area("南村"), starts_at=now - HOUR)
    scan_permits(now)
    assert [a.object_id for a in open_alerts(UNCOVERED_RULE)] == [str(other.pk)]


def test_the_periodic_job_runs_the_scan(safety_cast, plant, now):
    from jiceng.safety.permits.jobs import scan_permits_job

    make_report(plant.area, enterprise=plant, starts_at=now - HOUR)
    with time_machine.travel(now, tick=False):
        result = scan_permits_job.call_local()
    assert result["uncovered"] == 1
