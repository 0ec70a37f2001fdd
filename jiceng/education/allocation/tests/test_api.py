"""The API contract: POST a run, results with explanations, publish, refusals, scope."""

import pytest
from rest_framework.test import APIClient

from jiceng.core.policies.services import get_policy
from jiceng.education.allocation.models import AllocationRun, Placement
from jiceng.education.allocation.tests.factories import make_run

pytestmark = pytest.mark.django_db
URL = "/api/v1/education/allocations/"


def client(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def body(county, count=6):
    a, b, _c = county["schools"]
    return {
        "area": "371522000000",
        "year": 2026,
        "grade": 1,
        "seed": 42,
        "applicants": [
            {"name": f"童{i}", "home_area": "371522109201", "preferences": [a.pk, b.pk], "is_policy_care": i == 0}
            for i in range(count)
        ],
    }


def test_post_run_results_and_publish(county):
    api = client(county["cast"].county_admin)
    response = api.post(URL, body(county), format="json")
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["state"] == "draft" and run["seed"] == 42 and run["applicant_count"] == 6
    assert run["placed_count"] + run["unplaced_count"] == 6
    results = api.get(f"{URL}{run['id']}/results/").json()
    assert results["count"] == 6
    row = results["results"][0]
    assert {"school", "tier", "lottery", "choice", "via", "passed_over"} <= set(row)
    assert api.get(f"{URL}{run['id']}/results/", {"unplaced": "true"}).json()["count"] == run["unplaced_count"]
    published = api.post(f"{URL}{run['id']}/publish/", {}, format="json")
    assert published.status_code == 200 and published.json()["state"] == "published"
    second = api.post(URL, body(county), format="json").json()
    refused = api.post(f"{URL}{second['id']}/publish/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "guard_failed"
    what_if = api.post(
        URL, {"base_run": run["id"], "capacity_overrides": {str(county["schools"][0].pk): 1}}, format="json"
    )
    assert what_if.status_code == 201 and what_if.json()["base_run"] == run["id"]
    moves = api.get(f"{URL}{what_if.json()['id']}/compare/", {"with": run["id"]})
    assert moves.status_code == 200


def test_bad_input_is_400_and_writes_nothing(county):
    api = client(county["cast"].county_admin)
    data = body(county)
    limit = get_policy("education.allocation.max_preferences", area_path="").value
    data["applicants"][0]["preferences"] = list(range(1, limit + 2))
    assert api.post(URL, data, format="json").status_code == 400
    assert api.post(URL, {"year": 2026}, format="json").status_code == 400
    assert not AllocationRun.objects.exists() and not Placement.objects.exists()


def test_outsider_gets_404(county):
    cast = county["cast"]
    run = make_run(cast.area("燕店镇"))
    api = client(cast.outsider)
    assert api.get(f"{URL}{run.pk}/").status_code == 404
    assert api.get(f"{URL}{run.pk}/results/").status_code == 404
    assert api.post(f"{URL}{run.pk}/publish/", {}, format="json").status_code == 404
    assert run.pk not in [r["id"] for r in api.get(URL).json()["results"]]
    # nor may the outsider run a cohort of another township
    data = body(county)
    data["area"] = "371522109000"
    assert api.post(URL, data, format="json").status_code == 400  # the area does not exist for them


def test_plans_and_zones_and_intake(county):
    api = client(county["cast"].county_admin)
    plans = api.get("/api/v1/education/enrolment-plans/").json()["results"]
    cap = get_policy("education.class_size_cap", area_path=county["schools"][0].area.path).value
    assert {p["capacity"] for p in plans} == {cap}
    zones = api.get("/api/v1/education/catchment-zones/").json()["results"]
    assert len(zones) == 3 and all(z["villages"] for z in zones)
    a = county["schools"][0]
    made = api.post(
        "/api/v1/education/intake-records/", {"school": a.pk, "year": 2020, "grade": 1, "admitted": 40}, format="json"
    )
    assert made.status_code == 201, made.content
    bad = api.post(
        "/api/v1/education/catchment-zones/",
        {
            "name": "错",
            "area": "371522000000",
            "kind": "single",
            "grade": 1,
            "schools": [a.pk],
            "villages": [county["cast"].area("燕店镇").pk],
        },
        format="json",
    )
    assert bad.status_code == 400  # a township is not a village
