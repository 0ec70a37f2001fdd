"""Audit: every write via API and UI leaves an entry with actor, request id and before/after; append-only."""

from __future__ import annotations

import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from jiceng.core.models import AuditEntry
from jiceng.core.testing import make_id_number
from jiceng.directory.models import Person
from jiceng.directory.tests.factories import make_person

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql" or "postgres" in os.environ.get("JICENG_TEST_DATABASE_URL", "")


def _entries(obj_or_pk, action):
    pk = getattr(obj_or_pk, "pk", obj_or_pk)
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Person), object_id=str(pk), action=action
        )
    )


class TestApiWritesAreAudited:
    def test_create_update_delete(self, cast, api):
        client = api(cast.township_staff)
        id_number = make_id_number("19900101", 131)
        response = client.post(
            "/api/v1/persons/", {"name": "赵六", "id_number": id_number, "area": "371522109201"}, format="json"
        )
        assert response.status_code == 201
        pk = response.json()["id"]
        [created] = _entries(pk, "create")
        assert created.actor == cast.township_staff
        assert created.actor_repr == "township_staff"
        assert created.request_id == response["X-Request-ID"] != ""
        assert created.before is None
        assert created.after["name"] == "赵六" and created.after["id_number"] == id_number
        assert created.area_path == cast.area("东村").path

        response = client.patch(f"/api/v1/persons/{pk}/", {"name": "赵六六"}, format="json", HTTP_X_REQUEST_ID="req-42")
        assert response.status_code == 200
        assert response["X-Request-ID"] == "req-42"
        [updated] = _entries(pk, "update")
        assert updated.request_id == "req-42"
        assert (updated.before["name"], updated.after["name"]) == ("赵六", "赵六六")
        changed = {f for f, _, _ in updated.changed_fields()}
        assert "name" in changed
        assert not changed & {"id_number", "area_id", "phone"}

        response = client.delete(f"/api/v1/persons/{pk}/")
        assert response.status_code == 204
        [deleted] = _entries(pk, "delete")
        assert deleted.request_id == response["X-Request-ID"]
        assert deleted.before["name"] == "赵六六" and deleted.after is None
        assert not Person.objects.filter(pk=pk).exists()

    def test_unchanged_update_writes_no_entry(self, cast, api):
        person = make_person(cast.area("东村"))
        response = api(cast.township_staff).patch(f"/api/v1/persons/{person.pk}/", {"name": person.name}, format="json")
        assert response.status_code == 200
        assert _entries(person, "update") == []


class TestUiWritesAreAudited:
    def test_create_update_delete_and_history(self, cast, client):
        client.force_login(cast.township_staff)
        id_number = make_id_number("19920202", 141)
        area = cast.area("东村")
        response = client.post(
            "/directory/persons/add/",
            {"name": "钱七", "id_number": id_number, "area": area.pk, "phone": "", "address": ""},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        person = Person.objects.get(id_number=id_number)
        [created] = _entries(person, "create")
        assert created.actor == cast.township_staff
        assert created.request_id == response["X-Request-ID"]

        response = client.post(
            f"/directory/persons/{person.pk}/edit/",
            {"name": "钱七七", "id_number": id_number, "area": area.pk, "phone": "13800000000", "address": ""},
        )
        assert response.status_code == 302
        [updated] = _entries(person, "update")
        assert updated.request_id == response["X-Request-ID"]
        assert (updated.before["phone"], updated.after["phone"]) == ("", "13800000000")

        history = client.get(f"/directory/persons/{person.pk}/history/").content.decode()
        assert "钱七七" in history and "13800000000" in history
        assert history.count("township_staff") >= 2

        response = client.post(f"/directory/persons/{person.pk}/delete/")
        assert response.status_code == 302
        [deleted] = _entries(person, "delete")
        assert deleted.request_id == response["X-Request-ID"]
        assert deleted.before["name"] == "钱七七"

    def test_history_masks_id_number_for_viewers(self, cast, client):
        person = make_person(cast.area("东村"))
        client.force_login(cast.township_viewer)
        history = client.get(f"/directory/persons/{person.pk}/history/")
        assert history.status_code == 200
        page = history.content.decode()
        assert person.id_number not in page
        assert person.masked_id_number in page
        client.force_login(cast.township_staff)
        assert person.id_number in client.get(f"/directory/persons/{person.pk}/history/").content.decode()

    def test_invalid_form_writes_nothing(self, cast, client):
        client.force_login(cast.township_staff)
        before = (Person.objects.count(), AuditEntry.objects.count())
        response = client.post(
            "/directory/persons/add/",
            {"name": "错号", "id_number": "371522199001011230", "area": cast.area("东村").pk},
        )
        assert response.status_code == 400
        assert (Person.objects.count(), AuditEntry.objects.count()) == before


class TestAppendOnly:
    def test_model_refuses_update_and_delete(self, cast):
        entry = AuditEntry.objects.first()
        assert entry is not None
        entry.comment = "tampered"
        with pytest.raises(TypeError):
            entry.save()
        with pytest.raises(TypeError):
            entry.delete()
        with pytest.raises(TypeError):
            AuditEntry.objects.filter(pk=entry.pk).update(comment="tampered")
        with pytest.raises(TypeError):
            AuditEntry.objects.filter(pk=entry.pk).delete()

    def test_update_trigger_refuses_raw_sql(self, cast):
        entry = AuditEntry.objects.first()
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditentry SET comment = 'tampered' WHERE id = %s", [entry.pk])
        assert AuditEntry.objects.get(pk=entry.pk).comment == entry.comment

    @pytest.mark.postgres
    @pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (JICENG_TEST_DATABASE_URL)")
    def test_postgres_triggers_refuse_update_and_delete(self, cast):
        entry = AuditEntry.objects.first()
        for sql in (
            "UPDATE core_auditentry SET comment = 'tampered' WHERE id = %s",
            "DELETE FROM core_auditentry WHERE id = %s",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
        assert AuditEntry.objects.filter(pk=entry.pk, comment=entry.comment).exists()
