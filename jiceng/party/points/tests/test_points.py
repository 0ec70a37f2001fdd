"""Points and grades (笑脸积分) and star ratings: cut-offs, evidence, recorder, appeals, quotas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiceng.core.errors import InvalidInput
from jiceng.core.scoring.models import PointsEntry
from jiceng.party.members.services import GuardFailed
from jiceng.party.points import services
from jiceng.party.points.models import PointsRule, StarRating
from jiceng.party.testing import make_member, make_org

D = dt.date


@pytest.fixture
def branch(party_cast):
    township = party_cast.area("燕店镇")
    PointsRule.objects.create(area=township, code="A1", name="参加主题党日", points=Decimal(5))
    PointsRule.objects.create(area=township, code="A2", name="志愿服务", points=Decimal(10), evidence_required=True)
    PointsRule.objects.create(area=township, code="B1", name="无故缺席组织生活", points=Decimal(-10))
    PointsRule.objects.create(area=township, code="T1", name="镇级表彰", points=Decimal(20), recorder="township")
    return make_org(party_cast.area("东村"))


def record(api, user, member, rule, evidence="", period="2026"):
    return api(user).post(
        "/api/v1/party/points/",
        {"member": member.pk, "rule": rule, "period": period, "evidence": evidence},
        format="json",
    )


@pytest.mark.parametrize(
    ("rules", "points", "grade", "face"),
    [
        ([], "60", "qualified", "neutral"),  # the base points (policy), exactly the qualified cut-off
        (["B1"], "50", "unqualified", "frown"),
        (["A1"] * 5 + ["A2", "A2"], "105", "excellent", "smile"),
        (["A1"] * 5 + ["A2"], "95", "excellent", "smile"),
        (["A1"] * 5, "85", "qualified", "neutral"),
        (["A1"] * 6, "90", "excellent", "smile"),  # exactly the excellent cut-off
    ],
)
def test_grade_and_face_from_policy_cut_offs(party_cast, api, branch, rules, points, grade, face):
    member = make_member(branch)
    for code in rules:
        response = record(api, party_cast.village_staff, member, code, evidence="照片 2026-05-01")
        assert response.status_code == 201, response.json()
    body = api(party_cast.township_viewer).get(f"/api/v1/party/members/{member.pk}/grade/?year=2026").json()
    assert (Decimal(body["points"]), body["grade"], body["face"]) == (Decimal(points), grade, face)


def test_evidence_and_recorder_rules_refuse_and_write_nothing(party_cast, api, branch):
    member = make_member(branch)
    no_evidence = record(api, party_cast.village_staff, member, "A2")
    assert no_evidence.status_code == 409 and no_evidence.json()["reasons"][0]["policy"] == "points:A2"
    village_level = record(api, party_cast.village_staff, member, "T1", evidence="表彰文件")
    assert village_level.status_code == 409
    assert not PointsEntry.objects.exists()
    township_level = record(api, party_cast.township_staff, member, "T1", evidence="表彰文件")
    assert township_level.status_code == 201, township_level.json()


def test_upheld_appeal_reverses_the_entry(party_cast, api, branch):
    member = make_member(branch)
    entry = record(api, party_cast.village_staff, member, "B1").json()
    appeal = api(party_cast.village_staff).post(
        "/api/v1/party/points-appeals/", {"entry": entry["id"], "reason": "当天请假并已补课"}, format="json"
    )
    assert appeal.status_code == 201, appeal.json()
    decided = api(party_cast.township_staff).post(
        f"/api/v1/party/points-appeals/{appeal.json()['id']}/decide/",
        {"uphold": True, "decision": "请假属实"},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "upheld"
    assert services.balance(member, 2026) == Decimal(60)
    assert PointsEntry.objects.count() == 2  # the entry and its reversal; nothing edited
    again = api(party_cast.township_staff).post(
        f"/api/v1/party/points-appeals/{appeal.json()['id']}/decide/",
        {"uphold": True, "decision": "再次"},
        format="json",
    )
    assert again.status_code == 400


def test_points_of_another_township_are_invisible(party_cast, api, branch):
    member = make_member(branch)
    record(api, party_cast.village_staff, member, "A1")
    assert api(party_cast.outsider).get("/api/v1/party/points/").json()["results"] == []
    assert api(party_cast.outsider).get(f"/api/v1/party/members/{member.pk}/grade/").status_code == 404


def test_my_points_shows_only_the_signed_in_member(party_cast, client, branch):
    from jiceng.core.testing import PASSWORD

    member = make_member(branch)
    user = party_cast.township_viewer
    user.person = member.person
    user.save(update_fields=["person"])
    client.login(username="township_viewer", password=PASSWORD)
    page = client.get("/party/points/mine/?year=2026")
    assert page.status_code == 200 and member.person.name in page.content.decode()
    client.login(username="village_staff", password=PASSWORD)
    assert client.get("/party/points/mine/").status_code == 404


# --- star ratings --------------------------------------------------------------------------------
FULL = {"A": 15, "B": 15, "C": 10, "D": 15, "E": 10, "F": 20, "G": 15, "H": 10}


def scores(total_minus=0):
    """The full sheet less ``total_minus`` points, taken from the criteria in turn."""
    values = dict(FULL)
    for code in values:
        cut = min(values[code], total_minus)
        values[code] -= cut
        total_minus -= cut
    return values


def evidence():
    return dict.fromkeys(FULL, "台账")


def test_rating_only_in_the_first_quarter_for_last_year(party_cast, branch):
    with pytest.raises(GuardFailed, match="2026"):
        services.do_rate(branch, year=2025, scores=scores(), evidence=evidence(), acting_user=None, on=D(2026, 4, 1))
    rating = services.do_rate(
        branch, year=2025, scores=scores(20), evidence=evidence(), acting_user=None, on=D(2026, 3, 31)
    )
    assert rating.total == Decimal(90) and rating.band_stars == 5


def test_rating_needs_every_criterion_within_its_maximum_with_evidence(party_cast, branch):
    on = D(2026, 2, 1)
    with pytest.raises(InvalidInput, match="21"):
        services.do_rate(branch, year=2025, scores={**FULL, "F": 21}, evidence=evidence(), acting_user=None, on=on)
    with pytest.raises(InvalidInput, match="B"):
        services.do_rate(branch, year=2025, scores={"A": 10}, evidence=evidence(), acting_user=None, on=on)
    with pytest.raises(InvalidInput):
        services.do_rate(branch, year=2025, scores=FULL, evidence={}, acting_user=None, on=on)
    assert not StarRating.objects.exists()


@pytest.mark.parametrize(("minus", "stars"), [(20, 5), (21, 4), (30, 4), (31, 3), (40, 3), (41, 2), (50, 2), (51, 1)])
def test_score_bands(party_cast, branch, minus, stars):
    rating = services.do_rate(
        branch, year=2025, scores=scores(minus), evidence=evidence(), acting_user=None, on=D(2026, 2, 1)
    )
    assert rating.total == Decimal(110 - minus) and rating.band_stars == stars


def test_quotas_per_star_level_with_ties_going_down(party_cast):
    # 10 branches all scoring in the five-star band: ⌊10% × 10⌋ = 1 five-star, 3 four-star, 4 three-star.
    ratings = []
    for index, minus in enumerate([0, 1, 2, 3, 4, 5, 6, 7, 8, 8]):
        org = make_org(party_cast.area("东村"), name=f"支部{index}")
        ratings.append(
            services.do_rate(
                org, year=2025, scores=scores(minus), evidence=evidence(), acting_user=None, on=D(2026, 2, 1)
            )
        )
    awarded = services.do_award(ratings, acting_user=None, on=D(2026, 2, 1))
    stars = [r.stars for r in sorted(awarded, key=lambda r: -r.total)]
    assert stars == [5, 4, 4, 4, 3, 3, 3, 3, 2, 2]  # the tie at 102 points falls below the three-star quota together
    assert "10%" in next(r for r in awarded if r.stars == 4).explanation


def test_public_board_shows_names_points_and_faces_only(party_cast, api, branch, client):
    from django.utils import timezone

    from jiceng.core.publicpages.services import do_publish

    member = make_member(branch)
    record(api, party_cast.village_staff, member, "A1", period=str(timezone.localdate().year))
    page = do_publish(branch, acting_user=None)
    html = client.get(page.get_public_url()).content.decode()
    assert member.person.name in html and "65" in html and "😐" in html
    assert member.person.id_number not in html
