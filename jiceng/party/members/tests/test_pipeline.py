"""The development pipeline: every guard on both sides of its boundary, through the API contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiceng.core.alerts.models import Alert
from jiceng.core.workflow.models import TransitionLog
from jiceng.party.members import services
from jiceng.party.members.models import (
    ActivistReview,
    ApplicationTalk,
    Approval,
    BranchVote,
    Mentor,
    PartyMember,
    PoliticalReview,
    PublicNotice,
    Sponsor,
    Training,
)
from jiceng.party.members.rules import add_months, full_months_between
from jiceng.party.testing import make_member, make_org, make_person

D = dt.date


@pytest.fixture
def branch(party_cast):
    return make_org(party_cast.area("东村"))


ACTIVIST_ON = D(2024, 3, 1)
VOTE_ON = D(2025, 6, 10)


def activist(branch, *, activist_on=ACTIVIST_ON, reviews=True, mentors=1):
    member = make_member(branch, stage="activist", birth="19950101", applied_on=D(2023, 12, 1), activist_on=activist_on)
    for _ in range(mentors):
        Mentor.objects.create(member=member, mentor=make_member(branch), assigned_on=activist_on)
    if reviews:
        day = activist_on
        while add_months(day, 6) <= D(2026, 11, 1):
            day = add_months(day, 6)
            ActivistReview.objects.create(member=member, reviewed_on=day - dt.timedelta(days=3), conclusion="合格")
    return member


def candidate(branch, *, vote_on=VOTE_ON, **changes):
    """A candidate whose every admission condition holds for a vote on ``vote_on``."""
    member = make_member(
        branch,
        stage="candidate",
        birth="19950101",
        applied_on=D(2023, 12, 1),
        activist_on=D(2024, 3, 1),
        candidate_on=D(2025, 3, 5),
    )
    for _ in range(changes.get("sponsors", 2)):
        Sponsor.objects.create(member=member, sponsor=make_member(branch), since=D(2025, 3, 5))
    PoliticalReview.objects.create(
        member=member, concluded_on=changes.get("review_on", D(2025, 4, 1)), conclusion="政治合格", passed=True
    )
    Training.objects.create(
        member=member,
        course="发展对象培训班",
        started_on=D(2025, 4, 14),
        ended_on=D(2025, 4, 16),
        days=changes.get("days", Decimal(3)),
        hours=changes.get("hours", Decimal(20)),
    )
    PublicNotice.objects.create(
        member=member, purpose="admission", starts_on=D(2025, 6, 3), ends_on=changes.get("notice_end", D(2025, 6, 9))
    )
    BranchVote.objects.create(
        member=member,
        purpose="admission",
        held_on=vote_on,
        expected_voters=changes.get("expected", 20),
        present_voters=changes.get("present", 15),
        in_favour=changes.get("favour", 11),
        written_in_favour=changes.get("written", 0),
    )
    Approval.objects.create(
        member=member,
        purpose="admission",
        decided_on=changes.get("approved_on", D(2025, 8, 1)),
        approved=True,
        delay_reason=changes.get("delay_reason", ""),
    )
    return member


def transition(api, user, member, **body):
    return api(user).post(f"/api/v1/party/members/{member.pk}/transition/", body, format="json")


def policies_of(response):
    return [r["policy"] for r in response.json()["reasons"]]


# --- dates ---------------------------------------------------------------------------------
def test_month_arithmetic_clamps_to_the_end_of_month():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert full_months_between(D(2024, 3, 1), D(2025, 2, 28)) == 11
    assert full_months_between(D(2024, 3, 1), D(2025, 3, 1)) == 12


# --- applicant → activist --------------------------------------------------------------------
def test_applicant_must_be_18_on_the_application_date(party_cast, api, branch):
    person = make_person(branch.area, birth="20070301")
    young = make_member(branch, stage="applicant", person=person, applied_on=D(2025, 2, 28))
    ApplicationTalk.objects.create(member=young, talked_on=D(2025, 3, 10), talker="书记")
    response = transition(api, party_cast.village_staff, young, to="activist", on="2025-09-01")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "guard_failed"
    assert policies_of(response) == ["party.development.min_age"]
    assert "17" in body["reasons"][0]["message"] and "第五条" in body["reasons"][0]["message"]
    young.refresh_from_db()
    assert young.stage == "applicant" and young.activist_on is None
    assert not TransitionLog.objects.exists()

    person = make_person(branch.area, birth="20070301")
    adult = make_member(branch, stage="applicant", person=person, applied_on=D(2025, 3, 1))
    ApplicationTalk.objects.create(member=adult, talked_on=D(2025, 3, 10), talker="书记")
    response = transition(api, party_cast.village_staff, adult, to="activist", on="2025-09-01")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "activist" and response.json()["activist_on"] == "2025-09-01"


def test_activist_needs_a_recorded_talk(party_cast, api, branch):
    member = make_member(branch, stage="applicant", birth="19900101", applied_on=D(2025, 3, 1))
    response = transition(api, party_cast.village_staff, member, to="activist", on="2025-09-01")
    assert response.status_code == 409 and policies_of(response) == ["party.development.talk_within_months"]


def test_talk_overdue_alert_after_one_month_and_resolved_by_the_talk(party_cast, branch):
    member = make_member(branch, stage="applicant", birth="19900101", applied_on=D(2026, 9, 15))
    assert services.scan_development(on=D(2026, 10, 15))["talks"] == 0  # due on 10-15: not late yet
    assert services.scan_development(on=D(2026, 10, 16))["talks"] == 1
    alert = Alert.objects.get(rule=services.TALK_RULE)
    assert "2026-10-15" in alert.explanation and alert.evidence["policy"] == "party.development.talk_within_months"
    services.do_record(
        ApplicationTalk,
        data={"member": member, "talked_on": D(2026, 10, 20), "talker": "支部书记"},
        acting_user=party_cast.village_staff,
    )
    alert.refresh_from_db()
    assert alert.state == "closed"


# --- activist → candidate --------------------------------------------------------------------
def test_candidate_after_a_full_year_as_activist(party_cast, api, branch):
    member = activist(branch)
    early = transition(api, party_cast.village_staff, member, to="candidate", on="2025-02-28")
    assert early.status_code == 409
    assert policies_of(early) == ["party.development.activist_min_months"]
    assert "11" in early.json()["reasons"][0]["message"] and "2025-03-01" in early.json()["reasons"][0]["message"]
    ok = transition(api, party_cast.village_staff, member, to="candidate", on="2025-03-01")
    assert ok.status_code == 200 and ok.json()["stage"] == "candidate"


@pytest.mark.parametrize(("mentors", "refused"), [(0, True), (1, False), (2, False), (3, True)])
def test_one_or_two_mentors(party_cast, api, branch, mentors, refused):
    member = activist(branch, mentors=mentors)
    response = transition(api, party_cast.village_staff, member, to="candidate", on="2025-03-10")
    assert (response.status_code == 409) is refused
    if refused:
        assert policies_of(response) == ["party.development.mentors_min"]


def test_half_yearly_reviews_are_required(party_cast, api, branch):
    member = activist(branch, reviews=False)
    ActivistReview.objects.create(member=member, reviewed_on=D(2024, 8, 30), conclusion="合格")
    response = transition(api, party_cast.village_staff, member, to="candidate", on="2025-03-10")
    assert response.status_code == 409
    assert policies_of(response) == ["party.development.activist_review_interval_months"]
    assert "2024-09-01–2025-03-01" in response.json()["reasons"][0]["message"]
    ActivistReview.objects.create(member=member, reviewed_on=D(2025, 2, 20), conclusion="合格")
    assert transition(api, party_cast.village_staff, member, to="candidate", on="2025-03-10").status_code == 200


# --- candidate → probationary ------------------------------------------------------------------
def test_admission_when_every_condition_holds(party_cast, api, branch):
    member = candidate(branch)
    response = transition(api, party_cast.village_staff, member, to="probationary", on="2025-06-10")
    assert response.status_code == 200, response.json()
    assert response.json()["probationary_on"] == "2025-06-10"
    assert response.json()["probation_ends_on"] == "2026-06-10"


@pytest.mark.parametrize(
    ("changes", "policy"),
    [
        ({"sponsors": 1}, "party.development.sponsors_required"),
        ({"review_on": D(2024, 6, 9)}, "party.development.political_review_valid_months"),
        ({"days": Decimal("2.5"), "hours": Decimal("23.5")}, "party.development.training_min_hours"),
        ({"notice_end": D(2025, 6, 6)}, "party.development.public_notice_workdays"),  # 4 workdays
        ({"present": 10}, "party.development.vote_quorum_fraction"),
        ({"favour": 10}, "party.development.vote_quorum_fraction"),
        ({"approved_on": D(2025, 9, 11)}, "party.development.approval_months"),
        ({"approved_on": D(2025, 12, 11), "delay_reason": "审批会议推迟"}, "party.development.approval_max_months"),
    ],
)
def test_each_admission_rule_refuses_with_its_policy(party_cast, api, branch, changes, policy):
    member = candidate(branch, **changes)
    response = transition(api, party_cast.village_staff, member, to="probationary", on="2025-06-10")
    assert response.status_code == 409
    assert policies_of(response) == [policy]
    member.refresh_from_db()
    assert member.stage == "candidate" and member.probationary_on is None


@pytest.mark.parametrize(
    "changes",
    [
        {"review_on": D(2024, 6, 10)},  # exactly 12 months old on the vote date
        {"days": Decimal(0), "hours": Decimal(24)},  # 24 hours without 3 days
        {"days": Decimal(3), "hours": Decimal(0)},  # 3 days without 24 hours
        {"present": 11, "favour": 6, "written": 5},  # written opinions count towards the majority
        {"approved_on": D(2025, 9, 10)},  # 3 months to the day
        {"approved_on": D(2025, 12, 10), "delay_reason": "审批会议推迟"},  # 6 months with a reason
    ],
)
def test_admission_rules_pass_at_their_boundary(party_cast, api, branch, changes):
    member = candidate(branch, **changes)
    response = transition(api, party_cast.village_staff, member, to="probationary", on="2025-06-10")
    assert response.status_code == 200, response.json()


def test_sponsor_under_probation_within_the_party_does_not_count(party_cast, api, branch):
    member = candidate(branch, sponsors=1)
    Sponsor.objects.create(
        member=member, sponsor=make_member(branch, under_probation_discipline=True), since=D(2025, 3, 5)
    )
    response = transition(api, party_cast.village_staff, member, to="probationary", on="2025-06-10")
    assert response.status_code == 409
    assert "1" in response.json()["reasons"][0]["message"]


def test_public_notice_counts_workdays_not_calendar_days(party_cast, api, branch):
    # 2025-09-29 (Mon) to 2025-10-07: 9 calendar days but only 1 workday (National Day holiday).
    member = candidate(branch, vote_on=D(2025, 10, 20), notice_end=D(2025, 10, 7), approved_on=D(2025, 11, 1))
    PublicNotice.objects.filter(member=member).update(starts_on=D(2025, 9, 30))
    response = transition(api, party_cast.village_staff, member, to="probationary", on="2025-10-20")
    assert response.status_code == 409
    assert policies_of(response) == ["party.development.public_notice_workdays"]


def test_departure_within_three_months_blocks_admission(party_cast, api, branch):
    member = candidate(branch)
    PartyMember.objects.filter(pk=member.pk).update(planned_departure_on=D(2025, 9, 10))
    response = transition(api, party_cast.village_staff, member, to="probationary", on="2025-06-10")
    assert policies_of(response) == ["party.development.departure_block_months"]
    PartyMember.objects.filter(pk=member.pk).update(planned_departure_on=D(2025, 9, 11))
    assert transition(api, party_cast.village_staff, member, to="probationary", on="2025-06-10").status_code == 200


# --- probation --------------------------------------------------------------------------------
def probationary(branch, *, vote_on=VOTE_ON):
    member = make_member(
        branch,
        stage="probationary",
        birth="19950101",
        applied_on=D(2023, 12, 1),
        activist_on=D(2024, 3, 1),
        candidate_on=D(2025, 3, 5),
        probationary_on=vote_on,
        probation_ends_on=add_months(vote_on, 12),
    )
    return member


def conversion_records(member, on, *, approved_on=None):
    BranchVote.objects.create(
        member=member, purpose="conversion", held_on=on, expected_voters=20, present_voters=18, in_favour=18
    )
    Approval.objects.create(member=member, purpose="conversion", decided_on=approved_on or on, approved=True)


def test_conversion_only_after_the_probation_and_seniority_from_its_end(party_cast, api, branch):
    member = probationary(branch)
    conversion_records(member, D(2026, 6, 9))
    early = transition(api, party_cast.village_staff, member, to="full", on="2026-06-09")
    assert early.status_code == 409 and "party.development.probation_months" in policies_of(early)
    conversion_records(member, D(2026, 6, 12), approved_on=D(2026, 7, 20))
    ok = transition(api, party_cast.village_staff, member, to="full", on="2026-06-12")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["full_on"] == "2026-06-10"  # the end of the probation, not the meeting or approval


@pytest.mark.parametrize(("months", "status"), [(5, 409), (6, 200), (12, 200), (13, 409)])
def test_one_extension_of_six_to_twelve_months(party_cast, api, branch, months, status):
    member = probationary(branch)
    response = transition(api, party_cast.village_staff, member, to="probationary", on="2026-06-10", months=months)
    assert response.status_code == status, response.json()
    if status == 200:
        assert response.json()["probation_ends_on"] == add_months(D(2026, 6, 10), months).isoformat()
        again = transition(api, party_cast.village_staff, member, to="probationary", on="2026-06-11", months=6)
        assert again.status_code == 409
        assert "once" in again.json()["reasons"][0]["message"] or "一次" in again.json()["reasons"][0]["message"]


def test_cancellation_needs_the_committee_approval(party_cast, api, branch):
    member = probationary(branch)
    refused = transition(api, party_cast.village_staff, member, to="cancelled", on="2026-06-15")
    assert refused.status_code == 409
    Approval.objects.create(member=member, purpose="cancellation", decided_on=D(2026, 7, 1), approved=True)
    ok = transition(api, party_cast.village_staff, member, to="cancelled", on="2026-06-15")
    assert ok.status_code == 200 and ok.json()["stage"] == "cancelled"


def test_conversion_overdue_alert(party_cast, branch):
    member = probationary(branch)
    assert services.scan_development(on=D(2026, 6, 10))["conversions"] == 0
    assert services.scan_development(on=D(2026, 6, 11))["conversions"] == 1
    assert Alert.objects.get(rule=services.CONVERSION_RULE).object_id == str(member.pk)


# --- creating records with dates ------------------------------------------------------------------
def test_create_applicant_and_full_member_through_the_api(party_cast, api, branch):
    person = make_person(branch.area, birth="19900101")
    response = api(party_cast.village_staff).post(
        "/api/v1/party/members/",
        {"person": person.pk, "org": branch.pk, "stage": "applicant", "applied_on": "2026-10-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == "applicant"
    veteran = make_person(branch.area, birth="19600101")
    response = api(party_cast.village_staff).post(
        "/api/v1/party/members/",
        {
            "person": veteran.pk,
            "org": branch.pk,
            "stage": "full",
            "probationary_on": "1990-07-01",
            "full_on": "1991-07-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["probation_ends_on"] == "1991-07-01"


@pytest.mark.parametrize(
    ("body", "policy"),
    [
        ({"stage": "applicant", "applied_on": "2025-01-01"}, "party.development.min_age"),  # born 2007-03-01
        (
            {
                "stage": "candidate",
                "applied_on": "2025-03-02",
                "activist_on": "2025-04-01",
                "candidate_on": "2026-03-31",
            },
            "party.development.activist_min_months",
        ),
        (
            {"stage": "full", "probationary_on": "2025-05-01", "full_on": "2026-04-30"},
            "party.development.probation_months",
        ),
    ],
)
def test_create_refuses_dates_that_break_a_rule(party_cast, api, branch, body, policy):
    person = make_person(branch.area, birth="20070301")
    response = api(party_cast.village_staff).post(
        "/api/v1/party/members/", {"person": person.pk, "org": branch.pk, **body}, format="json"
    )
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "guard_failed"
    assert policy in policies_of(response)
    assert not PartyMember.objects.filter(person=person).exists()


def test_create_refuses_out_of_order_dates(party_cast, api, branch):
    person = make_person(branch.area, birth="19900101")
    response = api(party_cast.village_staff).post(
        "/api/v1/party/members/",
        {
            "person": person.pk,
            "org": branch.pk,
            "stage": "activist",
            "applied_on": "2025-05-01",
            "activist_on": "2025-04-01",
        },
        format="json",
    )
    assert response.status_code == 409
    assert not PartyMember.objects.filter(person=person).exists()


# --- scope --------------------------------------------------------------------------------------
def test_members_outside_the_area_are_404_and_viewers_cannot_move_stages(party_cast, api, branch):
    member = activist(branch)
    assert api(party_cast.outsider).get(f"/api/v1/party/members/{member.pk}/").status_code == 404
    assert transition(api, party_cast.outsider, member, to="candidate", on="2025-03-10").status_code == 404
    assert api(party_cast.township_viewer).get(f"/api/v1/party/members/{member.pk}/").status_code == 200
    assert transition(api, party_cast.township_viewer, member, to="candidate", on="2025-03-10").status_code == 403
    member.refresh_from_db()
    assert member.stage == "activist"


def test_pool_counts_and_average_age_of_admissions(party_cast, api, branch):
    for birth in ("19900615", "19950615"):  # 35 and 30 on 2025-06-20
        member = make_member(branch, stage="probationary", birth=birth, probationary_on=D(2025, 6, 20))
        assert member.pk
    activist(branch)
    make_member(branch, stage="applicant", birth="20000101", applied_on=D(2026, 1, 5))
    body = api(party_cast.township_viewer).get("/api/v1/party/pool/?start=2025-01-01&end=2025-06-30").json()
    assert body["total"] == 2
    assert body["admissions"] == {"start": "2025-01-01", "end": "2025-06-30", "count": 2, "average_age": "32.5"}
