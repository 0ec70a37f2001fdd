"""The API contract of issue 7: project fields, spending 201, monitoring numbers, watch list, flags;
400 with field errors and nothing written on bad input; 404 outside the caller's subtree."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from jiceng.core.policies.services import get_policy
from jiceng.finance import rules
from jiceng.finance.models import BudgetProject, KeyMark, Spending
from jiceng.finance.testing import add_spending, make_project, make_unit

pytestmark = pytest.mark.django_db
BASE = "/api/v1/finance"


def client(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def project_body(unit, **kw):
    body = {
        "name": "燕店镇道路硬化工程",
        "unit": unit.pk,
        "year": 2026,
        "budget": "1000000.00",
        "budget_type": "general_public",
        "funding_source": "county",
        "major": True,
        "incremental_policy": False,
    }
    body.update(kw)
    return body


def test_create_and_list_projects(finance_cast):
    unit = make_unit(finance_cast.area("燕店镇"), name="燕店镇人民政府")
    c = client(finance_cast.township_staff)
    response = c.post(f"{BASE}/projects/", project_body(unit), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    for name in ("name", "unit", "year", "budget", "budget_type", "funding_source", "major", "incremental_policy"):
        assert name in data
    assert data["budget"] == "1000000.00" and data["unit"] == unit.pk
    listed = c.get(f"{BASE}/projects/", {"year": 2026}).json()
    assert [p["id"] for p in listed["results"]] == [data["id"]]


@pytest.mark.parametrize(
    "change",
    [{"budget": "-5.00"}, {"budget_type": "nonsense"}, {"year": "abc"}, {"budget": "1.234"}],
)
def test_bad_project_input_is_400_and_writes_nothing(finance_cast, change):
    unit = make_unit(finance_cast.area("燕店镇"))
    response = client(finance_cast.township_staff).post(
        f"{BASE}/projects/", project_body(unit, **change), format="json"
    )
    assert response.status_code == 400
    assert set(change) <= set(response.json()["errors"])
    assert not BudgetProject.objects.exists()


def test_unit_outside_scope_is_400(finance_cast):
    foreign = make_unit(finance_cast.area("古云镇"), name="古云镇人民政府")
    response = client(finance_cast.township_staff).post(f"{BASE}/projects/", project_body(foreign), format="json")
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    assert not BudgetProject.objects.exists()


def test_spending_post_201_and_list(finance_cast):
    project = make_project(finance_cast.area("燕店镇"))
    c = client(finance_cast.township_staff)
    response = c.post(
        f"{BASE}/projects/{project.pk}/spending/", {"on": "2026-05-01", "amount": "1200.50"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "1200.50" and response.json()["on"] == "2026-05-01"
    rows = c.get(f"{BASE}/projects/{project.pk}/spending/").json()
    assert [r["amount"] for r in rows] == ["1200.50"]


@pytest.mark.parametrize(
    "body",
    [
        {"on": "2026-13-01", "amount": "10.00"},
        {"on": "2026-05-01", "amount": "-10.00"},
        {"on": "2026-05-01", "amount": "0"},
        {"on": "2025-12-31", "amount": "10.00"},  # outside the project year
        {"on": "2026-05-01", "amount": "10.001"},
    ],
)
def test_bad_spending_is_400_and_writes_nothing(finance_cast, body):
    project = make_project(finance_cast.area("燕店镇"))
    response = client(finance_cast.township_staff).post(f"{BASE}/projects/{project.pk}/spending/", body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) & {"on", "amount"}
    assert not Spending.objects.exists()


def test_spending_with_bad_asset_line_writes_nothing(finance_cast):
    project = make_project(finance_cast.area("燕店镇"))
    body = {"on": "2026-05-01", "amount": "100.00", "assets": [{"item": "打印机", "quantity": 0, "unit_price": "50"}]}
    response = client(finance_cast.township_staff).post(f"{BASE}/projects/{project.pk}/spending/", body, format="json")
    assert response.status_code == 400
    assert not Spending.objects.exists()


def test_viewer_cannot_add_spending(finance_cast):
    project = make_project(finance_cast.area("燕店镇"))
    response = client(finance_cast.township_viewer).post(
        f"{BASE}/projects/{project.pk}/spending/", {"on": "2026-05-01", "amount": "10.00"}, format="json"
    )
    assert response.status_code == 403
    assert not Spending.objects.exists()


def test_monitoring_json_numbers(finance_cast):
    county = finance_cast.area("莘县")
    project = make_project(make_unit(county, name="县住房和城乡建设局"), budget="1000000", major=True)
    add_spending(project, dt.date(2026, 5, 1), "120000")
    response = client(finance_cast.county_admin).get(f"{BASE}/projects/{project.pk}/monitoring/", {"on": "2026-07-31"})
    assert response.status_code == 200
    data = response.json()
    assert data["time_progress"] == 58.3 and data["execution_progress"] == 12.0 and data["lag_points"] == 46.3
    assert isinstance(data["time_progress"], float)
    limit = get_policy(rules.KEY_LAG_PP, area_path=county.path, on=dt.date(2026, 7, 31)).value
    assert data["key_monitoring"] is (Decimal("46.3") > limit)
    assert any("46.3" in r for r in data["reasons"])
    watch = client(finance_cast.county_admin).get(f"{BASE}/watchlist/", {"on": "2026-07-31"}).json()
    assert [e["project"] for e in watch["results"]] == [project.pk]
    assert watch["results"][0]["lag_points"] == 46.3


def test_monitoring_bad_date_is_400(finance_cast):
    project = make_project(finance_cast.area("燕店镇"))
    response = client(finance_cast.township_staff).get(
        f"{BASE}/projects/{project.pk}/monitoring/", {"on": "31/07/2026"}
    )
    assert response.status_code == 400 and "on" in response.json()["errors"]
    assert client(finance_cast.township_staff).get(f"{BASE}/watchlist/", {"on": "x"}).status_code == 400


def test_outsider_gets_404(finance_cast):
    project = make_project(finance_cast.area("燕店镇"))
    c = client(finance_cast.outsider)
    assert c.get(f"{BASE}/projects/{project.pk}/").status_code == 404
    assert c.get(f"{BASE}/projects/{project.pk}/monitoring/", {"on": "2026-07-31"}).status_code == 404
    assert (
        c.post(
            f"{BASE}/projects/{project.pk}/spending/", {"on": "2026-05-01", "amount": "1.00"}, format="json"
        ).status_code
        == 404
    )
    assert not Spending.objects.exists()
    assert c.get(f"{BASE}/watchlist/").json()["count"] == 0


def test_adjustments_disbursements_carry_overs_key_marks_flags(finance_cast):
    project = make_project(finance_cast.area("燕店镇"), budget="100000")
    c = client(finance_cast.township_staff)
    url = f"{BASE}/projects/{project.pk}"
    assert (
        c.post(
            f"{url}/adjustments/", {"on": "2026-03-01", "amount": "-5000.00", "kind": "reduction"}, format="json"
        ).status_code
        == 201
    )
    bad = c.post(f"{url}/adjustments/", {"on": "2026-03-01", "amount": "5000.00", "kind": "reduction"}, format="json")
    assert bad.status_code == 400 and "amount" in bad.json()["errors"]
    assert c.post(f"{url}/disbursements/", {"on": "2026-03-02", "amount": "5000.00"}, format="json").status_code == 201
    assert c.post(f"{url}/carry-overs/", {"on": "2026-07-31", "amount": "1000.00"}, format="json").status_code == 201
    assert c.post(f"{url}/spending/", {"on": "2026-04-01", "amount": "99000.00"}, format="json").status_code == 201
    mark = c.post(
        f"{BASE}/key-marks/",
        {"project": project.pk, "marked_on": "2026-04-01", "findings": True, "note": "审计发现"},
        format="json",
    )
    assert mark.status_code == 201 and mark.json()["criteria"] == ["findings"]
    other = make_project(finance_cast.area("燕店镇"))
    empty = c.post(f"{BASE}/key-marks/", {"project": other.pk, "marked_on": "2026-04-01"}, format="json")
    assert empty.status_code == 400 and KeyMark.objects.count() == 1
    flags = c.get(f"{BASE}/flags/", {"on": "2026-07-31"}).json()
    assert [f["kind"] for f in flags["results"]] == ["over_budget"]
    assert flags["results"][0]["amount"] == "4000.00"
