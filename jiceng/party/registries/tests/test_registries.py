"""Registry rules: fund use, pairing sides, contest scoring, instructors' monthly visits; API scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiceng.core.errors import InvalidInput
from jiceng.party.members.services import GuardFailed
from jiceng.party.registries import models as m
from jiceng.party.registries import services
from jiceng.party.registries.tests.factories import contest, enterprise, instructor
from jiceng.party.testing import make_org, make_person

D = dt.date


@pytest.fixture
def park(party_cast):
    return make_org(party_cast.area("燕店镇"), level="working_committee", kind="park")


def book(park, amount, **fields):
    data = {
        "org": park,
        "area": park.area,
        "booked_on": D(2026, 3, 1),
        "amount": Decimal(amount),
        "description": "经费",
        **fields,
    }
    return services.do_create(m.FundEntry, data=data, acting_user=None)


def test_fund_is_spent_on_party_activities_only_and_never_below_zero(party_cast, park):
    book(park, "5000", income_source="dues_refund")
    with pytest.raises(GuardFailed) as refused:
        book(park, "-100", use="other", description="购买办公家具")
    assert refused.value.reasons[0].policy_key == "party.registries.fund_party_use_only"
    book(park, "-4000", use="party_activity", description="主题党日活动")
    book(park, "-1000", use="red_allowance", description="党务工作者红色津贴", payee="张某")
    assert services.fund_balance(park) == 0
    with pytest.raises(InvalidInput, match="0"):
        book(park, "-0.01", use="party_activity")
    with pytest.raises(InvalidInput):
        book(park, "100")  # income without a source


def test_pairing_sides_and_once(party_cast):
    area = party_cast.area("东村")
    company, village = make_org(area, kind="new_economic"), make_org(area, kind="village")
    data = {"area": area, "enterprise_branch": company, "village_branch": village, "started_on": D(2026, 1, 1)}
    services.do_create(m.BranchPairing, data=data, acting_user=None)
    with pytest.raises(InvalidInput):
        services.do_create(m.BranchPairing, data=data, acting_user=None)
    with pytest.raises(InvalidInput):
        services.do_create(
            m.BranchPairing, data={**data, "enterprise_branch": village, "village_branch": company}, acting_user=None
        )


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({"甲": 90, "乙": 80, "丙": 70, "丁": 60}, Decimal("75.00")),  # 4 jurors: plain mean
        ({"甲": 100, "乙": 80, "丙": 80, "丁": 80, "戊": 0}, Decimal("80.00")),  # 5: extremes dropped
    ],
)
def test_contest_scores(party_cast, scores, expected):
    held = contest(party_cast.area("燕店镇"))
    entry = services.do_create(
        m.ContestEntry, data={"contest": held, "contestant": make_person(held.area), "scores": scores}, acting_user=None
    )
    assert services.entry_score(entry)[0] == expected
    with pytest.raises(InvalidInput):
        services.do_create(
            m.ContestEntry,
            data={"contest": held, "contestant": make_person(held.area), "scores": {"甲": 101}},
            acting_user=None,
        )


def test_instructors_without_a_visit_last_month(party_cast):
    area = party_cast.area("燕店镇")
    visited, idle = instructor(area), instructor(area)
    m.InstructorVisit.objects.create(
        instructor=visited, enterprise=enterprise(area), visited_on=D(2026, 10, 20), content="指导"
    )
    m.InstructorVisit.objects.create(
        instructor=idle, enterprise=enterprise(area), visited_on=D(2026, 9, 30), content="指导"
    )
    overdue = services.instructors_without_visit(m.Instructor.objects.all(), on=D(2026, 11, 22))
    assert [i for i, _last in overdue] == [idle]


def test_registry_api_scope(party_cast, api):
    site = m.PropagandaSite.objects.create(
        area=party_cast.area("东村"), name="党建主题公园", location="村委会", themes="党史"
    )
    assert api(party_cast.township_viewer).get(f"/api/v1/party/propaganda-sites/{site.pk}/").status_code == 200
    assert api(party_cast.outsider).get(f"/api/v1/party/propaganda-sites/{site.pk}/").status_code == 404
    refused = api(party_cast.village_staff).post(
        "/api/v1/party/propaganda-sites/",
        {"area": party_cast.area("南村").pk, "name": "x", "location": "y", "themes": "z"},
        format="json",
    )
    assert refused.status_code == 400 and not m.PropagandaSite.objects.filter(name="x").exists()


def test_index_page(party_cast, client):
    from jiceng.core.testing import PASSWORD

    client.login(username="township_staff", password=PASSWORD)
    assert client.get("/party/registries/").status_code == 200
