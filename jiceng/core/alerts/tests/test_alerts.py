"""Alerts engine: one open alert per (rule, subject), lifecycle, escalation over holidays, recipients
by scope, channels (email, a real loopback webhook), severity order, API scope."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from jiceng.core.alerts import services
from jiceng.core.alerts.models import Alert, AlertState, Notification, severity_rank
from jiceng.core.alerts.tests.factories import make_alert
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.policies.services import do_create_policy
from jiceng.core.testing import build_cast
from jiceng.core.workflow import TransitionRefused
from jiceng.core.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def cast(db):
    return build_cast(
        extra_roles={
            "township_staff": ["alerts_editor"],
            "outsider": ["alerts_editor"],
            "village_staff": ["alerts_viewer"],
        }
    )


@pytest.fixture
def township(cast):
    return cast.area("燕店镇")


def add_policy(key, value, value_type, unit, area=None):
    do_create_policy(
        data={
            "key": key,
            "name": key,
            "value_type": value_type,
            "value": str(value),
            "unit": unit,
            "area_code": area.code if area else "",
            "area_path": area.path if area else "",
            "effective_from": dt.date(2020, 1, 1),
            "source_document": "Jiceng 默认值（无法规依据）",
            "source_status": "unverified",
        },
        acting_user=None,
    )


class TestOneOpenAlert:
    def test_raise_twice_gives_one_open_alert_and_a_touch(self, township):
        first = make_alert(township, rule="safety.hazard_overdue")
        second = make_alert(township, rule="safety.hazard_overdue")
        assert first is not None and second is None
        alerts = Alert.objects.filter(rule="safety.hazard_overdue")
        assert alerts.count() == 1 and alerts.get().seen_count == 2

    def test_a_rise_in_severity_updates_the_open_alert(self, township):
        make_alert(township, rule="r", severity="yellow")
        assert make_alert(township, rule="r", severity="red", explanation="红：5 > 2") is None
        alert = Alert.objects.get(rule="r")
        assert (alert.severity, alert.explanation) == ("red", "红：5 > 2")

    def test_close_then_raise_creates_a_new_alert(self, township, cast):
        first = make_alert(township, rule="r")
        services.do_close(first, acting_user=cast.county_admin, comment="已整改")
        second = make_alert(township, rule="r")
        assert second is not None and second.pk != first.pk
        assert list(Alert.objects.filter(rule="r").order_by("id").values_list("state", flat=True)) == [
            "closed",
            "open",
        ]

    def test_recurrence_within_the_reopen_window_reopens(self, township, cast):
        add_policy("alerts.reopen_window_hours", 24, "integer", "小时")
        first = make_alert(township, rule="r")
        services.do_close(first, acting_user=cast.county_admin, comment="已整改")
        again = make_alert(township, rule="r", severity="orange")
        assert again.pk == first.pk and again.state == AlertState.OPEN and again.severity == "orange"
        assert Alert.objects.filter(rule="r").count() == 1
        assert list(TransitionLog.objects.filter(object_id=str(first.pk)).values_list("transition", flat=True)) == [
            "close",
            "reopen",
        ]

    def test_bad_severity_writes_nothing(self, township):
        with pytest.raises(InvalidInput):
            make_alert(township, severity="purple")
        assert Alert.objects.count() == 0

    def test_resolve_closes_the_open_alert(self, township):
        make_alert(township, rule="r")
        assert services.resolve_alert(rule="r", subject=township, comment="恢复正常") == 1
        assert services.resolve_alert(rule="r", subject=township) == 0
        assert Alert.objects.get(rule="r").state == AlertState.CLOSED

    def test_resolve_by_a_user_without_alert_rights_closes_and_names_them(self, township, cast):
        # e.g. a viewer completes the reminder behind the alert: the condition cleared all the same
        make_alert(township, rule="r")
        with pytest.raises(PermissionRefused):
            services.do_close(Alert.objects.get(rule="r"), acting_user=cast.village_staff, comment="x")
        assert services.resolve_alert(rule="r", subject=township, acting_user=cast.village_staff) == 1
        alert = Alert.objects.get(rule="r")
        log = TransitionLog.objects.get(object_id=str(alert.pk), transition="close")
        assert (alert.state, log.actor_repr) == ("closed", "village_staff")


class TestLifecycle:
    def test_acknowledge_handle_close_reopen_logged(self, township, cast):
        alert = make_alert(township)
        assert alert.escalate_at is None  # no escalation policy in this database
        alert = services.do_acknowledge(alert, acting_user=cast.township_staff, comment="收到")
        assert alert.acknowledged_at is not None
        alert = services.do_start_handling(alert, acting_user=cast.township_staff)
        with pytest.raises(InvalidInput):
            services.do_close(alert, acting_user=cast.township_staff, comment=" ")
        alert = services.do_close(alert, acting_user=cast.township_staff, comment="已处置")
        assert alert.closed_at is not None
        alert = services.do_reopen(alert, acting_user=cast.township_staff, comment="复发")
        logs = TransitionLog.objects.filter(object_id=str(alert.pk)).order_by("id")
        assert [(t.source_state, t.target_state, t.actor_repr) for t in logs] == [
            ("open", "acknowledged", "township_staff"),
            ("acknowledged", "handling", "township_staff"),
            ("handling", "closed", "township_staff"),
            ("closed", "open", "township_staff"),
        ]

    def test_viewer_and_outsider_may_not_act(self, township, cast):
        alert = make_alert(township)
        with pytest.raises(PermissionRefused):
            services.do_acknowledge(alert, acting_user=cast.village_staff)  # viewer, and below the alert's area
        with pytest.raises(PermissionRefused):
            services.do_acknowledge(alert, acting_user=cast.outsider)
        with pytest.raises(TransitionRefused):
            services.do_reopen(alert, acting_user=cast.township_staff)  # not closed

    def test_comment_and_assign(self, township, cast):
        alert = make_alert(township)
        note = services.do_comment(alert, acting_user=cast.township_staff, text="已电话联系")
        assert note.area_path == township.path and alert.comments.count() == 1
        with pytest.raises(InvalidInput):
            services.do_assign(alert, assignee=cast.outsider, acting_user=cast.township_staff)
        assigned = services.do_assign(alert, assignee=cast.township_staff, acting_user=cast.county_admin, role="安监员")
        assert assigned.assignee == cast.township_staff and assigned.assignee_role == "安监员"


class TestEscalation:
    def test_escalates_after_policy_workdays_over_national_day(self, township, cast):
        add_policy("alerts.escalation_workdays", 2, "duration_workdays", "个工作日")
        raised = dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)  # Wednesday before the 1–7 Oct holiday
        with time_machine.travel(raised, tick=False):
            alert = make_alert(township)
        # Oct 1–7 are holidays: the 1st workday is Thu 8 Oct, the 2nd Fri 9 Oct
        assert alert.escalate_at == dt.datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)
        assert services.escalate_due_alerts(dt.datetime(2026, 10, 9, 9, 59, tzinfo=SHANGHAI)) == 0
        due = dt.datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)
        assert services.escalate_due_alerts(due) == 1
        assert services.escalate_due_alerts(due) == 0  # idempotent: twice → once
        alert.refresh_from_db()
        county = cast.area("莘县")
        assert (alert.escalation_level, alert.area_path, alert.origin_area_path) == (1, county.path, township.path)
        # next step from Fri 9 Oct: Sat 10 Oct is a make-up workday, Sun 11 is not → Mon 12 Oct
        assert alert.escalate_at == dt.datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI)
        log = TransitionLog.objects.get(object_id=str(alert.pk), transition="escalate")
        # the log is scoped like the alert (where it was raised) and names both levels
        assert log.area_path == township.path and county.path in log.comment and township.path in log.comment

    def test_escalated_alert_stays_with_the_area_that_handles_it(self, township, cast, api):
        add_policy("alerts.escalation_workdays", 1, "duration_workdays", "个工作日")
        with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
            alert = make_alert(township)
        services.do_assign(alert, assignee=cast.township_staff, acting_user=cast.county_admin)
        assert services.escalate_due_alerts(dt.datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI)) == 1
        county = cast.area("莘县")
        alert.refresh_from_db()
        assert (alert.area_path, alert.escalation_level) == (county.path, 1)
        # the township (and its assignee) still see it, find it by their area and may acknowledge it
        staff = api(cast.township_staff)
        assert staff.get(f"/api/v1/alerts/{alert.pk}/").json()["area"] == county.code
        assert [r["id"] for r in staff.get(f"/api/v1/alerts/?area={township.code}").json()["results"]] == [alert.pk]
        # told of later events: the county level, and the assignee (not the township's other staff)
        assert {u.username for u in services.list_recipients(alert)} == {"county_admin", "township_staff"}
        acked = staff.post(f"/api/v1/alerts/{alert.pk}/acknowledge/", {"comment": "收到"}, format="json")
        assert acked.status_code == 200 and acked.json()["state"] == "acknowledged"
        # the sibling township still does not
        assert api(cast.outsider).get(f"/api/v1/alerts/{alert.pk}/").status_code == 404

    def test_red_uses_minutes_and_acknowledged_alerts_do_not_escalate(self, township, cast):
        add_policy("alerts.escalation_workdays", 2, "duration_workdays", "个工作日")
        add_policy("alerts.escalation_minutes", 30, "integer", "分钟")
        raised = dt.datetime(2026, 10, 3, 22, 0, tzinfo=SHANGHAI)  # a holiday night: minutes, not workdays
        with time_machine.travel(raised, tick=False):
            red = make_alert(township, rule="red", severity="red")
            acked = make_alert(township, rule="acked", severity="red")
        assert red.escalate_at == raised + dt.timedelta(minutes=30)
        services.do_acknowledge(acked, acting_user=cast.township_staff)
        assert services.escalate_due_alerts(raised + dt.timedelta(minutes=30)) == 1
        assert Alert.objects.get(pk=acked.pk).escalation_level == 0

    def test_escalation_stops_at_the_root(self, cast):
        add_policy("alerts.escalation_workdays", 1, "duration_workdays", "个工作日")
        province = cast.area("山东省")
        with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
            alert = make_alert(province)
        assert services.escalate_due_alerts(dt.datetime(2026, 3, 10, tzinfo=SHANGHAI)) == 0
        alert.refresh_from_db()
        assert alert.escalate_at is None and alert.escalation_level == 0


class TestNotifications:
    def test_recipients_by_scope(self, township, cast, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            alert = make_alert(township)
        notified = set(Notification.objects.filter(alert=alert).values_list("user__username", flat=True))
        # county_admin (admin over the county) and township_staff (editor over the township);
        # not the outsider (sibling township), not village_staff (grant below the alert's area)
        assert notified == {"county_admin", "township_staff"}

    def test_escalation_notifies_the_next_level(self, township, cast, django_capture_on_commit_callbacks):
        add_policy("alerts.escalation_workdays", 1, "duration_workdays", "个工作日")
        with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
            alert = make_alert(township)
        with django_capture_on_commit_callbacks(execute=True):
            services.escalate_due_alerts(dt.datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI))
        escalated = Notification.objects.filter(alert=alert, event="escalated")
        assert set(escalated.values_list("user__username", flat=True)) == {"county_admin"}

    def test_email_channel_and_preferences(self, township, cast, django_capture_on_commit_callbacks):
        user = cast.township_staff
        type(user).objects.filter(pk=user.pk).update(email="staff@example.org")
        services.do_set_preference(cast.county_admin, channel="email", is_enabled=False)
        with django_capture_on_commit_callbacks(execute=True):
            make_alert(township, explanation="隐患整改逾期 3 天（限期 2026-03-01）")
        assert [m.to for m in mail.outbox] == [["staff@example.org"]]
        assert "隐患整改逾期 3 天" in mail.outbox[0].body
        services.do_set_preference(user, channel="email", is_enabled=True, min_severity="red")
        with django_capture_on_commit_callbacks(execute=True):
            make_alert(township, rule="other", severity="orange")
        assert len(mail.outbox) == 1  # below the user's minimum severity

    def test_webhook_really_posts_to_a_loopback_server(
        self, township, cast, settings, django_capture_on_commit_callbacks
    ):
        received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((self.path, dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            settings.ALERTS_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/sms"
            settings.ALERTS_WEBHOOK_SECRET = "s3cret"
            services.do_set_preference(cast.township_staff, channel="webhook", is_enabled=True)
            with django_capture_on_commit_callbacks(execute=True):
                alert = make_alert(township, severity="red", explanation="粉尘浓度 12 mg/m³ 超过 8 mg/m³")
        finally:
            server.shutdown()
            server.server_close()
        assert len(received) == 1  # only the user who opted in
        path, headers, body = received[0]
        payload = json.loads(body)
        assert path == "/sms" and payload["alert"]["id"] == alert.pk and payload["alert"]["severity"] == "red"
        assert payload["recipient"]["username"] == "township_staff"
        expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        assert headers["X-Jiceng-Signature"] == expected
        note = Notification.objects.get(alert=alert, user=cast.township_staff)
        assert note.delivered == {"in_app": "sent", "webhook": "sent"}

    def test_failing_webhook_is_recorded_not_raised(self, township, cast, settings, django_capture_on_commit_callbacks):
        settings.ALERTS_WEBHOOK_URL = ""
        services.do_set_preference(cast.township_staff, channel="webhook", is_enabled=True)
        with django_capture_on_commit_callbacks(execute=True):
            alert = make_alert(township)
        note = Notification.objects.get(alert=alert, user=cast.township_staff)
        assert note.delivered["webhook"].startswith("failed") and note.delivered["in_app"] == "sent"


def test_a_failed_channel_is_retried_alone(township, cast, django_capture_on_commit_callbacks):
    from jiceng.core.alerts import channels as channel_module
    from jiceng.core.alerts.jobs import DeliveryFailed, deliver_notification_job

    class Flaky(channel_module.Channel):
        name = "flaky"
        calls = 0
        down = True

        def default_enabled(self, user):
            return True

        def send(self, notification):
            Flaky.calls += 1
            if Flaky.down:
                raise ConnectionError("gateway down")

    channel_module.register_channel(Flaky())
    try:
        with django_capture_on_commit_callbacks(execute=True):
            alert = make_alert(township)
        note = Notification.objects.get(alert=alert, user=cast.township_staff)
        assert note.delivered["flaky"].startswith("failed") and note.delivered["in_app"] == "sent"
        with pytest.raises(DeliveryFailed):  # still down: the job raises, so the queue retries it
            deliver_notification_job.call_local(note.pk)
        Flaky.down, calls_before = False, Flaky.calls
        assert deliver_notification_job.call_local(note.pk)["flaky"] == "sent"  # the retry that works
        note.refresh_from_db()
        assert note.delivered == {"in_app": "sent", "flaky": "sent"} and Flaky.calls == calls_before + 1
        assert deliver_notification_job.call_local(note.pk) == note.delivered  # nothing sent twice
        assert Flaky.calls == calls_before + 1
    finally:
        channel_module._channels.pop("flaky")


def test_severity_ordering(township, cast, api):
    assert [severity_rank(s) for s in ("blue", "yellow", "orange", "red")] == [1, 2, 3, 4]
    for rule, severity in [("a", "yellow"), ("b", "red"), ("c", "blue"), ("d", "orange")]:
        make_alert(township, rule=rule, severity=severity)
    response = api(cast.township_staff).get("/api/v1/alerts/")
    assert [r["severity"] for r in response.json()["results"]] == ["red", "orange", "yellow", "blue"]


def test_api_fields_filters_actions_and_scope(township, cast, api):
    alert = make_alert(township, rule="safety.hazard_overdue", severity="orange")
    make_alert(township, rule="food.license_expiring", severity="blue")
    staff = api(cast.township_staff)
    data = staff.get(f"/api/v1/alerts/{alert.pk}/").json()
    assert data["subject"] == {"type": "directory.area", "id": str(township.pk), "repr": str(township)}
    assert data["area"] == township.code and data["state"] == "open" and data["evidence"] == {"value": 3, "limit": 2}
    listed = staff.get("/api/v1/alerts/?severity=orange&state=open").json()["results"]
    assert [r["id"] for r in listed] == [alert.pk]
    assert [r["rule"] for r in staff.get("/api/v1/alerts/?rule=food.").json()["results"]] == ["food.license_expiring"]

    outsider = api(cast.outsider)
    assert outsider.get(f"/api/v1/alerts/{alert.pk}/").status_code == 404
    assert outsider.post(f"/api/v1/alerts/{alert.pk}/acknowledge/").status_code == 404
    assert outsider.get("/api/v1/alerts/").json()["results"] == []

    response = staff.post(f"/api/v1/alerts/{alert.pk}/acknowledge/", {"comment": "收到"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "acknowledged"
    refused = staff.post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert refused.status_code == 400 and refused.json()["code"] == "transition_refused"
    closed = staff.post(f"/api/v1/alerts/{alert.pk}/close/", {"comment": ""}, format="json")
    assert closed.status_code == 400 and Alert.objects.get(pk=alert.pk).state == "acknowledged"
    assert staff.post(f"/api/v1/alerts/{alert.pk}/comment/", {"text": "现场核查"}, format="json").status_code == 201


def test_pages(township, cast, client):
    alert = make_alert(township, explanation="隐患整改逾期 3 天")
    client.force_login(cast.township_staff)
    assert "隐患整改逾期" in client.get("/alerts/alerts/?severity=yellow").content.decode()
    detail = client.get(f"/alerts/alerts/{alert.pk}/").content.decode()
    assert "隐患整改逾期 3 天" in detail and f"/alerts/alerts/{alert.pk}/acknowledge/" in detail
    response = client.post(f"/alerts/alerts/{alert.pk}/acknowledge/", {"comment": "收到"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Location"] == f"/alerts/alerts/{alert.pk}/"
    assert Alert.objects.get(pk=alert.pk).state == "acknowledged"
    assert client.get("/alerts/notifications/").status_code == 200
    client.force_login(cast.outsider)
    assert client.get(f"/alerts/alerts/{alert.pk}/").status_code == 404
    assert client.post(f"/alerts/alerts/{alert.pk}/close/", {"comment": "x"}).status_code == 404


def test_database_refuses_a_second_open_alert(township):
    from django.db import IntegrityError, transaction

    alert = make_alert(township, rule="r")
    duplicate = Alert(
        rule="r",
        content_type=alert.content_type,
        object_id=alert.object_id,
        subject_repr="dup",
        area_path=township.path,
        severity="blue",
        explanation="dup",
        raised_at=alert.raised_at,
        last_seen_at=alert.raised_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db(transaction=True)
def test_concurrent_raises_give_one_alert():
    """Eight threads raise the same (rule, subject) at once: one alert, the others touch it (PostgreSQL)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (JICENG_TEST_DATABASE_URL) for real concurrent transactions")
    township = build_cast().area("燕店镇")

    def raise_once(_):
        try:
            return make_alert(township, rule="concurrent") is not None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(raise_once, range(8)))
    assert results.count(True) == 1
    alert = Alert.objects.get(rule="concurrent")
    assert alert.seen_count == 8


def test_dashboard_widget_counts_open_alerts_by_severity(township, cast, client):
    for rule, severity in [("a", "red"), ("b", "red"), ("c", "yellow"), ("d", "blue")]:
        make_alert(township, rule=rule, severity=severity)
    services.resolve_alert(rule="d", subject=township)
    from jiceng.core.alerts.dashboard import count_open_by_severity

    assert count_open_by_severity(cast.township_staff) == {"blue": 0, "yellow": 1, "orange": 0, "red": 2}
    assert count_open_by_severity(cast.outsider) == {"blue": 0, "yellow": 0, "orange": 0, "red": 0}
    client.force_login(cast.township_staff)
    page = client.get("/").content.decode()
    assert 'id="widget-alerts.open"' in page


def test_notifications_api_is_per_user(township, cast, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_alert(township, rule="a")
        make_alert(township, rule="b")
    staff = api(cast.township_staff)
    rows = staff.get("/api/v1/notifications/?unread=1").json()["results"]
    assert sorted(r["alert"]["rule"] for r in rows) == ["a", "b"]
    assert api(cast.outsider).get("/api/v1/notifications/").json()["results"] == []
    own = Notification.objects.get(user=cast.township_staff, alert=first).pk
    other = Notification.objects.get(user=cast.county_admin, alert=first).pk
    marked = staff.post("/api/v1/notifications/mark-read/", {"ids": [own, other]}, format="json").json()
    assert marked == {"marked": 1}  # someone else's notification is untouched
    assert [r["alert"]["rule"] for r in staff.get("/api/v1/notifications/?unread=1").json()["results"]] == ["b"]
    assert Notification.objects.get(pk=other).read_at is None
    assert staff.post("/api/v1/notifications/mark-read/", {"ids": "x"}, format="json").status_code == 400
