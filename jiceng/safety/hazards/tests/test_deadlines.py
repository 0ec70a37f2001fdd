"""The deadline scan: warned → overdue → escalated raise one alert that rises in severity; closing
the hazard resolves it; a rectification submitted in time raises nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from jiceng.core.alerts.models import Alert
from jiceng.core.deadlines.calendar import add_workdays
from jiceng.core.deadlines.models import LOCAL_TZ
from jiceng.core.deadlines.scanner import scan_deadlines
from jiceng.core.policies.services import get_policy
from jiceng.safety.hazards import rules, services
from jiceng.safety.hazards.models import Hazard
from jiceng.safety.hazards.tests.helpers import TODAY, accepted, major_with_plan, report, submitted

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL_TZ), tick=False)


def alerts(hazard):
    return Alert.objects.filter(rule=services.OVERDUE_RULE, object_id=str(hazard.pk), content_type__model="hazard")


def scan(day: dt.date):
    with at(day):
        return scan_deadlines(models_=[Hazard])


def policy_value(key, hazard):
    return get_policy(key, area_path=hazard.area.path, on=TODAY).value


def test_an_ordinary_hazard_warns_then_goes_overdue_then_escalates_in_one_alert(hz):
    hazard = accepted(hz.company, user=hz.staff, on=TODAY)
    warn = policy_value(rules.WARN_WORKDAYS, hazard)
    escalate = policy_value(rules.ESCALATE_WORKDAYS, hazard)
    due = hazard.due_on

    scan(add_workdays(due, -warn) - dt.timedelta(days=1))
    assert not alerts(hazard).exists()  # before the warning day: nothing

    scan(add_workdays(due, -warn))
    (alert,) = alerts(hazard)
    assert alert.severity == "blue" and alert.state == "open"
    for text in (hazard.description, hz.company.name, due.isoformat()):
        assert text in alert.explanation
    assert alert.evidence["policy"] == rules.GENERAL_WORKDAYS
    assert get_policy(rules.GENERAL_WORKDAYS, area_path=hazard.area.path, on=TODAY).cite() in alert.explanation

    scan(due)  # the deadline day itself is not overdue yet
    assert Hazard.objects.get(pk=hazard.pk).deadline_state == "warned"

    scan(due + dt.timedelta(days=1))
    (alert,) = alerts(hazard)
    assert (alert.severity, Hazard.objects.get(pk=hazard.pk).deadline_state) == ("yellow", "overdue")

    scan(add_workdays(due, escalate))  # escalation is at the end of that workday
    assert alerts(hazard).get().severity == "yellow"
    scan(add_workdays(due, escalate) + dt.timedelta(days=1))
    (alert,) = alerts(hazard)
    assert (alert.severity, Hazard.objects.get(pk=hazard.pk).deadline_state) == ("orange", "escalated")
    assert get_policy(rules.ESCALATE_WORKDAYS, area_path=hazard.area.path, on=TODAY).cite() in alert.explanation

    scan(add_workdays(due, escalate) + dt.timedelta(days=3))  # a second pass changes nothing
    assert alerts(hazard).count() == 1

    later = add_workdays(due, escalate) + dt.timedelta(days=4)
    with at(later):
        services.do_record_evidence(hazard, description="已整改", acting_user=hz.staff)
        services.do_transition(hazard, to="submitted", on=later, acting_user=hz.staff)
        services.do_verify(hazard, passed=True, on=later, acting_user=hz.staff)
    (alert,) = alerts(hazard)
    assert alert.state == "closed"
    assert Hazard.objects.get(pk=hazard.pk).deadline_state == "done"


def test_a_major_hazard_goes_orange_then_red(hz):
    hazard = major_with_plan(hz.company, user=hz.staff, found_on=TODAY, deadline=TODAY + dt.timedelta(days=20))
    hazard = services.do_transition(hazard, to="rectifying", on=TODAY, acting_user=hz.staff)
    escalate = policy_value(rules.ESCALATE_WORKDAYS, hazard)
    scan(hazard.due_on + dt.timedelta(days=1))
    assert alerts(hazard).get().severity == "orange"
    scan(add_workdays(hazard.due_on, escalate) + dt.timedelta(days=1))
    alert = alerts(hazard).get()
    assert alert.severity == "red"
    assert alert.evidence["policy"] == rules.MAJOR_MAX_MONTHS


def test_a_rectification_submitted_in_time_raises_nothing_while_it_awaits_verification(hz):
    hazard = submitted(hz.company, user=hz.staff, on=TODAY)
    scan(hazard.due_on + dt.timedelta(days=2))
    assert not alerts(hazard).exists()
    assert not Hazard.objects.get(pk=hazard.pk).is_overdue(hazard.due_on + dt.timedelta(days=2))


def test_a_failed_verification_after_the_deadline_raises_the_overdue_alert_at_once(hz):
    hazard = submitted(hz.company, user=hz.staff, on=TODAY)
    late = hazard.due_on + dt.timedelta(days=2)
    scan(late)
    with at(late):
        services.do_verify(hazard, passed=False, notes="未整改到位", on=late, acting_user=hz.staff)
    assert alerts(hazard).get().severity == "yellow"


def test_a_major_hazard_left_without_its_plan_is_alerted(hz):
    hazard = report(hz.company, user=hz.staff, severity="major", found_on=TODAY)
    days = policy_value(rules.LISTING_WORKDAYS, hazard)
    assert services.scan_unlisted_major_hazards(add_workdays(TODAY, days)) == 0
    assert services.scan_unlisted_major_hazards(add_workdays(TODAY, days + 1)) == 1
    assert services.scan_unlisted_major_hazards(add_workdays(TODAY, days + 2)) == 0  # one open alert
    alert = Alert.objects.get(rule=services.UNLISTED_RULE)
    assert len(alert.evidence["missing"]) == 6
    services.do_save_plan(
        hazard,
        data={
            "responsible_person": "王",
            "measures": "改造",
            "funds_yuan": 1,
            "deadline": TODAY + dt.timedelta(days=30),
            "contingency_plan": "预案",
            "supervising_unit": "县局",
        },
        acting_user=hz.staff,
    )
    services.do_transition(hazard, to="rectifying", on=TODAY, acting_user=hz.staff)
    alert.refresh_from_db()
    assert alert.state == "closed"


def test_deleting_a_reported_major_hazard_resolves_its_alert(hz):
    hazard = report(hz.company, user=hz.staff, severity="major", found_on=TODAY)
    days = policy_value(rules.LISTING_WORKDAYS, hazard)
    services.scan_unlisted_major_hazards(add_workdays(TODAY, days + 1))
    alert = Alert.objects.get(rule=services.UNLISTED_RULE)
    services.do_delete_hazard(hazard, acting_user=hz.staff)
    alert.refresh_from_db()
    assert alert.state == "closed"
