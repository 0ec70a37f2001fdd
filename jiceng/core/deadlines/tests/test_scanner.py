"""The deadline scanner: exactly-once moves, compare-and-set, hooks only for moved rows, provisional recompute."""

from __future__ import annotations

import datetime as dt

import pytest

from jiceng.core.deadlines import scanner, services
from jiceng.core.deadlines.models import DeadlineState, HolidaySchedule, Reminder, end_of_day, local_midnight
from jiceng.core.deadlines.tests.factories import make_reminder

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def alerts(monkeypatch):
    """Record the alerts the engine raises (the alerts engine is a sibling; its contract is raise_alert)."""
    raised: list[dict] = []
    open_pairs: set[tuple[str, int]] = set()

    def fake_raise(**kwargs):
        pair = (kwargs["rule"], kwargs["subject"].pk)
        if pair in open_pairs:
            return None
        open_pairs.add(pair)
        raised.append(kwargs)
        return kwargs

    monkeypatch.setattr(services, "raise_alert", fake_raise)
    return raised


@pytest.fixture
def township(cast):
    return cast.area("燕店镇")


def test_deadline_columns_from_the_calendar(township):
    reminder = make_reminder(township, start_on=D(2026, 9, 30), workdays=5, warn_workdays=1, escalate_workdays=2)
    assert reminder.due_on == D(2026, 10, 13)
    assert reminder.due_at == end_of_day(D(2026, 10, 13))  # overdue from 2026-10-14 00:00 Asia/Shanghai
    assert reminder.due_at.isoformat() == "2026-10-14T00:00:00+08:00"
    assert reminder.warn_at == local_midnight(D(2026, 10, 12))  # one workday before
    assert reminder.escalate_at == end_of_day(D(2026, 10, 15))  # two workdays after
    assert not reminder.deadline_provisional


def test_scan_twice_moves_once_and_alerts_once(township, alerts):
    reminder = make_reminder(township, start_on=D(2026, 9, 30), workdays=5)
    untouched = make_reminder(township, start_on=D(2026, 10, 12), workdays=5)  # due 10-19
    now = local_midnight(D(2026, 10, 14)) + dt.timedelta(hours=9)
    first = scanner.scan_deadlines(now)
    assert first["deadlines.reminder"] == {"escalated": 0, "overdue": 1, "warned": 0}
    second = scanner.scan_deadlines(now)
    assert second["deadlines.reminder"] == {"escalated": 0, "overdue": 0, "warned": 0}
    reminder.refresh_from_db()
    untouched.refresh_from_db()
    assert reminder.deadline_state == DeadlineState.OVERDUE and untouched.deadline_state == DeadlineState.PENDING
    assert [(a["rule"], a["subject"].pk, a["severity"]) for a in alerts] == [
        ("deadlines.reminder_overdue", reminder.pk, "yellow")
    ]
    assert "2026-10-13" in alerts[0]["explanation"] and alerts[0]["area_path"] == township.path


def test_states_advance_and_jump(township, alerts):
    reminder = make_reminder(township, start_on=D(2026, 9, 30), workdays=5)
    late = make_reminder(township, start_on=D(2026, 9, 30), workdays=5)
    scanner.scan_deadlines(local_midnight(D(2026, 10, 12)) + dt.timedelta(hours=1), models_=[Reminder])
    assert Reminder.objects.get(pk=reminder.pk).deadline_state == DeadlineState.WARNED
    # Far past escalation: the remaining pending row jumps straight to escalated in one pass.
    Reminder.objects.filter(pk=late.pk).update(deadline_state=DeadlineState.PENDING)
    counts = scanner.scan_deadlines(end_of_day(D(2026, 10, 16)))["deadlines.reminder"]
    assert counts == {"escalated": 2, "overdue": 0, "warned": 0}
    assert set(Reminder.objects.values_list("deadline_state", flat=True)) == {DeadlineState.ESCALATED}


def test_compare_and_set_with_two_scanners(township):
    """Two scanners racing issue the same UPDATE … WHERE state IN (old): only the first gets the rows."""
    rows = [make_reminder(township, start_on=D(2026, 9, 30), workdays=5) for _ in range(3)]
    now = end_of_day(D(2026, 10, 13))
    sources = (DeadlineState.PENDING, DeadlineState.WARNED)
    first = scanner.compare_and_set(Reminder, DeadlineState.OVERDUE, "due_at", sources, now)
    second = scanner.compare_and_set(Reminder, DeadlineState.OVERDUE, "due_at", sources, now)
    assert sorted(first) == sorted(r.pk for r in rows) and second == []


def test_done_rows_never_move(township, cast, alerts):
    reminder = make_reminder(township, start_on=D(2026, 9, 30), workdays=5)
    services.do_complete_reminder(reminder, acting_user=cast.county_admin)
    assert scanner.scan_deadlines(end_of_day(D(2027, 1, 1)))["deadlines.reminder"]["escalated"] == 0
    assert Reminder.objects.get(pk=reminder.pk).deadline_state == DeadlineState.DONE and alerts == []


def test_failing_hook_rolls_the_move_back(township, monkeypatch):
    reminder = make_reminder(township, start_on=D(2026, 9, 30), workdays=5)

    def boom(**kwargs):
        raise RuntimeError("alerts down")

    monkeypatch.setattr(services, "raise_alert", boom)
    with pytest.raises(RuntimeError):
        scanner.scan_deadlines(end_of_day(D(2026, 10, 13)))
    assert Reminder.objects.get(pk=reminder.pk).deadline_state == DeadlineState.PENDING


def test_provisional_deadline_alerts_and_is_recomputed_on_load(township, alerts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminder = make_reminder(township, start_on=D(2027, 9, 30), workdays=5, warn_workdays=0, escalate_workdays=0)
        make_reminder(township, start_on=D(2027, 9, 29), workdays=1)  # same year: still one alert
    assert (reminder.due_on, reminder.deadline_provisional) == (D(2027, 10, 7), True)
    schedule = HolidaySchedule.objects.get(year=2027)
    assert not schedule.is_loaded
    assert [(a["rule"], a["subject"]) for a in alerts] == [("calendar.schedule_missing", schedule)]
    assert "2027" in alerts[0]["explanation"]

    with django_capture_on_commit_callbacks(execute=True):
        services.do_load_holiday_schedule(
            2027,
            [{"date": f"2027-10-0{d}", "kind": "holiday", "name": "国庆节"} for d in range(1, 8)]
            + [{"date": "2027-10-09", "kind": "workday", "name": "国庆节调休"}],
            "国务院办公厅关于2027年部分节假日安排的通知",
        )
    reminder.refresh_from_db()
    assert (reminder.due_on, reminder.deadline_provisional) == (D(2027, 10, 13), False)
    assert reminder.due_at == end_of_day(D(2027, 10, 13))
    assert HolidaySchedule.objects.get(year=2027).is_loaded


def test_schedule_load_is_audited(cast):
    from jiceng.core.audit import history

    schedule = services.do_load_holiday_schedule(
        2027, [("2027-01-01", "holiday", "元旦")], "通知", acting_user=cast.county_admin
    )
    entry = history(schedule)[0]
    assert entry.actor == cast.county_admin and entry.after["days"] == [["2027-01-01", "holiday", "元旦"]]


def test_schedule_load_needs_permission(cast):
    from jiceng.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        services.do_load_holiday_schedule(2027, [("2027-01-01", "holiday", "元旦")], "通知", acting_user=cast.outsider)
    assert not HolidaySchedule.objects.exists()


def test_pages(cast, client, township):
    make_reminder(township, subject="复核隐患整改")
    client.force_login(cast.county_admin)
    assert client.get("/deadlines/reminders/").status_code == 200
    response = client.post(
        "/deadlines/holidayschedules/load/",
        {"year": "2027", "loaded_from": "通知", "days": "2027-01-01 holiday 元旦\n2027-02-06 workday 春节调休"},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "春节调休" in detail.content.decode()
    assert client.get("/deadlines/holidayschedules/").status_code == 200
    bad = client.post(
        "/deadlines/holidayschedules/load/", {"year": "2027", "loaded_from": "x", "days": "2028-01-01 holiday"}
    )
    assert bad.status_code == 400
    client.force_login(cast.outsider)
    assert client.get("/deadlines/holidayschedules/load/").status_code == 403


def test_with_the_real_alerts_engine(township):
    """Against the alerts engine's contract (skipped until that engine is in the repository)."""
    pytest.importorskip("jiceng.core.alerts.services")
    from django.apps import apps

    alert_model = apps.get_model("alerts", "Alert")
    reminder = make_reminder(township, start_on=D(2026, 9, 30), workdays=5)
    now = end_of_day(D(2026, 10, 13))
    scanner.scan_deadlines(now)
    scanner.scan_deadlines(now)
    assert alert_model.objects.filter(rule=services.REMINDER_RULE, object_id=reminder.pk).count() == 1
