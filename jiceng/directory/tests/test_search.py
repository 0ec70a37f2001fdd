import pytest

from jiceng.core.testing import PASSWORD, make_id_number
from jiceng.directory.services import do_create_person

pytestmark = pytest.mark.django_db


def test_search_finds_only_within_scope(cast, client):
    do_create_person(
        data={"name": "王小明", "id_number": make_id_number("19800101", 1), "area": cast.area("东村")}, acting_user=None
    )
    do_create_person(
        data={"name": "王小红", "id_number": make_id_number("19800101", 2), "area": cast.area("南村")}, acting_user=None
    )
    client.login(username="township_staff", password=PASSWORD)
    html = client.get("/search/", {"q": "王小"}).content.decode()
    assert "王小明" in html
    assert "王小红" not in html
    client.login(username="outsider", password=PASSWORD)
    html = client.get("/search/", {"q": "王小"}).content.decode()
    assert "王小红" in html
    assert "王小明" not in html


def test_search_requires_login(client):
    response = client.get("/search/", {"q": "x"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_more_link_escapes_the_query(cast):
    from jiceng.core.views.search import RESULTS_PER_MODEL, search_results

    for i in range(RESULTS_PER_MODEL + 1):
        do_create_person(
            data={"name": f"A&B#{i}", "id_number": make_id_number("19800101", 100 + i), "area": cast.area("东村")},
            acting_user=None,
        )
    group = next(g for g in search_results(cast.township_staff, "A&B#") if g["more"])
    assert group["list_url"].endswith("?q=A%26B%23")
