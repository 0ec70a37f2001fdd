"""Organisational life: frequencies per kind, quorum, compliance figures, alerts and the API."""

from __future__ import annotations

import datetime as dt

import pytest

from jiceng.core.alerts.models import Alert
from jiceng.core.errors import InvalidInput
from jiceng.party.life import services
from jiceng.party.life.compliance import blocks, compliance, parse_period, required_kinds
from jiceng.party.life.models import Attendance, Meeting
from jiceng.party.models import OrgPosition
from jiceng.party.testing import make_member, make_org

D = dt.date


@pytest.fixture
def branch(party_cast):
    return make_org(party_cast.area("东村"))


def hold(org, kind, day, **extra):
    return Meeting.objects.create(org=org, kind=kind, held_on=day, topic=extra.pop("topic", "学习"), **extra)


def row(rows, kind):
    return next(r for r in rows if r.kind == kind)


def give_committee(org, size=3, on=None):
    on = on or D(2020, 1, 1)
    members = [make_member(org) for _ in range(size)]
    roles = ["secretary"] + ["committee_member"] * (size - 1)
    for member, role in zip(members, roles, strict=True):
        OrgPosition.objects.create(org=org, person=member.person, role=role, started_on=on)
    return members


def test_periods_and_calendar_blocks():
    assert parse_period("2026-Q3") == (D(2026, 7, 1), D(2026, 9, 30))
    assert parse_period("2026-02") == (D(2026, 2, 1), D(2026, 2, 28))
    assert blocks(D(2026, 1, 1), D(2026, 12, 31), 3)[1] == (D(2026, 4, 1), D(2026, 6, 30))
    assert len(blocks(D(2026, 1, 1), D(2026, 12, 31), 1)) == 12
    with pytest.raises(InvalidInput, match="2026-Q3"):
        parse_period("2026-Q5")


def test_quarterly_general_meeting_one_per_quarter(party_cast, branch):
    hold(branch, "general_meeting", D(2025, 3, 31))
    hold(branch, "general_meeting", D(2025, 4, 1))  # the second quarter, not a second one in Q1
    hold(branch, "general_meeting", D(2025, 9, 30))
    general = row(compliance(branch, start=D(2025, 1, 1), end=D(2025, 12, 31), today=D(2026, 2, 1)), "general_meeting")
    assert (general.required, general.held) == (4, 3)
    assert general.missing == [(D(2025, 10, 1), D(2025, 12, 31))]
    assert general.policy.key == "party.life.general_meeting_months" and general.policy.value == 3


def test_monthly_theme_day_and_open_months_are_not_missing(party_cast, branch):
    for month in range(1, 11):
        hold(branch, "theme_day", D(2026, month, 15))
    theme = row(compliance(branch, start=D(2026, 1, 1), end=D(2026, 12, 31), today=D(2026, 11, 22)), "theme_day")
    assert (theme.required, theme.held, theme.open, theme.missing) == (12, 10, 2, [])


def test_lecture_frequency_is_a_local_policy(party_cast, branch):
    from jiceng.core.policies.tests.factories import make_policy

    hold(branch, "party_lecture", D(2025, 2, 1))
    yearly = row(compliance(branch, start=D(2025, 1, 1), end=D(2025, 12, 31), today=D(2026, 1, 5)), "party_lecture")
    assert (yearly.required, yearly.held) == (4, 1)  # the seeded default: quarterly
    make_policy(
        party_cast.area("燕店镇"),
        key="party.life.party_lecture_months",
        value="6",
        value_type="duration_months",
        effective_from=D(2020, 1, 1),
    )
    override = row(compliance(branch, start=D(2025, 1, 1), end=D(2025, 12, 31), today=D(2026, 1, 5)), "party_lecture")
    assert (override.required, override.held) == (2, 1)


def test_committee_meeting_counts_only_with_more_than_half_present(party_cast, branch):
    committee = give_committee(branch, size=4)
    assert "committee_meeting" in required_kinds(branch, on=D(2026, 3, 1))
    two = hold(branch, "committee_meeting", D(2026, 1, 10))
    for member in committee[:2]:
        Attendance.objects.create(meeting=two, member=member, status="present")
    three = hold(branch, "committee_meeting", D(2026, 2, 10))
    for member in committee[:3]:
        Attendance.objects.create(meeting=three, member=member, status="present")
    rows = compliance(branch, start=D(2026, 1, 1), end=D(2026, 2, 28), today=D(2026, 3, 1))
    committee_row = row(rows, "committee_meeting")
    assert committee_row.not_quorate == [two]  # 2 of 4 is not more than half
    assert committee_row.missing == [(D(2026, 1, 1), D(2026, 1, 31))]
    assert committee_row.held == 1


def test_branch_without_committee_or_groups_owes_no_committee_or_group_meetings(party_cast, branch):
    kinds = required_kinds(branch, on=D(2026, 3, 1))
    assert "committee_meeting" not in kinds and "group_meeting" not in kinds
    make_org(branch.area, level="group", parent=branch)
    assert "group_meeting" in required_kinds(branch, on=D(2026, 3, 1))


def test_missing_meeting_alert_after_the_period_and_resolved_by_a_late_meeting(party_cast, branch):
    hold(branch, "general_meeting", D(2026, 2, 1))
    services.scan_org(branch, on=D(2026, 6, 30))  # Q2 not over yet
    assert not Alert.objects.filter(rule="party.life.missing.general_meeting").exists()
    services.scan_org(branch, on=D(2026, 7, 1))
    alert = Alert.objects.get(rule="party.life.missing.general_meeting")
    assert "2026-04-01" in alert.explanation and "第十一条" in alert.explanation
    hold(branch, "general_meeting", D(2026, 6, 20), topic="补开")
    services.scan_org(branch, on=D(2026, 7, 2))
    alert.refresh_from_db()
    assert alert.state == "closed"


def test_record_meeting_with_attendance_through_the_api(party_cast, api, branch):
    present, excused = make_member(branch), make_member(branch)
    body = {
        "org": branch.pk,
        "kind": "theme_day",
        "held_on": "2026-10-15",
        "topic": "学习二十届四中全会精神",
        "hours": "2.0",
        "attendance": [
            {"member": present.pk, "status": "present"},
            {"member": excused.pk, "status": "excused", "absence_reason": "外出务工", "made_up_on": "2026-10-20"},
        ],
    }
    response = api(party_cast.village_staff).post("/api/v1/party/meetings/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["attended"] == 2
    report = api(party_cast.township_viewer).get(f"/api/v1/party/compliance/?org={branch.pk}&period=2026-10").json()
    theme = next(k for k in report["kinds"] if k["kind"] == "theme_day")
    assert (theme["required"], theme["held"], theme["missing"]) == (1, 1, [])
    assert report["activities"] == 1 and report["attendance_rate"] == "100.0"


def test_attendance_of_a_stranger_or_without_reason_is_refused_and_nothing_written(party_cast, api, branch):
    stranger = make_member(make_org(party_cast.area("西村")))
    absent = make_member(branch)
    for rows in (
        [{"member": stranger.pk, "status": "present"}],
        [{"member": absent.pk, "status": "absent"}],
        [{"member": absent.pk, "status": "present", "made_up_on": "2026-10-20"}],
    ):
        response = api(party_cast.village_staff).post(
            "/api/v1/party/meetings/",
            {"org": branch.pk, "kind": "theme_day", "held_on": "2026-10-15", "topic": "学习", "attendance": rows},
            format="json",
        )
        assert response.status_code == 400, response.json()
    assert not Meeting.objects.exists()


def test_compliance_of_another_township_is_404(party_cast, api):
    other = make_org(party_cast.area("南村"))
    response = api(party_cast.township_viewer).get(f"/api/v1/party/compliance/?org={other.pk}&period=2026")
    assert response.status_code == 404


def test_pages_render(party_cast, client, branch):
    from jiceng.core.testing import PASSWORD

    meeting = hold(branch, "general_meeting", D(2026, 2, 1))
    client.login(username="village_staff", password=PASSWORD)
    assert client.get(f"/party/life/orgs/{branch.pk}/compliance/?period=2026").status_code == 200
    assert client.get("/party/life/compliance/?period=2026-Q1").status_code == 200
    assert client.get(f"/party/life/meetings/{meeting.pk}/attendance/").status_code == 200
