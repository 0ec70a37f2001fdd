"""Findings: the workday deadline across National Day, the case FSM with refusals that explain
themselves and write nothing, and the overdue alert raised by the deadline scan and resolved."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from jiceng.core.alerts.models import Alert
from jiceng.core.audit import history
from jiceng.core.deadlines.models import LOCAL_TZ
from jiceng.core.deadlines.scanner import scan_deadlines
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.workflow import GuardFailed
from jiceng.finance.results import rules, services
from jiceng.finance.results.models import Finding, FindingResponse
from jiceng.finance.results.tests.helpers import issue, policy_value
from jiceng.finance.testing import add_adjustment

pytestmark = pytest.mark.django_db

# The State Council's 2026 schedule around National Day (国办发明电〔2025〕号 as loaded in the calendar):
# 1–7 October off, Saturday 10 October worked (调休).
NATIONAL_DAY_OFF = {dt.date(2026, 10, d) for d in range(1, 8)}
MAKE_UP = {dt.date(2026, 10, 10)}


def nth_workday_after(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        worked = day in MAKE_UP or (day.weekday() < 5 and day not in NATIONAL_DAY_OFF)
        n -= worked
    return day


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL_TZ), tick=False)


def alerts(finding):
    return Alert.objects.filter(rule=services.OVERDUE_RULE, object_id=str(finding.pk), content_type__model="finding")


def test_the_deadline_counts_chinese_workdays_across_national_day(fr):
    issued = dt.date(2026, 9, 30)
    finding = issue(fr.project, user=fr.bureau, on=issued)
    workdays = policy_value(rules.RESPONSE_WORKDAYS, finding, issued)
    assert finding.due_workdays == workdays
    assert finding.due_on == nth_workday_after(issued, workdays)
    naive = issued
    for _ in range(workdays):  # Monday–Friday only, as if there were no holiday
        naive += dt.timedelta(days=1)
        while naive.weekday() >= 5:
            naive += dt.timedelta(days=1)
    assert finding.due_on > naive
    assert finding.department == fr.project.unit and finding.area == fr.project.area
    assert not finding.deadline_provisional


def test_numbers_of_an_execution_lag_finding_come_from_the_monitoring_figures(fr):
    from jiceng.finance import selectors as finance

    finding = issue(fr.project, user=fr.bureau, on=dt.date(2026, 7, 31))
    figures = finance.monitoring(fr.project, dt.date(2026, 7, 31))
    assert finding.numbers["time_progress"] == str(figures["time_progress"])
    assert finding.numbers["current_budget"] == str(figures["current_budget"])


def test_respond_close_and_reject_follow_the_case(fr):
    finding = issue(fr.project, user=fr.bureau, on=dt.date(2026, 11, 2), measures=["adjust_targets"])
    services.do_respond(finding, text="已调整绩效目标", on=dt.date(2026, 11, 5), acting_user=fr.staff)
    assert finding.status == "responded" and finding.responded_on == dt.date(2026, 11, 5)
    services.do_reject(finding, reason="目标调整不充分", on=dt.date(2026, 11, 6), acting_user=fr.bureau)
    assert (finding.status, finding.round) == ("issued", 2)
    first = FindingResponse.objects.get(finding=finding, round=1)
    assert first.rejected_on == dt.date(2026, 11, 6) and first.rejection_reason == "目标调整不充分"
    services.do_respond(finding, text="已重新调整", on=dt.date(2026, 11, 9), acting_user=fr.staff)
    services.do_close(finding, note="同意办结", on=dt.date(2026, 11, 10), acting_user=fr.bureau)
    finding.refresh_from_db()
    assert (finding.status, finding.closed_on, finding.deadline_state) == ("closed", dt.date(2026, 11, 10), "done")
    assert FindingResponse.objects.filter(finding=finding).count() == 2


def _snapshot(finding):
    row = Finding._base_manager.get(pk=finding.pk)
    return (row.status, row.round, row.responded_on, row.closed_on, FindingResponse.objects.count(), len(history(row)))


def test_refusals_explain_themselves_and_write_nothing(fr):
    finding = issue(fr.project, user=fr.bureau, on=dt.date(2026, 11, 2), measures=["reduce_budget"])
    before = _snapshot(finding)
    with pytest.raises(GuardFailed) as closing:
        services.do_close(finding, on=dt.date(2026, 11, 3), acting_user=fr.bureau)
    assert finding.due_on.isoformat() in closing.value.reasons[0].message
    with pytest.raises(GuardFailed):
        services.do_reject(finding, reason="x", on=dt.date(2026, 11, 3), acting_user=fr.bureau)
    with pytest.raises(GuardFailed):
        services.do_respond(finding, text="已整改", on=dt.date(2026, 10, 30), acting_user=fr.staff)  # before issue
    with pytest.raises(InvalidInput):
        services.do_respond(finding, text="  ", on=dt.date(2026, 11, 3), acting_user=fr.staff)
    assert _snapshot(finding) == before

    services.do_respond(finding, text="已申请调减", on=dt.date(2026, 11, 4), acting_user=fr.staff)
    before = _snapshot(finding)
    with pytest.raises(GuardFailed) as refused:
        services.do_close(finding, on=dt.date(2026, 11, 5), acting_user=fr.bureau)
    (reason,) = refused.value.reasons
    rule = rules.policy(rules.REDUCTION_BEFORE_CLOSURE, finding, dt.date(2026, 11, 5))
    assert reason.policy_key == rules.REDUCTION_BEFORE_CLOSURE and rule.cite() in reason.message
    assert fr.project.name in reason.message
    with pytest.raises(GuardFailed):
        services.do_respond(finding, text="再次反馈", on=dt.date(2026, 11, 5), acting_user=fr.staff)
    with pytest.raises(PermissionRefused):  # the viewer may not close
        services.do_close(finding, on=dt.date(2026, 11, 5), acting_user=fr.township_viewer)
    assert _snapshot(finding) == before

    add_adjustment(fr.project, dt.date(2026, 11, 5), "-200000")
    services.do_close(finding, on=dt.date(2026, 11, 5), acting_user=fr.bureau)
    assert Finding.objects.get(pk=finding.pk).status == "closed"


def scan(day: dt.date):
    with at(day):
        return scan_deadlines(models_=[Finding])


def test_the_overdue_alert_is_raised_by_the_scan_and_resolved_by_the_response(fr):
    issued = dt.date(2026, 11, 2)
    finding = issue(fr.project, user=fr.bureau, on=issued)
    due = finding.due_on
    scan(due)
    assert not alerts(finding).filter(severity="yellow").exists()  # the due day itself is not overdue
    scan(due + dt.timedelta(days=1))
    (alert,) = alerts(finding)
    assert alert.severity == "yellow" and alert.state == "open"
    workdays = policy_value(rules.RESPONSE_WORKDAYS, finding, issued)
    source = rules.policy(rules.RESPONSE_WORKDAYS, finding, issued).cite()
    for text in (fr.project.name, finding.department.name, due.isoformat(), str(workdays), source):
        assert text in alert.explanation
    assert alert.evidence["policy"] == rules.RESPONSE_WORKDAYS and alert.evidence["due_on"] == due.isoformat()
    scan(due + dt.timedelta(days=2))
    assert alerts(finding).count() == 1  # a second pass changes nothing

    late = due + dt.timedelta(days=2)
    with at(late):
        services.do_respond(finding, text="已整改到位", on=late, acting_user=fr.staff)
    assert alerts(finding).get().state == "closed"

    with at(late):  # the response is rejected after the deadline: the alert is raised again at once
        services.do_reject(finding, reason="材料不全", on=late, acting_user=fr.bureau)
    assert alerts(finding).exclude(state="closed").count() == 1
