"""The county overview widget: counts per child area from one GROUP BY, drill-down, scope."""

import pytest
from django.test import RequestFactory

from jiceng.core.dashboard import widgets_for
from jiceng.core.testing import make_id_number
from jiceng.directory.dashboard import overview
from jiceng.directory.services import do_create_person

pytestmark = pytest.mark.django_db


def _people(area, count, start):
    for i in range(count):
        do_create_person(
            data={"name": f"人{start + i}", "id_number": make_id_number("19800101", start + i), "area": area},
            acting_user=None,
        )


def _request(user, **params):
    request = RequestFactory().get("/dashboard/", params)
    request.user = user
    return request


def test_counts_per_township_for_the_county_admin(cast):
    _people(cast.area("东村"), 3, 1)
    _people(cast.area("西村"), 2, 10)
    _people(cast.area("南村"), 4, 20)
    data = overview(_request(cast.county_admin))
    rows = {r["name"]: r["persons"] for r in data["rows"]}
    assert rows == {"燕店镇": 5, "古云镇": 4}
    assert data["totals"]["persons"] == 9
    assert data["root"].name == "莘县"


def test_drill_down_into_a_township_counts_villages(cast):
    _people(cast.area("东村"), 3, 1)
    _people(cast.area("西村"), 2, 10)
    data = overview(_request(cast.county_admin, area="371522109000"))
    assert {r["name"]: r["persons"] for r in data["rows"]} == {"东村": 3, "西村": 2}
    assert data["parent"].name == "莘县"


def test_township_user_sees_only_their_township_even_when_asking_for_the_county(cast):
    _people(cast.area("东村"), 3, 1)
    _people(cast.area("南村"), 4, 20)
    data = overview(_request(cast.township_staff, area="371522000000"))
    assert data["root"].name == "燕店镇"
    assert data["totals"]["persons"] == 3
    assert data["parent"] is None  # the county is outside their scope: no "up" link


def test_counts_are_one_query_per_figure(cast, django_assert_max_num_queries):
    _people(cast.area("东村"), 3, 1)
    request = _request(cast.county_admin)
    overview(request)  # warm the user's grant cache
    with django_assert_max_num_queries(6):
        overview(request)


def test_user_without_directory_permission_gets_no_widget(cast):
    from jiceng.accounts.services import do_create_user

    nobody = do_create_user(
        username="nobody", password="x" * 12, area_code="371522000000", role_keys=[], check_password=False
    )
    assert widgets_for(_request(nobody)) == []
