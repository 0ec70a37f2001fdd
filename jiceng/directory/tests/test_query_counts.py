"""Query-count guards: the person list (API and page) costs the same for 3 rows as for 30."""

from __future__ import annotations

import pytest

from jiceng.directory.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _fill(cast, n: int) -> None:
    villages = [cast.area("东村"), cast.area("西村")]
    for i in range(n):
        make_person(villages[i % 2])


def _count(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user", ["township_staff", "township_viewer"])
def test_person_list_api_is_constant(cast, api, django_assert_max_num_queries, user):
    client = api(getattr(cast, user))
    _fill(cast, 3)
    small = _count(lambda: client.get("/api/v1/persons/"))
    _fill(cast, 27)
    with django_assert_max_num_queries(small):
        response = client.get("/api/v1/persons/")
    assert len(response.json()["results"]) == 30
    with django_assert_max_num_queries(8):
        client.get("/api/v1/persons/")


@pytest.mark.parametrize("user", ["township_staff", "township_viewer"])
def test_person_list_page_is_constant(cast, client, django_assert_max_num_queries, user):
    client.force_login(getattr(cast, user))
    _fill(cast, 3)
    client.get("/directory/persons/")  # warm the session and content-type caches
    small = _count(lambda: client.get("/directory/persons/"))
    _fill(cast, 27)
    with django_assert_max_num_queries(small):
        response = client.get("/directory/persons/")
    assert response.content.decode().count('href="/directory/persons/') >= 30
    with django_assert_max_num_queries(15):
        client.get("/directory/persons/")


def test_person_export_is_constant(cast, client, django_assert_max_num_queries):
    client.force_login(cast.township_staff)
    _fill(cast, 3)
    client.get("/directory/persons/")
    small = _count(lambda: client.get("/directory/persons/", {"export": "xlsx"}))
    _fill(cast, 27)
    with django_assert_max_num_queries(small):
        client.get("/directory/persons/", {"export": "xlsx"})


def test_list_page_size_is_capped(cast, client, monkeypatch):
    from jiceng.core.views import generic
    from jiceng.directory.models import Person

    _fill(cast, 7)
    client.force_login(cast.township_staff)
    monkeypatch.setattr(generic, "MAX_PER_PAGE", 5)
    pages = [client.get("/directory/persons/", {"per_page": 1_000_000, "page": n}).content.decode() for n in (1, 2)]
    shown = [sum(f">{p.name}<" in page for p in Person.objects.all()) for page in pages]
    assert shown == [5, 2]
