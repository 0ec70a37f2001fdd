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
