"""Dues bands (whole-amount rate), flat categories, probation start, arrears, the 6-month scan, hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiceng.core.alerts.models import Alert
from jiceng.party.dues import services
from jiceng.party.dues.models import AssignedTask, ContactLoss, DuesPayment, IncomeDeclaration, StudyCredit
from jiceng.party.life.models import Attendance, Meeting
from jiceng.party.models import OrgPosition
from jiceng.party.testing import make_member, make_org

D = dt.date
MONTH = D(2026, 3, 1)


@pytest.fixture
def branch(party_cast):
    return make_org(party_cast.area("东村"))


def salaried(branch, income, category="salaried", **kwargs):
    member = make_member(branch, dues_category=category, **kwargs)
    IncomeDeclaration.objects.create(member=member, effective_month=D(2026, 1, 1), monthly_income=Decimal(income))
    return member


@pytest.mark.parametrize(
    ("income", "amount"),
    [
        ("3000.00", "15.00"),  # 0.5% of the whole income, the band edge belongs to the lower band
        ("3000.01", "30.00"),  # 1% of the whole income (not progressive)
        ("5000.00", "50.00"),
        ("5000.01", "75.00"),  # 1.5%
        ("10000.00", "150.00"),
        ("10000.01", "200.00"),  # 2%
        ("4321.00", "43.21"),
        ("2999.00", "15.00"),  # 14.995 rounds half up to the fen
    ],
)
def test_salaried_bands_take_one_rate_on_the_whole_income(party_cast, branch, income, amount):
    assessment = services.assess(salaried(branch, income), MONTH)
    assert assessment.amount == Decimal(amount)
    assert "第二条" in assessment.explanation


@pytest.mark.parametrize(("income", "amount"), [("5000.00", "25.00"), ("5000.01", "50.00")])
def test_retiree_bands(party_cast, branch, income, amount):
    assert services.assess(salaried(branch, income, category="retired"), MONTH).amount == Decimal(amount)


@pytest.mark.parametrize(("category", "amount"), [("student", "0.20"), ("unemployed", "0.20"), ("farmer", "0.50")])
def test_flat_monthly_dues(party_cast, branch, category, amount):
    member = make_member(branch, dues_category=category)
    assert services.assess(member, MONTH).amount == Decimal(amount)


def test_probationary_member_pays_from_the_month_of_the_vote(party_cast, branch):
    member = salaried(branch, "4000", stage="probationary", probationary_on=D(2026, 3, 20))
    assert services.assess(member, D(2026, 2, 1)).amount == 0
    assert services.assess(member, D(2026, 3, 1)).amount == Decimal("40.00")


def test_dues_api_and_arrears(party_cast, api, branch):
    member = salaried(branch, "4000")
    DuesPayment.objects.create(member=member, month=MONTH, amount=Decimal("30.00"), paid_on=D(2026, 3, 5))
    body = api(party_cast.township_viewer).get(f"/api/v1/party/dues/?member={member.pk}&month=2026-03").json()
    assert body[0]["amount"] == "40.00" and body[0]["paid"] == "30.00" and body[0]["owed"] == "10.00"
    assert "party.dues.band2_rate" in body[0]["policies"]
    assert api(party_cast.outsider).get(f"/api/v1/party/dues/?member={member.pk}").status_code == 404


def test_six_months_without_dues(party_cast, branch):
    member = salaried(branch, "4000")
    IncomeDeclaration.objects.filter(member=member).update(effective_month=D(2025, 1, 1))
    for month in range(1, 6):
        DuesPayment.objects.create(
            member=member, month=D(2025, month, 1), amount=Decimal(40), paid_on=D(2025, month, 5)
        )
    # unpaid from 2025-06: by 2025-12-01 five months (06–10 … 11 is the month before), by 2026-01-01 six
    assert "dues" not in services.status_findings(member, on=D(2025, 11, 30))
    assert "dues" in services.status_findings(member, on=D(2025, 12, 1))
    services.scan_member(member, on=D(2025, 12, 1))
    assert Alert.objects.get(rule="party.membership.no_dues").explanation.count("6") >= 1


def test_six_months_without_organisational_life(party_cast, branch):
    member = make_member(branch)
    for month in range(1, 8):
        meeting = Meeting.objects.create(org=branch, kind="theme_day", held_on=D(2026, month, 10), topic="主题党日")
        Attendance.objects.create(meeting=meeting, member=member, status="absent", absence_reason="未请假")
    assert "life" in services.status_findings(member, on=D(2026, 7, 11))
    Attendance.objects.filter(meeting__held_on=D(2026, 5, 10)).update(status="excused", made_up_on=D(2026, 5, 20))
    assert "life" not in services.status_findings(member, on=D(2026, 7, 11))


def test_assigned_work_and_lost_contact(party_cast, branch):
    member = make_member(branch)
    AssignedTask.objects.create(member=member, task="联系帮扶户", assigned_on=D(2026, 1, 10))
    assert "work" not in services.status_findings(member, on=D(2026, 7, 9))
    assert "work" in services.status_findings(member, on=D(2026, 7, 10))
    ContactLoss.objects.create(member=member, lost_since=D(2026, 1, 15))
    assert "lost" not in services.status_findings(member, on=D(2026, 7, 14))
    found = services.status_findings(member, on=D(2026, 7, 15))
    assert "第二十四条" in found["lost"]


def test_study_hours_32_for_members_56_for_committee(party_cast, branch):
    member = make_member(branch)
    meeting = Meeting.objects.create(
        org=branch, kind="party_lecture", held_on=D(2026, 3, 1), topic="党课", hours=Decimal(4)
    )
    Attendance.objects.create(meeting=meeting, member=member, status="present")
    StudyCredit.objects.create(
        member=member, source="online_course", title="灯塔在线", earned_on=D(2026, 4, 1), hours=Decimal(28)
    )
    result = services.study_hours(member, 2026)
    assert (result["total"], result["required"], result["shortfall"]) == (Decimal(32), Decimal(32), Decimal(0))
    OrgPosition.objects.create(org=branch, person=member.person, role="committee_member", started_on=D(2024, 1, 1))
    result = services.study_hours(member, 2026)
    assert (result["required"], result["shortfall"]) == (Decimal(56), Decimal(24))
    assert services.scan_study_hours(on=D(2026, 9, 30)) == 0  # before October: no alert
    assert services.scan_study_hours(on=D(2026, 10, 1)) == 1


def test_pages_render(party_cast, client, branch):
    from jiceng.core.testing import PASSWORD

    member = salaried(branch, "4000")
    client.login(username="village_staff", password=PASSWORD)
    assert client.get(f"/party/dues/orgs/{branch.pk}/?month=2026-03").status_code == 200
    assert client.get(f"/party/dues/orgs/{branch.pk}/hours/").status_code == 200
    assert client.get(f"/party/dues/members/{member.pk}/").status_code == 200
    client.login(username="outsider", password=PASSWORD)
    assert client.get(f"/party/dues/members/{member.pk}/").status_code == 404
