"""Registration completion by role and area, computed from the rows (and the overview page, the API)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from jiceng.safety.chemicals.selectors import registration_completion
from jiceng.safety.chemicals.tests.factories import make_product
from jiceng.safety.testing import make_profile

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 10)


@pytest.fixture
def registry(safety_cast):
    """燕店镇/东村: producers A (two registered products) and B (product unregistered), traders C
    (registered) and D (nothing); 燕店镇/西村: trader E (registered on 5 March), user F; 古云镇/南村:
    chemical/pharma G (registered)."""
    east, west, south = safety_cast.area("东村"), safety_cast.area("西村"), safety_cast.area("南村")
    a = make_profile(east, chemical_role="producer")
    make_product(east, enterprise=a.enterprise)
    make_product(
        east,
        enterprise=a.enterprise,
        name="液氯",
        cas_number="7782-50-5",
        un_number="1017",
        registration_number="R-A-2",
        registered_on=dt.date(2025, 1, 2),
    )
    b = make_profile(east, chemical_role="producer")
    make_product(east, enterprise=b.enterprise, registered=False)
    c = make_profile(east, chemical_role="trader")
    make_product(east, enterprise=c.enterprise)
    make_profile(east, chemical_role="trader")
    e = make_profile(west, chemical_role="trader")
    make_product(west, enterprise=e.enterprise, registered_on=dt.date(2026, 3, 5))
    f = make_profile(west, chemical_role="user")
    make_product(west, enterprise=f.enterprise)
    g = make_profile(south, chemical_role="chemical_pharma")
    make_product(south, enterprise=g.enterprise)
    make_profile(east)  # no chemical role: not counted
    return safety_cast


def by_role(data):
    return {row["role"]: (row["registered"], row["enterprises"], row["rate"]) for row in data["rows"]}


def test_completion_by_role_counts_enterprises_with_a_registered_product(registry):
    data = registration_completion(registry.county_admin, registry.area("莘县"), on=ON)
    assert by_role(data) == {
        "producer": (1, 2, Decimal("50.0")),
        "trader": (2, 3, Decimal("66.7")),
        "user": (1, 1, Decimal("100.0")),
        "chemical_pharma": (1, 1, Decimal("100.0")),
    }
    assert data["totals"] == {"enterprises": 7, "registered": 5, "rate": Decimal("71.4")}


def test_a_registration_counts_from_its_date(registry):
    before = registration_completion(registry.county_admin, registry.area("莘县"), on=dt.date(2026, 3, 4))
    assert by_role(before)["trader"] == (1, 3, Decimal("33.3"))
    on_the_day = registration_completion(registry.county_admin, registry.area("莘县"), on=dt.date(2026, 3, 5))
    assert by_role(on_the_day)["trader"] == (2, 3, Decimal("66.7"))


def test_completion_per_child_area_and_drill_down(registry):
    county = registration_completion(registry.county_admin, registry.area("莘县"), on=ON)
    children = {c["area"].name: (c["registered"], c["enterprises"]) for c in county["children"]}
    assert children == {"燕店镇": (4, 6), "古云镇": (1, 1)}
    township = registration_completion(registry.county_admin, registry.area("燕店镇"), on=ON)
    villages = {c["area"].name: (c["registered"], c["enterprises"], c["rate"]) for c in township["children"]}
    assert villages == {"东村": (2, 4, Decimal("50.0")), "西村": (2, 2, Decimal("100.0"))}


def test_completion_is_limited_to_what_the_user_may_see(registry):
    data = registration_completion(registry.township_staff, registry.area("莘县"), on=ON)
    assert data["totals"]["enterprises"] == 6  # 古云镇 is outside 燕店镇


def test_overview_page_and_drill_down(registry, client):
    client.force_login(registry.county_admin)
    page = client.get(reverse("safety_chemicals:overview"), {"area": registry.area("莘县").code}).content.decode()
    assert "71.4%" in page and "66.7%" in page
    assert f'href="?area={registry.area("燕店镇").code}"' in page
    assert 'data-chart="chart-safety-chemicals"' in page and 'id="chart-safety-chemicals"' in page
    drilled = client.get(reverse("safety_chemicals:overview"), {"area": registry.area("燕店镇").code}).content.decode()
    assert "东村" in drilled and "50.0%" in drilled
    client.force_login(registry.outsider)
    outside = client.get(reverse("safety_chemicals:overview"), {"area": registry.area("燕店镇").code}).content.decode()
    assert "古云镇" in outside and "东村" not in outside  # an area outside the scope falls back to one's own


def test_completion_api(registry, api):
    response = api(registry.county_admin).get(reverse("safety-chemical-registration"), {"area": "371522000000"})
    assert response.status_code == 200
    body = response.json()
    assert body["totals"] == {"enterprises": 7, "registered": 5, "rate": "71.4"}
    producer = next(r for r in body["rows"] if r["role"] == "producer")
    assert (producer["enterprises"], producer["registered"], producer["rate"]) == (2, 1, "50.0")
    assert {c["area"]: c["registered"] for c in body["children"]} == {"371522109000": 4, "371522106000": 1}
    assert api().get(reverse("safety-chemical-registration")).status_code == 401
