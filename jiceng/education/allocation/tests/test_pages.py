"""The pages render for the bureau and show the explanation."""

import pytest
from django.test import Client

from jiceng.education.allocation import services
from jiceng.education.allocation.tests.factories import make_intake

pytestmark = pytest.mark.django_db


def test_pages(county):
    cast = county["cast"]
    a, b, _c = county["schools"]
    run = services.do_create_run(
        area=cast.area("莘县"),
        year=2026,
        grade=1,
        acting_user=None,
        seed=3,
        applicants=[
            {"name": f"童{i}", "home_area": cast.area("东村").pk, "preferences": [a.pk, b.pk]} for i in range(4)
        ],
    )
    what_if = services.do_create_what_if(run, acting_user=None, capacity_overrides={str(a.pk): 0})
    make_intake(a.area, school=a, year=2018, grade=1, admitted=10)
    make_intake(a.area, school=a, year=2020, grade=1, admitted=25)
    web = Client()
    web.force_login(cast.county_admin)
    for url in [
        "/education/allocation/zones/",
        f"/education/allocation/zones/{county['zones'][0].pk}/",
        "/education/allocation/plans/",
        f"/education/allocation/plans/{county['plans'][a].pk}/",
        "/education/allocation/runs/",
        f"/education/allocation/runs/{run.pk}/",
        "/education/allocation/runs/new/",
        f"/education/allocation/runs/{what_if.pk}/compare/",
        "/education/allocation/intake/",
    ]:
        assert web.get(url).status_code == 200, url
    page = web.get(f"/education/allocation/runs/{what_if.pk}/results/").content.decode()
    assert "full" in page or "满" in page or "no seats" in page or "未安排" in page
    trends = web.get("/education/allocation/intake/trends/", {"location": "rural", "grade": 1})
    assert trends.status_code == 200 and "150.0%" in trends.content.decode()
    assert web.post(f"/education/allocation/runs/{run.pk}/publish/").status_code == 302
    run.refresh_from_db()
    assert run.state == "published"
    outsider = Client()
    outsider.force_login(cast.outsider)
    assert outsider.get(f"/education/allocation/runs/{run.pk}/results/").status_code == 404
