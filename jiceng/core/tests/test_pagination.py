"""The API paginator counts exactly up to a limit, then pages by look-ahead (docs/benchmarks.md)."""

from __future__ import annotations

import pytest

from jiceng.core.api.pagination import CappedCountPaginator
from jiceng.core.testing import make_id_number


@pytest.fixture
def persons(cast):
    from jiceng.directory.models import Person

    village = cast.area("东村")
    Person.objects.bulk_create(
        Person(name=f"居民{i}", id_number=make_id_number("19800101", i), area=village) for i in range(9)
    )
    return sorted(Person.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_exact_count_under_the_limit(api, cast, persons):
    body = api(cast.county_admin).get("/api/v1/persons/?page_size=4&page=3").json()
    assert body["count"] == 9
    assert body["count_exact"] is True
    assert [row["id"] for row in body["results"]] == persons[8:]
    assert body["next"] is None


@pytest.mark.django_db
def test_capped_count_pages_by_look_ahead(api, cast, persons, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "count_limit", 5)
    client = api(cast.county_admin)
    first = client.get("/api/v1/persons/?page_size=4").json()
    assert (first["count"], first["count_exact"]) == (5, False)
    assert [row["id"] for row in first["results"]] == persons[:4]
    assert "page=2" in first["next"]
    # page 3 lies beyond the capped count (5 rows = 2 pages) but holds the 9th row
    third = client.get("/api/v1/persons/?page_size=4&page=3").json()
    assert [row["id"] for row in third["results"]] == persons[8:]
    assert third["next"] is None
    assert "page=2" in third["previous"]
    assert client.get("/api/v1/persons/?page_size=4&page=4").status_code == 404
    assert client.get("/api/v1/persons/?page_size=4&page=x").status_code == 404
    # ?page=last asks for the true end, so it counts everything
    last = client.get("/api/v1/persons/?page_size=4&page=last").json()
    assert (last["count"], last["count_exact"]) == (9, True)
    assert [row["id"] for row in last["results"]] == persons[8:]


@pytest.mark.django_db
def test_capped_count_keeps_the_scope(api, cast, persons, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "count_limit", 5)
    body = api(cast.outsider).get("/api/v1/persons/").json()
    assert (body["count"], body["count_exact"], body["results"]) == (0, True, [])
