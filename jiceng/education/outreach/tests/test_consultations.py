"""Consultations: the workday callback deadline, the callback rate, the overdue alert and its
resolution, the daily dispatch and the weekly ranking, the pages and the API with their scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from rest_framework.test import APIClient

from jiceng.core.alerts.models import Alert, AlertState
from jiceng.core.deadlines.calendar import add_workdays, is_workday
from jiceng.core.deadlines.models import LOCAL_TZ
from jiceng.core.deadlines.scanner import scan_deadlines
from jiceng.core.errors import InvalidInput
from jiceng.core.models import AuditEntry
from jiceng.core.policies.services import get_policy
from jiceng.education.outreach import rules, selectors, services
from jiceng.education.outreach.models import Consultation
from jiceng.education.outreach.tests.conftest import TODAY
from jiceng.education.testing import make_school

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10, minute: int = 0):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL_TZ), tick=False)


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL_TZ)


def log(area, user, received_at, **changes):
    data = {
        "area": area,
        "channel": "call",
        "caller_name": "王女士",
        "caller_phone": "13812345678",
        "category": "catchment",
        "question": "孩子该去哪所小学？",
        "answer": "按户籍所在村划片，到燕店镇中心小学报名。",
        "handled_by": "张老师",
        "received_at": received_at,
        **changes,
    }
    with at(received_at.astimezone(LOCAL_TZ).date(), received_at.astimezone(LOCAL_TZ).hour):
        return services.do_create_consultation(data=data, acting_user=user)


def workdays(area, on):
    return get_policy(rules.CALLBACK_WORKDAYS, area_path=area.path, on=on).value


def alerts(consultation):
    return Alert.objects.filter(
        rule=services.OVERDUE_RULE, object_id=str(consultation.pk), content_type__model="consultation"
    )


class TestCallbackDeadline:
    def test_due_the_policy_number_of_workdays_after_the_day_received(self, cast, yandian):
        friday = dt.date(2026, 7, 10)
        c = log(yandian, cast.township_staff, moment(friday, 16))
        n = workdays(yandian, friday)
        assert c.callback_workdays == n
        assert c.callback_due_on == add_workdays(friday, n)
        assert c.callback_due_on.weekday() < 5  # a Friday call is not due over the weekend
        assert c.callback_due_on > friday + dt.timedelta(days=2)
        assert c.due_at == dt.datetime.combine(c.callback_due_on + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ)

    def test_the_national_day_holiday_is_not_counted(self, cast, yandian):
        before = dt.date(2026, 9, 30)
        c = log(yandian, cast.township_staff, moment(before, 15))
        assert c.callback_due_on == add_workdays(before, workdays(yandian, before))
        assert c.callback_due_on > dt.date(2026, 10, 7) and is_workday(c.callback_due_on)

    def test_overdue_only_after_the_due_day_ends(self, cast, yandian):
        c = log(yandian, cast.township_staff, moment(TODAY))
        end = dt.datetime.combine(c.callback_due_on, dt.time(23, 59), tzinfo=LOCAL_TZ)
        assert not c.is_callback_overdue(end)
        assert c.is_callback_overdue(end + dt.timedelta(minutes=1))

    def test_phone_is_validated_and_nothing_written(self, cast, yandian, now):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as exc:
            log(yandian, cast.township_staff, now, caller_phone="12345")
        assert "caller_phone" in exc.value.message_dict
        assert not Consultation.objects.exists()

    def test_area_follows_the_school(self, cast, yandian):
        school = make_school(cast.area("东村"))
        c = log(cast.area("燕店镇"), cast.township_staff, moment(TODAY), school=school)
        assert c.area == school.area


class TestAlert:
    def test_raised_when_overdue_rises_when_escalated_and_closed_by_the_callback(self, cast, yandian):
        c = log(yandian, cast.township_staff, moment(TODAY))
        escalate = get_policy(rules.CALLBACK_ESCALATE_WORKDAYS, area_path=yandian.path, on=TODAY).value
        with at(c.callback_due_on, 22):
            scan_deadlines(models_=[Consultation])
        assert not alerts(c).exists()
        with at(c.callback_due_on + dt.timedelta(days=1), 9):
            scan_deadlines(models_=[Consultation])
            scan_deadlines(models_=[Consultation])  # idempotent
        (alert,) = alerts(c)
        assert alert.severity == "yellow" and alert.state != AlertState.CLOSED
        target = get_policy(rules.CALLBACK_TARGET_PCT, area_path=yandian.path, on=TODAY)
        for text in ("王女士", "138****5678", c.callback_due_on.isoformat(), target.display_value()):
            assert text in alert.explanation
        assert alert.evidence["policy"] == rules.CALLBACK_WORKDAYS
        assert "13812345678" not in alert.explanation
        with at(add_workdays(c.callback_due_on, escalate) + dt.timedelta(days=1), 9):
            scan_deadlines(models_=[Consultation])
        (alert,) = alerts(c)
        assert alert.severity == "orange"
        with at(add_workdays(c.callback_due_on, escalate) + dt.timedelta(days=1), 11):
            done = services.do_record_callback(
                Consultation.objects.get(pk=c.pk), by="李老师", outcome="resolved", acting_user=cast.township_staff
            )
        assert done.deadline_state == "done"
        alert.refresh_from_db()
        assert alert.state == AlertState.CLOSED

    def test_called_back_in_time_raises_nothing(self, cast, yandian):
        c = log(yandian, cast.township_staff, moment(TODAY))
        with at(TODAY, 15):
            services.do_record_callback(c, by="李老师", outcome="resolved", acting_user=cast.township_staff)
        with at(c.callback_due_on + dt.timedelta(days=5)):
            scan_deadlines(models_=[Consultation])
        assert not alerts(c).exists()

    def test_a_second_callback_is_refused_and_writes_nothing(self, cast, yandian):
        c = log(yandian, cast.township_staff, moment(TODAY))
        with at(TODAY, 15):
            c = services.do_record_callback(c, by="李老师", outcome="resolved", acting_user=cast.township_staff)
            entries = AuditEntry.objects.count()
            with pytest.raises(InvalidInput) as exc:
                services.do_record_callback(c, by="赵老师", outcome="explained", acting_user=cast.township_staff)
        assert exc.value.code == "already_called_back"
        assert AuditEntry.objects.count() == entries
        assert Consultation.objects.get(pk=c.pk).callback_by == "李老师"


class TestFigures:
    def test_rate(self):
        assert rules.rate_pct(3, 4) == Decimal("75.0")
        assert rules.rate_pct(2, 3) == Decimal("66.7")
        assert rules.rate_pct(0, 0) is None

    def test_daily_dispatch(self, cast, yandian):
        tickets = [log(yandian, cast.township_staff, moment(TODAY, h)) for h in (9, 10, 11, 14)]
        log(yandian, cast.township_staff, moment(TODAY, 15), answer="")
        with at(TODAY, 17):
            for c in tickets[:3]:
                services.do_record_callback(c, by="李老师", outcome="resolved", acting_user=cast.township_staff)
            figures = selectors.daily_dispatch(cast.county_admin, cast.area("莘县"), TODAY, now=moment(TODAY, 17))
        assert figures["tickets"] == 5
        assert figures["answered"] == 4
        assert figures["called_back"] == 3 and figures["callbacks_done"] == 3
        assert figures["rate"] == rules.rate_pct(3, 5)
        assert figures["target"].key == rules.CALLBACK_TARGET_PCT
        assert figures["meets_target"] is False
        assert figures["overdue"] == 0
        due = selectors.daily_dispatch(
            cast.county_admin, cast.area("莘县"), tickets[0].callback_due_on, now=moment(TODAY)
        )
        assert due["callbacks_due"] == 5 and due["callbacks_due_done"] == 3

    def test_weekly_ranking_order(self, cast, yandian):
        good, fair, poor = (make_school(yandian, name=name) for name in ("甲小学", "乙小学", "丙小学"))
        week = selectors.week_start(TODAY)
        plan = {good: (4, 4), fair: (4, 3), poor: (6, 3)}  # tickets, called back
        for school, (count, done) in plan.items():
            for i in range(count):
                day = week + dt.timedelta(days=i % 5)
                c = log(yandian, cast.township_staff, moment(day), school=school)
                if i < done:
                    with at(day, 18):
                        services.do_record_callback(c, by="李老师", outcome="resolved", acting_user=cast.township_staff)
        log(yandian, cast.township_staff, moment(week - dt.timedelta(days=1)), school=poor)  # last week's
        rows = selectors.weekly_ranking(cast.county_admin, cast.area("莘县"), week)
        assert [r["name"] for r in rows] == ["甲小学", "乙小学", "丙小学"]
        assert [r["rank"] for r in rows] == [1, 2, 3]
        assert rows[2]["tickets"] == 6 and rows[2]["rate"] == rules.rate_pct(3, 6)

    def test_ties_on_rate_rank_by_resolution_then_tickets(self, cast, yandian):
        a, b = make_school(yandian, name="甲校"), make_school(yandian, name="乙校")
        week = selectors.week_start(TODAY)
        for school, outcome in ((a, "explained"), (b, "resolved")):
            c = log(yandian, cast.township_staff, moment(week), school=school)
            with at(TODAY, 18):
                services.do_record_callback(c, by="李老师", outcome=outcome, acting_user=cast.township_staff)
        rows = selectors.weekly_ranking(cast.county_admin, cast.area("莘县"), week)
        assert [r["name"] for r in rows] == ["乙校", "甲校"]


class TestSurfaces:
    def test_api_create_callback_and_figures(self, cast, yandian, now):
        client = APIClient()
        client.force_authenticate(cast.township_staff)
        school = make_school(cast.area("东村"))
        body = {
            "school": school.pk,
            "channel": "visit",
            "caller_name": "刘先生",
            "caller_phone": "0635-8241234",
            "category": "documents",
            "question": "报名要带哪些材料？",
            "answer": "户口簿、房产证明。",
            "handled_by": "张老师",
            "received_at": now.isoformat(),
        }
        response = client.post("/api/v1/education/consultations/", body, format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["callback_due_on"] == add_workdays(TODAY, workdays(yandian, TODAY)).isoformat()
        assert data["area"] == school.area.pk
        bad = client.post("/api/v1/education/consultations/", {**body, "caller_phone": "abc"}, format="json")
        assert bad.status_code == 400 and "caller_phone" in str(bad.json())
        url = f"/api/v1/education/consultations/{data['id']}/callback/"
        done = client.post(url, {"by": "李老师", "outcome": "resolved"}, format="json")
        assert done.status_code == 200 and done.json()["callback_outcome"] == "resolved"
        assert client.post(url, {"by": "李老师", "outcome": "resolved"}, format="json").status_code == 400
        figures = client.get("/api/v1/education/consultation-figures/", {"area": "371522109000"}).json()
        assert figures["dispatch"]["tickets"] == 1 and figures["dispatch"]["called_back"] == 1
        assert figures["target"]["policy"] == rules.CALLBACK_TARGET_PCT
        assert figures["ranking"][0]["school"] == school.pk

    def test_outsider_gets_404_everywhere(self, cast, yandian, now, client):
        c = log(yandian, cast.township_staff, now)
        api = APIClient()
        api.force_authenticate(cast.outsider)
        assert api.get(f"/api/v1/education/consultations/{c.pk}/").status_code == 404
        assert (
            api.post(
                f"/api/v1/education/consultations/{c.pk}/callback/", {"by": "x", "outcome": "resolved"}
            ).status_code
            == 404
        )
        client.force_login(cast.outsider)
        assert client.get(f"/education/outreach/consultations/{c.pk}/").status_code == 404
        assert (
            client.post(
                f"/education/outreach/consultations/{c.pk}/callback/", {"by": "x", "outcome": "resolved"}
            ).status_code
            == 404
        )
        figures = api.get("/api/v1/education/consultation-figures/", {"area": "371522109000"}).json()
        assert figures["area"] != "371522109000" and figures["dispatch"]["tickets"] == 0

    def test_pages(self, cast, yandian, now, client):
        c = log(yandian, cast.township_staff, now - dt.timedelta(days=7))
        client.force_login(cast.township_staff)
        page = client.get("/education/outreach/", {"day": TODAY.isoformat()})
        assert page.status_code == 200
        html = page.content.decode()
        assert "chart-outreach-rate" in html and "138****5678" in html  # the overdue list
        target = get_policy(rules.CALLBACK_TARGET_PCT, area_path=yandian.path, on=TODAY)
        assert target.cite() in html
        detail = client.get(f"/education/outreach/consultations/{c.pk}/")
        assert detail.status_code == 200 and "13812345678" not in detail.content.decode()
        response = client.post(
            f"/education/outreach/consultations/{c.pk}/callback/", {"by": "李老师", "outcome": "resolved"}
        )
        assert response.status_code == 302
        assert Consultation.objects.get(pk=c.pk).callback_done_at is not None
        assert client.get("/education/outreach/consultations/").status_code == 200
