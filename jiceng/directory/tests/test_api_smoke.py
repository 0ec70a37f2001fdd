import pytest

from jiceng.core.testing import make_id_number

pytestmark = pytest.mark.django_db


def test_create_person_derives_sex_and_birth_date(cast, api):
    response = api(cast.township_staff).post(
        "/api/v1/persons/",
        {"name": "张三", "id_number": make_id_number("19900101", 123), "area": "371522109201"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sex"] == "male"
    assert body["birth_date"] == "1990-01-01"
    assert isinstance(body["id"], int)
