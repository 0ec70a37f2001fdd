"""Directory API: create, validation, subtree filters, scope conformance on writes, ID masking."""

from __future__ import annotations

import pytest

from jiceng.core.models import AuditEntry
from jiceng.core.testing import make_id_number
from jiceng.directory.identifiers import make_credit_code
from jiceng.directory.models import Area, Enterprise, Person
from jiceng.directory.tests.factories import make_person

pytestmark = pytest.mark.django_db

EAST_VILLAGE = "371522109201"  # 东村, under 燕店镇
SOUTH_VILLAGE = "371522106201"  # 南村, under the sibling township 古云镇


def _counts():
    return Person.objects.count(), Enterprise.objects.count(), AuditEntry.objects.count()


class TestPersonCreate:
    def test_create_returns_id_and_derived_fields(self, cast, api):
        id_number = make_id_number("19851231", 124)  # even sequence digit: female
        response = api(cast.township_staff).post(
            "/api/v1/persons/", {"name": "李四", "id_number": id_number, "area": EAST_VILLAGE}, format="json"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        person = Person.objects.get(pk=body["id"])
        assert (body["sex"], body["birth_date"]) == ("female", "1985-12-31")
        assert (person.sex, person.birth_date.isoformat()) == ("female", "1985-12-31")
        assert body["id_number"] == id_number  # an editor sees the full number
        assert body["area"] == EAST_VILLAGE

    def test_invalid_id_number_is_refused_and_nothing_written(self, cast, api):
        good = make_id_number("19900101", 123)
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # wrong check digit
        client = api(cast.township_staff)  # issuing the token is audited: count after it
        before = _counts()
        response = client.post(
            "/api/v1/persons/", {"name": "王五", "id_number": bad, "area": EAST_VILLAGE}, format="json"
        )
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert "id_number" in body["errors"]
        assert body["message"]
        assert _counts() == before

    def test_invalid_credit_code_names_the_field(self, cast, api):
        good = make_credit_code("91", "TEH00001")
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        client = api(cast.township_staff)  # issuing the token is audited: count after it
        before = _counts()
        response = client.post(
            "/api/v1/enterprises/", {"name": "某某公司", "credit_code": bad, "area": EAST_VILLAGE}, format="json"
        )
        assert response.status_code == 400, response.content
        assert "credit_code" in response.json()["errors"]
        assert _counts() == before
        ok = client.post(
            "/api/v1/enterprises/", {"name": "某某公司", "credit_code": good, "area": EAST_VILLAGE}, format="json"
        )
        assert ok.status_code == 201, ok.content


class TestFilters:
    def test_area_subtree_filter(self, cast, api):
        east = make_person(cast.area("东村"))
        west = make_person(cast.area("西村"))
        other = make_person(cast.area("南村"))
        client = api(cast.county_admin)
        ids = {row["id"] for row in client.get("/api/v1/persons/", {"area": EAST_VILLAGE}).json()["results"]}
        assert ids == {east.pk}
        ids = {row["id"] for row in client.get("/api/v1/persons/", {"area": "371522109000"}).json()["results"]}
        assert ids == {east.pk, west.pk}
        ids = {row["id"] for row in client.get("/api/v1/persons/").json()["results"]}
        assert {east.pk, west.pk, other.pk} <= ids
        assert client.get("/api/v1/persons/", {"area": "999999999999"}).json()["results"] == []

    def test_area_level_filter_and_lookup_by_code(self, cast, api):
        client = api(cast.county_admin)
        codes = {row["code"] for row in client.get("/api/v1/areas/", {"level": "township"}).json()["results"]}
        assert codes == {"371522109000", "371522106000"}
        response = client.get("/api/v1/areas/371522109000/")
        assert response.status_code == 200
        body = response.json()
        assert (body["name"], body["parent"], body["level"]) == ("燕店镇", "371522000000", "township")
        assert client.get("/api/v1/areas/371522199000/").status_code == 404


class TestWriteConformance:
    def test_create_outside_subtree_is_refused(self, cast, api):
        client = api(cast.township_staff)  # issuing the token is audited: count after it
        before = _counts()
        response = client.post(
            "/api/v1/persons/",
            {"name": "越界", "id_number": make_id_number("19900101", 125), "area": SOUTH_VILLAGE},
            format="json",
        )
        assert response.status_code in (400, 403)
        assert response.json()["code"]
        assert _counts() == before

    def test_move_to_sibling_township_is_refused(self, cast, api):
        person = make_person(cast.area("东村"))
        client = api(cast.township_staff)
        audit_before = AuditEntry.objects.count()
        response = client.patch(f"/api/v1/persons/{person.pk}/", {"area": SOUTH_VILLAGE}, format="json")
        assert response.status_code in (400, 403)
        assert response.json()["code"]
        person.refresh_from_db()
        assert person.area.code == EAST_VILLAGE
        assert AuditEntry.objects.count() == audit_before

    def test_move_by_county_admin_to_sibling_is_allowed(self, cast, api):
        person = make_person(cast.area("东村"))
        response = api(cast.county_admin).patch(f"/api/v1/persons/{person.pk}/", {"area": SOUTH_VILLAGE}, format="json")
        assert response.status_code == 200, response.content
        person.refresh_from_db()
        assert person.area.code == SOUTH_VILLAGE

    def test_village_staff_cannot_move_person_up_to_township(self, cast, api):
        """Conformance with a subtree that is *inside* the township: 燕店镇 itself is out of reach."""
        person = make_person(cast.area("东村"))
        response = api(cast.village_staff).patch(
            f"/api/v1/persons/{person.pk}/", {"area": "371522109000"}, format="json"
        )
        assert response.status_code in (400, 403)
        person.refresh_from_db()
        assert person.area.code == EAST_VILLAGE


class TestMasking:
    MASKED = "3715**********"

    def test_api_masks_for_viewer_only(self, cast, api):
        person = make_person(cast.area("东村"))
        viewer = api(cast.township_viewer).get(f"/api/v1/persons/{person.pk}/").json()
        assert viewer["id_number"] == f"{self.MASKED}{person.id_number[-4:]}"
        listed = api(cast.township_viewer).get("/api/v1/persons/").json()["results"]
        assert [row["id_number"] for row in listed] == [f"{self.MASKED}{person.id_number[-4:]}"]
        editor = api(cast.township_staff).get(f"/api/v1/persons/{person.pk}/").json()
        assert editor["id_number"] == person.id_number

    def test_pages_mask_for_viewer_only(self, cast, client):
        person = make_person(cast.area("东村"))
        masked = f"{self.MASKED}{person.id_number[-4:]}"
        client.force_login(cast.township_viewer)
        for url in ("/directory/persons/", f"/directory/persons/{person.pk}/"):
            page = client.get(url).content.decode()
            assert masked in page, url
            assert person.id_number not in page, url
        client.force_login(cast.township_staff)
        for url in ("/directory/persons/", f"/directory/persons/{person.pk}/"):
            assert person.id_number in client.get(url).content.decode(), url

    def test_id_number_filter_does_not_reveal_to_viewer(self, cast, api):
        person = make_person(cast.area("东村"))
        rows = api(cast.township_viewer).get("/api/v1/persons/", {"id_number": person.id_number}).json()["results"]
        assert [row["id_number"] for row in rows] == [f"{self.MASKED}{person.id_number[-4:]}"]


class TestUsersApi:
    def test_read_only_and_scoped(self, cast, api):
        client = api(cast.county_admin)
        names = {row["username"] for row in client.get("/api/v1/users/").json()["results"]}
        assert {"county_admin", "township_staff", "outsider"} <= names
        response = client.post("/api/v1/users/", {"username": "x"}, format="json")
        assert response.status_code == 405
        assert {"code", "message"} <= set(response.json())
        from jiceng.accounts.models import Role
        from jiceng.accounts.services import do_grant_role

        # outsider (directory_editor) may not list users at all; as admin over 古云镇 only that subtree
        assert api(cast.outsider).get("/api/v1/users/").status_code == 403
        do_grant_role(cast.outsider, role=Role.objects.get(key="admin"), area=cast.area("古云镇"), acting_user=None)
        names = {row["username"] for row in api(cast.outsider).get("/api/v1/users/").json()["results"]}
        assert "outsider" in names
        assert not names & {"township_staff", "township_viewer", "village_staff", "county_admin"}
        staff_id = cast.township_staff.pk
        assert api(cast.outsider).get(f"/api/v1/users/{staff_id}/").status_code == 404


class TestSchemaAndErrors:
    def test_schema_and_docs(self, cast, client):
        response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        assert "/api/v1/persons/" in response.content.decode()
        client.force_login(cast.county_admin)
        assert client.get("/api/docs/").status_code == 200

    def test_schema_generates_without_warnings(self):
        from drf_spectacular.generators import SchemaGenerator
        from drf_spectacular.validation import validate_schema

        schema = SchemaGenerator().get_schema(request=None, public=True)
        validate_schema(schema)
        assert "/api/v1/areas/{code}/" in schema["paths"]

    @pytest.mark.parametrize(
        ("method", "url", "status"),
        [
            ("get", "/api/v1/persons/999999/", 404),
            ("get", "/api/v1/areas/000000000000/", 404),
            ("post", "/api/v1/persons/", 400),
            ("delete", "/api/v1/users/1/", 405),
        ],
    )
    def test_error_json_has_code_and_message(self, cast, api, method, url, status):
        response = getattr(api(cast.county_admin), method)(url, {}, format="json")
        assert response.status_code == status
        body = response.json()
        assert isinstance(body["code"], str) and body["code"]
        assert isinstance(body["message"], str) and body["message"]

    def test_anonymous_error_json(self, api):
        body = api().get("/api/v1/persons/").json()
        assert body["code"] == "not_authenticated"
        assert body["message"]


def test_area_by_code_update_keeps_paths(cast, api):
    response = api(cast.county_admin).patch("/api/v1/areas/371522109202/", {"name": "西村二"}, format="json")
    assert response.status_code == 200, response.content
    area = Area.objects.get(code="371522109202")
    assert area.name == "西村二"
    assert area.path == "370000000000/371500000000/371522000000/371522109000/371522109202/"


def test_new_area_code_must_lie_under_its_parents_code(cast, api):
    client = api(cast.township_staff)
    count = Area.objects.count()
    response = client.post(
        "/api/v1/areas/", {"code": "371522106299", "name": "错码村", "parent": "371522109000"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "code" in response.json()["errors"]
    assert "371522109000" in response.json()["message"]
    assert Area.objects.count() == count
    ok = client.post(
        "/api/v1/areas/", {"code": "371522109299", "name": "新村", "parent": "371522109000"}, format="json"
    )
    assert ok.status_code == 201, ok.content


def test_changing_a_code_recomputes_the_level(cast, api):
    client = api(cast.county_admin)
    response = client.patch("/api/v1/areas/371522109202/", {"code": "371522110000"}, format="json")
    assert response.status_code == 400, response.content  # a township code under a township
    area = Area.objects.get(code="371522109202")
    assert area.level == "village"
    response = client.patch("/api/v1/areas/371522109202/", {"code": "371522109209"}, format="json")
    assert response.status_code == 200, response.content
    area = Area.objects.get(code="371522109209")
    assert (area.level, area.path.endswith("/371522109209/")) == ("village", True)


def test_changing_the_id_number_rederives_sex_and_birth_date(cast, api):
    person = make_person(cast.area("东村"), id_number=make_id_number("19900101", 123))
    assert (person.sex, str(person.birth_date)) == ("male", "1990-01-01")
    new = make_id_number("20010615", 124)
    response = api(cast.township_staff).patch(f"/api/v1/persons/{person.pk}/", {"id_number": new}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["sex"], response.json()["birth_date"]) == ("female", "2001-06-15")
    person.refresh_from_db()
    assert (person.sex, str(person.birth_date)) == ("female", "2001-06-15")


def test_duplicate_id_number_names_the_field(cast, api):
    person = make_person(cast.area("东村"))
    client = api(cast.township_staff)
    response = client.post(
        "/api/v1/persons/", {"name": "重号", "id_number": person.id_number, "area": EAST_VILLAGE}, format="json"
    )
    assert response.status_code == 400
    assert "id_number" in response.json()["errors"]
    assert Person.objects.count() == 1
