"""Broadcasts go out through the alert channels to the users of their Area only; the window rule on
both sides of its edge; the scan sends and expires each broadcast once; withdrawal closes the alert."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail

from jiceng.core.alerts.models import Alert, Notification
from jiceng.core.alerts.services import do_set_preference
from jiceng.core.errors import InvalidInput
from jiceng.core.policies.services import get_policy
from jiceng.core.workflow import GuardFailed
from jiceng.safety.training import rules, services
from jiceng.safety.training.models import Broadcast, BroadcastState

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def send(user, area, **data):
    base = {"area": area, "title": "汛期安全提示", "message": "强降雨期间暂停有限空间作业", "severity": "orange"}
    base.setdefault("ends_at", NOW + dt.timedelta(days=3))
    return services.do_create_broadcast(data={**base, **data}, acting_user=user)


def notified(alert):
    return set(Notification.objects.filter(alert=alert).values_list("user__username", flat=True))


def the_alert(broadcast):
    return Alert.objects.get(rule=rules.BROADCAST_RULE, object_id=str(broadcast.pk))


class TestSending:
    def test_a_live_broadcast_reaches_the_users_of_its_area_and_nobody_outside(
        self, safety_cast, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            broadcast = send(safety_cast.township_staff, safety_cast.area("燕店镇"))
        assert broadcast.state == BroadcastState.LIVE and broadcast.published_at == NOW
        alert = the_alert(broadcast)
        assert alert.area_path == safety_cast.area("燕店镇").path and alert.severity == "orange"
        assert "强降雨期间暂停有限空间作业" in alert.explanation and "燕店镇" in alert.explanation
        # informational: acknowledged by the system, so it never climbs the Area tree
        assert alert.state == "acknowledged" and alert.escalate_at is None
        reached = notified(alert)
        assert {"township_staff", "township_viewer", "county_admin"} <= reached
        assert "outsider" not in reached  # the sibling township
        assert "village_staff" not in reached  # a grant below the broadcast's Area

    def test_a_village_broadcast_reaches_the_village(self, safety_cast, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            broadcast = send(safety_cast.village_staff, safety_cast.area("东村"))
        reached = notified(the_alert(broadcast))
        assert {"village_staff", "township_staff", "county_admin"} <= reached and "outsider" not in reached

    def test_email_follows_each_users_preference(self, safety_cast, django_capture_on_commit_callbacks):
        staff = safety_cast.township_staff
        type(staff).objects.filter(pk=staff.pk).update(email="staff@example.org")
        viewer = safety_cast.township_viewer
        type(viewer).objects.filter(pk=viewer.pk).update(email="viewer@example.org")
        do_set_preference(viewer, channel="email", is_enabled=True, min_severity="red")
        with django_capture_on_commit_callbacks(execute=True):
            send(staff, safety_cast.area("燕店镇"))
        assert [m.to for m in mail.outbox] == [["staff@example.org"]]  # orange is below the viewer's red
        assert "强降雨期间暂停有限空间作业" in mail.outbox[0].body

    def test_the_ads_text_is_sent_when_no_message_is_given(self, safety_cast):
        ad = services.do_create_ad(
            data={"title": "安全生产公益广告", "text": "安全生产 是民生大事"}, acting_user=safety_cast.township_staff
        )
        broadcast = send(safety_cast.township_staff, safety_cast.area("燕店镇"), message="", ad=ad)
        assert broadcast.message == ad.text and "安全生产 是民生大事" in the_alert(broadcast).explanation


class TestWindow:
    def test_the_longest_window_is_allowed_one_minute_more_is_refused(self, safety_cast):
        area = safety_cast.area("燕店镇")
        days = get_policy(rules.BROADCAST_MAX_DAYS, area_path=area.path).value
        ok = send(safety_cast.township_staff, area, ends_at=NOW + dt.timedelta(days=days))
        assert ok.state == BroadcastState.LIVE
        before = Broadcast.objects.count()
        with pytest.raises(GuardFailed) as refused:
            send(safety_cast.township_staff, area, ends_at=NOW + dt.timedelta(days=days, minutes=1))
        reason = refused.value.reasons[0]
        assert reason.policy_key == rules.BROADCAST_MAX_DAYS and str(days) in reason.message and reason.source
        assert Broadcast.objects.count() == before  # nothing written

    def test_a_window_must_end_after_it_starts_and_in_the_future(self, safety_cast):
        area = safety_cast.area("燕店镇")
        with pytest.raises(InvalidInput):
            send(
                safety_cast.township_staff,
                area,
                starts_at=NOW + dt.timedelta(hours=2),
                ends_at=NOW + dt.timedelta(hours=1),
            )
        with pytest.raises(InvalidInput):
            send(
                safety_cast.township_staff,
                area,
                starts_at=NOW - dt.timedelta(days=2),
                ends_at=NOW - dt.timedelta(days=1),
            )


class TestScan:
    def test_a_scheduled_broadcast_goes_out_once_when_its_window_begins(
        self, safety_cast, frozen, django_capture_on_commit_callbacks
    ):
        start = NOW + dt.timedelta(hours=1)
        broadcast = send(safety_cast.township_staff, safety_cast.area("燕店镇"), starts_at=start)
        assert broadcast.state == BroadcastState.SCHEDULED
        assert not Alert.objects.filter(rule=rules.BROADCAST_RULE).exists()
        assert services.scan_broadcasts(start - dt.timedelta(minutes=1)) == {"published": 0, "expired": 0}
        frozen.move_to(start)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.scan_broadcasts(start) == {"published": 1, "expired": 0}
        assert services.scan_broadcasts(start) == {"published": 0, "expired": 0}
        alert = the_alert(broadcast)
        assert "township_staff" in notified(alert) and Notification.objects.filter(alert=alert).count() == len(
            notified(alert)
        )

    def test_the_end_of_the_window_expires_it_and_closes_its_alert(self, safety_cast, frozen):
        ends = NOW + dt.timedelta(days=1)
        broadcast = send(safety_cast.township_staff, safety_cast.area("燕店镇"), ends_at=ends)
        assert services.scan_broadcasts(ends - dt.timedelta(seconds=1))["expired"] == 0
        frozen.move_to(ends)
        assert services.scan_broadcasts(ends) == {"published": 0, "expired": 1}
        assert services.scan_broadcasts(ends)["expired"] == 0
        broadcast.refresh_from_db()
        assert broadcast.state == BroadcastState.EXPIRED and the_alert(broadcast).state == "closed"


class TestWithdraw:
    def test_withdrawing_closes_the_alert_and_cannot_be_repeated(self, safety_cast):
        broadcast = send(safety_cast.township_staff, safety_cast.area("燕店镇"))
        moved = services.do_withdraw_broadcast(broadcast, acting_user=safety_cast.township_staff, comment="雨停")
        assert moved.state == BroadcastState.WITHDRAWN and the_alert(broadcast).state == "closed"
        with pytest.raises(GuardFailed):
            services.do_withdraw_broadcast(moved, acting_user=safety_cast.township_staff)

    def test_a_sent_broadcast_is_not_edited_or_deleted(self, safety_cast):
        broadcast = send(safety_cast.township_staff, safety_cast.area("燕店镇"))
        with pytest.raises(InvalidInput):
            services.do_update_broadcast(broadcast, data={"message": "改"}, acting_user=safety_cast.township_staff)
        with pytest.raises(InvalidInput):
            services.do_delete_broadcast(broadcast, acting_user=safety_cast.township_staff)
        scheduled = send(safety_cast.township_staff, safety_cast.area("燕店镇"), starts_at=NOW + dt.timedelta(hours=3))
        changed = services.do_update_broadcast(
            scheduled, data={"message": "改"}, acting_user=safety_cast.township_staff
        )
        assert changed.message == "改" and changed.state == BroadcastState.SCHEDULED
        services.do_delete_broadcast(changed, acting_user=safety_cast.township_staff)
        assert not Broadcast.objects.filter(pk=scheduled.pk).exists()

    def test_the_api_withdraws_and_refuses_with_409(self, safety_cast, api):
        broadcast = send(safety_cast.township_staff, safety_cast.area("燕店镇"))
        url = f"/api/v1/safety/broadcasts/{broadcast.pk}/withdraw/"
        assert api(safety_cast.outsider).post(url, {}, format="json").status_code == 404
        assert api(safety_cast.township_viewer).post(url, {}, format="json").status_code in (403, 404)
        done = api(safety_cast.township_staff).post(url, {"comment": "解除"}, format="json")
        assert done.status_code == 200 and done.json()["state"] == "withdrawn"
        again = api(safety_cast.township_staff).post(url, {}, format="json")
        assert again.status_code == 409 and again.json()["code"] == "guard_failed"

    def test_the_api_refuses_a_long_window_with_the_rule(self, safety_cast, api):
        area = safety_cast.area("燕店镇")
        days = get_policy(rules.BROADCAST_MAX_DAYS, area_path=area.path).value
        body = {
            "area": area.pk,
            "title": "提示",
            "message": "注意防暑",
            "severity": "blue",
            "ends_at": (NOW + dt.timedelta(days=days + 1)).isoformat(),
        }
        refused = api(safety_cast.township_staff).post("/api/v1/safety/broadcasts/", body, format="json")
        assert refused.status_code == 409
        assert refused.json()["reasons"][0]["policy"] == rules.BROADCAST_MAX_DAYS
        body["ends_at"] = (NOW + dt.timedelta(days=days)).isoformat()
        made = api(safety_cast.township_staff).post("/api/v1/safety/broadcasts/", body, format="json")
        assert made.status_code == 201 and made.json()["state"] == "live"
