"""Party organisations: set-up checks, terms and the term scan, posts, coverage, pages and API.

Each rule is tested on both sides of its boundary with the seeded policy values (3, 50, 100,
7, 3–7, 5 for set-up; 36/60 months for terms, 12 months for a change, 3 months of reminder).
"""

from __future__ import annotations

import datetime as dt

import pytest

from jiceng.core.errors import InvalidInput
from jiceng.core.testing import PASSWORD
from jiceng.directory.tests.factories import make_enterprise
from jiceng.party import services
from jiceng.party.checks import setup_findings
from jiceng.party.models import OrgPosition, OrgTerm, PartyOrg, add_months
from jiceng.party.selectors import coverage, leadership_person_ids
from jiceng.party.testing import make_member, make_org, make_person
from jiceng.party.tests.factories import make_position, make_term

ON = dt.date(2026, 6, 1)


def keys(findings):
    return [f.policy_key for f in findings]


def members(org, n, stage="full"):
    for _ in range(n):
        make_member(org, stage=stage, **({"probationary_on": dt.date(2025, 9, 1)} if stage == "probationary" else {}))


def committee(org, n):
    for i in range(n):
        make_position(org.area, org=org, role="secretary" if i == 0 else "committee_member")


# --- set-up checks -------------------------------------------------------------------------
def test_branch_needs_three_full_members_probationary_do_not_count(party_cast):
    org = make_org(party_cast.area("东村"))
    members(org, 2)
    members(org, 1, stage="probationary")
    findings = setup_findings(org, on=ON)
    assert keys(findings) == ["party.org.branch_min_full_members"]
    assert "2" in findings[0].message and "3" in findings[0].message
    assert "中国共产党支部工作条例（试行）》第四条" in findings[0].message
    members(org, 1)
    assert setup_findings(org, on=ON) == []


def test_members_not_yet_admitted_on_the_date_do_not_count(party_cast):
    org = make_org(party_cast.area("东村"))
    members(org, 2)
    make_member(org, probationary_on=dt.date(2020, 7, 1), full_on=dt.date(2021, 7, 1))
    assert setup_findings(org, on=ON) == []
    assert keys(setup_findings(org, on=dt.date(2020, 6, 30))) == ["party.org.branch_min_full_members"]


def test_more_than_fifty_members_suggests_a_general_branch(party_cast):
    org = make_org(party_cast.area("东村"))
    members(org, 45)
    committee(org, 3)
    members(org, 5, stage="probationary")
    assert setup_findings(org, on=ON) == []  # 50: not more than 50
    members(org, 1, stage="probationary")
    findings = setup_findings(org, on=ON)
    assert keys(findings) == ["party.org.general_branch_members_above"]
    assert "51" in findings[0].message


def test_more_than_a_hundred_members_suggests_a_committee(party_cast):
    org = make_org(party_cast.area("东村"), level="general_branch")
    members(org, 100)
    assert setup_findings(org, on=ON) == []  # a general branch of 100 is fine
    members(org, 1)
    findings = setup_findings(org, on=ON)
    assert keys(findings) == ["party.org.committee_members_above"]
    assert "101" in findings[0].message


def test_branch_committee_required_from_seven_full_members(party_cast):
    org = make_org(party_cast.area("东村"))
    members(org, 6)
    committee(org, 1)
    assert setup_findings(org, on=ON) == []  # 6 full members: a secretary suffices
    members(org, 1)
    findings = setup_findings(org, on=ON)
    assert keys(findings) == ["party.org.branch_committee_min_full_members"]
    assert "7" in findings[0].message and "3" in findings[0].message
    committee_members = [make_position(org.area, org=org, role="committee_member") for _ in range(2)]
    assert setup_findings(org, on=ON) == []  # 3 in post
    for post in committee_members:
        post.ended_on = ON
        post.save()
    assert keys(setup_findings(org, on=ON)) == ["party.org.branch_committee_min_full_members"]


def test_branch_committee_at_most_seven(party_cast):
    org = make_org(party_cast.area("东村"))
    members(org, 10)
    committee(org, 7)
    assert setup_findings(org, on=ON) == []
    committee(org, 1)
    findings = setup_findings(org, on=ON)
    assert keys(findings) == ["party.org.branch_committee_max_size"]
    assert "8" in findings[0].message


def test_joint_branch_covers_at_most_five(party_cast):
    township = party_cast.area("燕店镇")
    org = make_org(township, level="joint_branch", kind="new_economic")
    members(org, 3)
    org.covered_enterprises.set([make_enterprise(township) for _ in range(5)])
    assert setup_findings(org, on=ON) == []
    org.covered_enterprises.add(make_enterprise(township))
    assert keys(setup_findings(org, on=ON)) == ["party.org.joint_branch_max_units"]


def test_findings_follow_an_area_policy_override(party_cast):
    from jiceng.core.policies.services import do_create_policy

    org = make_org(party_cast.area("东村"))
    members(org, 3)
    do_create_policy(
        data={
            "key": "party.org.branch_min_full_members",
            "name": "党支部最少正式党员数（本地）",
            "value_type": "integer",
            "value": "4",
            "area_code": party_cast.area("燕店镇").code,
            "area_path": party_cast.area("燕店镇").path,
            "source_document": "本地文件",
            "source_status": "local",
            "effective_from": dt.date(2020, 1, 1),
        },
        acting_user=None,
    )
    assert keys(setup_findings(org, on=ON)) == ["party.org.branch_min_full_members"]


# --- organisation services -------------------------------------------------------------------
def test_group_parent_must_be_a_branch(party_cast):
    village = party_cast.area("东村")
    committee_org = make_org(village, level="committee")
    with pytest.raises(InvalidInput, match="党支部"):
        services.do_create_org(
            data={"name": "第一党小组", "level": "group", "area": village, "parent": committee_org},
            acting_user=party_cast.village_staff,
        )
    branch = make_org(village)
    group = services.do_create_org(
        data={"name": "第一党小组", "level": "group", "area": village, "parent": branch},
        acting_user=party_cast.village_staff,
    )
    assert group.parent == branch


def test_one_host_only_and_parent_in_scope(party_cast):
    village = party_cast.area("东村")
    enterprise = make_enterprise(village)
    from jiceng.directory.models import Unit

    unit = Unit.objects.create(name="东村村委会", area=village)
    with pytest.raises(InvalidInput, match="不能同时"):
        services.do_create_org(
            data={"name": "x", "level": "branch", "area": village, "host_unit": unit, "host_enterprise": enterprise},
            acting_user=party_cast.village_staff,
        )
    foreign = make_org(party_cast.area("古云镇"), level="committee")
    with pytest.raises(InvalidInput, match="不在您管理的区域"):
        services.do_create_org(
            data={"name": "x", "level": "branch", "area": village, "parent": foreign},
            acting_user=party_cast.village_staff,
        )
    assert not PartyOrg.objects.filter(name="x").exists()


def test_area_must_lie_inside_the_parent_area_and_no_cycles(party_cast):
    parent = make_org(party_cast.area("东村"), level="committee")
    with pytest.raises(InvalidInput, match="之内"):
        services.do_create_org(
            data={"name": "x", "level": "branch", "area": party_cast.area("燕店镇"), "parent": parent},
            acting_user=party_cast.township_staff,
        )
    child = make_org(party_cast.area("东村"), parent=parent)
    with pytest.raises(InvalidInput, match="自身或其下级"):
        services.do_update_org(parent, data={"parent": child}, acting_user=party_cast.township_staff)


def test_joint_branch_service_refuses_a_sixth_enterprise_with_the_source(party_cast):
    township = party_cast.area("燕店镇")
    five = [make_enterprise(township) for _ in range(5)]
    data = {"name": "联合党支部", "level": "joint_branch", "area": township, "covered_enterprises": five}
    org = services.do_create_org(data=data, acting_user=party_cast.township_staff)
    with pytest.raises(InvalidInput) as refused:
        services.do_update_org(
            org, data={"covered_enterprises": [*five, make_enterprise(township)]}, acting_user=party_cast.township_staff
        )
    assert "5" in refused.value.message and "6" in refused.value.message and "第五条" in refused.value.message
    assert org.covered_enterprises.count() == 5


# --- posts -----------------------------------------------------------------------------------
def test_leadership_person_ids_on_a_date(party_cast):
    org = make_org(party_cast.area("东村"))
    secretary = make_position(org.area, org=org, role="secretary", started_on=dt.date(2024, 1, 1))
    deputy = make_position(org.area, org=org, role="deputy_secretary", started_on=dt.date(2024, 1, 1), ended_on=ON)
    group = make_org(org.area, level="group", parent=org)
    leader = make_position(org.area, org=group, role="group_leader", started_on=dt.date(2024, 1, 1))
    later = make_position(org.area, org=org, role="committee_member", started_on=ON + dt.timedelta(days=1))
    day_before = ON - dt.timedelta(days=1)
    assert leadership_person_ids(on=day_before) == {secretary.person_id, deputy.person_id}
    assert leadership_person_ids(on=ON) == {secretary.person_id}  # the deputy's post ended that day
    assert leadership_person_ids(on=ON + dt.timedelta(days=1)) == {secretary.person_id, later.person_id}
    assert leader.person_id not in leadership_person_ids(on=ON)
    assert leadership_person_ids(org_ids=[group.pk], on=ON) == set()


def test_group_leader_only_in_a_group(party_cast):
    org = make_org(party_cast.area("东村"))
    person = make_person(org.area)
    with pytest.raises(InvalidInput):
        services.do_create_position(
            data={"org": org, "person": person, "role": "group_leader", "started_on": ON},
            acting_user=party_cast.village_staff,
        )
    with pytest.raises(InvalidInput, match="不能早于"):
        services.do_create_position(
            data={
                "org": org,
                "person": person,
                "role": "secretary",
                "started_on": ON,
                "ended_on": ON - dt.timedelta(1),
            },
            acting_user=party_cast.village_staff,
        )


# --- terms -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("level", "kind", "months", "key"),
    [
        ("branch", "village", 60, "party.org.village_branch_term_years"),
        ("branch", "community", 60, "party.org.village_branch_term_years"),
        ("branch", "new_economic", 36, "party.org.branch_term_years"),
        ("general_branch", "organ", 36, "party.org.branch_term_years"),
        ("committee", "township", 60, "party.org.committee_term_months"),
    ],
)
def test_term_length_by_kind_and_level(party_cast, level, kind, months, key):
    org = make_org(party_cast.area("东村"), level=level, kind=kind)
    term = services.do_record_election(org, elected_on=dt.date(2024, 3, 15), acting_user=party_cast.village_staff)
    assert (term.term_months, term.term_policy_key) == (months, key)
    assert term.expires_on == add_months(dt.date(2024, 3, 15), months)


def test_term_change_at_most_twelve_months_with_a_document(party_cast):
    org = make_org(party_cast.area("东村"), kind="new_economic")
    term = services.do_record_election(org, elected_on=dt.date(2024, 3, 15), acting_user=party_cast.village_staff)
    user = party_cast.village_staff
    with pytest.raises(InvalidInput, match="批复文件"):
        services.do_update_term(term, data={"change_months": 6}, acting_user=user)
    with pytest.raises(InvalidInput) as refused:
        services.do_update_term(
            term, data={"change_months": 13, "change_document": "燕组字〔2027〕1号"}, acting_user=user
        )
    assert "12" in refused.value.message and "13" in refused.value.message
    with pytest.raises(InvalidInput):
        services.do_update_term(term, data={"change_months": -13, "change_document": "x"}, acting_user=user)
    term.refresh_from_db()
    assert term.expires_on == dt.date(2027, 3, 15)
    term = services.do_update_term(
        term, data={"change_months": 12, "change_document": "燕组字〔2027〕1号"}, acting_user=user
    )
    assert term.expires_on == dt.date(2028, 3, 15)
    term = services.do_update_term(
        term, data={"change_months": -12, "change_document": "燕组字〔2027〕2号"}, acting_user=user
    )
    assert term.expires_on == dt.date(2026, 3, 15)
    with pytest.raises(InvalidInput):
        services.do_update_term(term, data={"elected_on": dt.date(2025, 1, 1)}, acting_user=user)


def test_election_records_posts_ends_the_old_ones_and_refuses_going_back(party_cast):
    org = make_org(party_cast.area("东村"), kind="new_economic")
    user = party_cast.village_staff
    old_secretary = make_position(org.area, org=org, role="secretary", started_on=dt.date(2021, 3, 1))
    people = [make_person(org.area) for _ in range(3)]
    term = services.do_record_election(
        org,
        elected_on=dt.date(2024, 3, 15),
        positions=[
            {"person": people[0], "role": "secretary", "from_management": True},
            {"person": people[1], "role": "deputy_secretary"},
            {"person": people[2], "role": "committee_member"},
        ],
        approved_on=dt.date(2024, 3, 20),
        acting_user=user,
    )
    old_secretary.refresh_from_db()
    assert old_secretary.ended_on == dt.date(2024, 3, 15)
    assert set(term.positions.values_list("person_id", flat=True)) == {p.pk for p in people}
    assert term.positions.get(role="secretary").from_management is True
    assert leadership_person_ids(org_ids=[org.pk], on=dt.date(2024, 3, 15)) == {p.pk for p in people}
    with pytest.raises(InvalidInput, match="不能早于"):
        services.do_record_election(org, elected_on=dt.date(2024, 3, 15), acting_user=user)
    with pytest.raises(InvalidInput, match="一名书记"):
        services.do_record_election(
            org,
            elected_on=dt.date(2027, 3, 1),
            positions=[{"person": p, "role": "secretary"} for p in people[:2]],
            acting_user=user,
        )
    assert org.terms.count() == 1
    assert OrgPosition.objects.filter(org=org).count() == 4


def test_scan_terms_reminds_within_three_months_and_alerts_when_overdue(party_cast):
    from jiceng.core.alerts.models import Alert

    area = party_cast.area("东村")
    on = dt.date(2026, 6, 1)
    # expires exactly 3 months ahead: due; a day later: not yet
    due = make_term(area, elected_on=add_months(add_months(on, 3), -36))
    not_due = make_term(area, elected_on=add_months(add_months(on, 3), -36) + dt.timedelta(days=1))
    # expires today: due, not overdue; expired yesterday: overdue
    today = make_term(area, elected_on=add_months(on, -36))
    overdue = make_term(area, elected_on=add_months(on - dt.timedelta(days=1), -36))
    assert overdue.expires_on == on - dt.timedelta(days=1)
    counts = services.scan_terms(on)
    assert counts == {"due": 2, "overdue": 1, "resolved": 0}
    reminders = Alert.objects.filter(rule=services.TERM_DUE_RULE)
    assert {a.object_id for a in reminders} == {str(due.org_id), str(today.org_id)}
    alert = Alert.objects.get(rule=services.TERM_OVERDUE_RULE)
    assert alert.object_id == str(overdue.org_id)
    assert "第二十条" in alert.explanation and "1" in alert.explanation
    assert not Alert.objects.filter(object_id=str(not_due.org_id)).exists()
    # scanning again does not duplicate
    services.scan_terms(on)
    assert Alert.objects.filter(rule=services.TERM_OVERDUE_RULE).count() == 1
    # a new term resolves the overdue alert
    services.do_record_election(overdue.org, elected_on=on, acting_user=party_cast.village_staff)
    assert Alert.objects.get(rule=services.TERM_OVERDUE_RULE).state == "closed"
    services.scan_terms(on)
    assert Alert.objects.filter(rule=services.TERM_OVERDUE_RULE).exclude(state="closed").count() == 0


def test_an_approved_delay_moves_the_alert(party_cast):
    from jiceng.core.alerts.models import Alert

    on = dt.date(2026, 6, 1)
    term = make_term(party_cast.area("东村"), elected_on=add_months(on, -37))
    services.scan_terms(on)
    assert Alert.objects.filter(rule=services.TERM_OVERDUE_RULE).exclude(state="closed").count() == 1
    services.do_update_term(term, data={"change_months": 6, "change_document": "批复"}, acting_user=None)
    assert services.scan_terms(on)["resolved"] == 1
    assert Alert.objects.filter(rule=services.TERM_OVERDUE_RULE).exclude(state="closed").count() == 0


# --- coverage --------------------------------------------------------------------------------
def test_coverage_counts_own_and_joint_organisations_and_management_secretaries(party_cast):
    township = party_cast.area("燕店镇")
    village = party_cast.area("东村")
    own, joint, bare, bare2 = (make_enterprise(village) for _ in range(4))
    hosted = make_org(village, kind="new_economic", host_enterprise=own)
    joint_org = make_org(township, level="joint_branch", kind="new_economic")
    joint_org.covered_enterprises.set([joint])
    make_position(village, org=hosted, role="secretary", from_management=True)
    second = make_org(village, kind="new_economic", host_enterprise=bare2, dissolved_on=dt.date(2025, 1, 1))
    make_position(village, org=second, role="secretary", from_management=False)
    figures = coverage(township, party_cast.township_staff, on=ON)
    totals = figures["totals"]
    assert (totals["enterprises"], totals["own"], totals["covered"]) == (4, 1, 2)
    assert str(totals["coverage"]) == "50.0"
    assert (totals["secretaries"], totals["from_management"]) == (1, 1)  # the dissolved org does not count
    row = next(r for r in figures["rows"] if r["area"] == village)
    assert row["enterprises"] == 4 and row["joint_only"] == 1
    assert bare  # never covered
    outsider = coverage(township, party_cast.outsider, on=ON)
    assert outsider["totals"]["enterprises"] == 0


# --- pages and API ---------------------------------------------------------------------------
def test_api_org_detail_has_findings_and_scope(party_cast, api):
    org = make_org(party_cast.area("东村"))
    members(org, 2)
    client = api(party_cast.village_staff)
    body = client.get(f"/api/v1/party/orgs/{org.pk}/").json()
    assert [f["policy_key"] for f in body["findings"]] == ["party.org.branch_min_full_members"]
    assert client.get("/api/v1/party/orgs/").json()["results"][0]["findings"] is None
    assert api(party_cast.outsider).get(f"/api/v1/party/orgs/{org.pk}/").status_code == 404


def test_api_create_patch_org_and_refusals(party_cast, api):
    client = api(party_cast.village_staff)
    committee_org = make_org(party_cast.area("东村"), level="committee")
    refused = client.post(
        "/api/v1/party/orgs/",
        {"name": "第一党小组", "level": "group", "area": "371522109201", "parent": committee_org.pk},
        format="json",
    )
    assert refused.status_code == 400 and "党支部" in refused.json()["message"]
    created = client.post(
        "/api/v1/party/orgs/",
        {
            "name": "东村党支部",
            "level": "branch",
            "kind": "village",
            "area": "371522109201",
            "parent": committee_org.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = client.patch(f"/api/v1/party/orgs/{pk}/", {"short_name": "东村支部"}, format="json")
    assert patched.status_code == 200 and PartyOrg.objects.get(pk=pk).short_name == "东村支部"
    foreign = make_org(party_cast.area("古云镇"), level="committee")
    outside = client.post(
        "/api/v1/party/orgs/",
        {"name": "x", "level": "branch", "area": "371522109201", "parent": foreign.pk},
        format="json",
    )
    assert outside.status_code == 400
    assert not PartyOrg.objects.filter(name="x").exists()


def test_api_terms_and_positions(party_cast, api):
    org = make_org(party_cast.area("东村"), kind="new_economic")
    person = make_person(org.area)
    client = api(party_cast.village_staff)
    created = client.post(
        "/api/v1/party/terms/",
        {
            "org": org.pk,
            "elected_on": "2024-03-15",
            "positions": [{"person": person.pk, "role": "secretary", "from_management": True}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["term_months"] == 36 and body["expires_on"] == "2027-03-15"
    refused = client.patch(
        f"/api/v1/party/terms/{body['id']}/", {"change_months": 13, "change_document": "x"}, format="json"
    )
    assert refused.status_code == 400 and "12" in refused.json()["message"]
    positions = client.get(f"/api/v1/party/positions/?org={org.pk}").json()["results"]
    assert [(p["role"], p["person"], p["from_management"]) for p in positions] == [("secretary", person.pk, True)]
    outsider = api(party_cast.outsider)
    assert outsider.get(f"/api/v1/party/terms/{body['id']}/").status_code == 404
    assert outsider.get(f"/api/v1/party/positions/{positions[0]['id']}/").status_code == 404


def test_api_coverage(party_cast, api):
    village = party_cast.area("东村")
    enterprise = make_enterprise(village)
    make_enterprise(village)
    make_org(village, kind="new_economic", host_enterprise=enterprise)
    body = api(party_cast.township_staff).get("/api/v1/party/coverage/?area=371522109000").json()
    assert body["area"] == "371522109000"
    assert body["totals"]["coverage"] == "50.0"
    child = next(c for c in body["children"] if c["area"] == village.code)
    assert child["enterprises"] == 2
    # a code outside the caller's scope falls back to the caller's own area
    outside = api(party_cast.village_staff).get("/api/v1/party/coverage/?area=371522106000").json()
    assert outside["area"] == village.code


def test_pages_org_detail_findings_terms_and_election(party_cast, client):
    org = make_org(party_cast.area("东村"), kind="new_economic")
    members(org, 2)
    person = make_person(org.area, name="张书记")
    client.login(username="village_staff", password=PASSWORD)
    page = client.get(f"/party/orgs/{org.pk}/").content.decode()
    assert "第四条" in page
    listing = client.get("/party/findings/").content.decode()
    assert org.name in listing
    posted = client.post(
        f"/party/orgs/{org.pk}/election/",
        {"elected_on": "2023-03-01", "secretary": person.pk, "secretary_from_management": "on"},
    )
    assert posted.status_code == 302
    term = OrgTerm.objects.get(org=org)
    page = client.get(f"/party/orgs/{org.pk}/").content.decode()
    assert "张书记" in page and str(term.expires_on.year) in page
    bad = client.post(f"/party/orgs/{org.pk}/election/", {"elected_on": "2022-01-01"})
    assert bad.status_code == 400 and OrgTerm.objects.filter(org=org).count() == 1
    assert client.get("/party/terms/?status=attention").status_code == 200
    assert client.get("/party/coverage/").status_code == 200
    client.login(username="outsider", password=PASSWORD)
    assert client.get(f"/party/orgs/{org.pk}/").status_code == 404
    assert client.get(f"/party/orgs/{org.pk}/election/").status_code == 404
    assert org.name not in client.get("/party/findings/").content.decode()


def test_terms_page_lists_due_and_overdue_latest_terms(party_cast, client):
    from django.utils import timezone

    today = timezone.localdate()
    village = party_cast.area("东村")
    overdue = make_term(village, org=make_org(village, name="逾期党支部"), elected_on=add_months(today, -37))
    due = make_term(village, org=make_org(village, name="将届满党支部"), elected_on=add_months(today, -34))
    current = make_term(village, org=make_org(village, name="正常党支部"), elected_on=add_months(today, -12))
    renewed_org = make_org(village, name="已换届党支部")
    make_term(village, org=renewed_org, elected_on=add_months(today, -40))
    make_term(village, org=renewed_org, elected_on=add_months(today, -4))
    client.login(username="village_staff", password=PASSWORD)

    def listed(status):
        page = client.get(f"/party/terms/?status={status}").content.decode()
        return {name for name in ("逾期党支部", "将届满党支部", "正常党支部", "已换届党支部") if name in page}

    assert listed("overdue") == {"逾期党支部"}
    assert listed("due") == {"将届满党支部"}
    assert listed("attention") == {"逾期党支部", "将届满党支部"}
    assert listed("latest") == {"逾期党支部", "将届满党支部", "正常党支部", "已换届党支部"}
    assert overdue.expires_on < today <= due.expires_on < current.expires_on


def test_org_form_goes_through_the_service(party_cast, client):
    village = party_cast.area("东村")
    committee_org = make_org(village, level="committee")
    client.login(username="village_staff", password=PASSWORD)
    refused = client.post(
        "/party/orgs/add/",
        {"name": "第一党小组", "level": "group", "kind": "village", "area": village.pk, "parent": committee_org.pk},
    )
    assert refused.status_code == 400
    assert "branch" in refused.content.decode() and not PartyOrg.objects.filter(name="第一党小组").exists()
    created = client.post(
        "/party/orgs/add/",
        {
            "name": "东村第二党支部",
            "level": "branch",
            "kind": "village",
            "area": village.pk,
            "parent": committee_org.pk,
        },
    )
    assert created.status_code == 302
    org = PartyOrg.objects.get(name="东村第二党支部")
    assert client.get(f"/party/orgs/?level=branch&area={village.code}").content.decode().count("东村第二党支部") == 1
    assert "东村第二党支部" not in client.get("/party/orgs/?level=committee").content.decode()
    assert client.get(f"/party/orgs/{org.pk}/history/").status_code == 200
