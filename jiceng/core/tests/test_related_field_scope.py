"""Foreign keys a serializer builds itself accept only objects the caller may view.

Without this, a township editor could attach a record to an object of the sibling township
by its id (and learn by trial which ids exist there).
"""

from __future__ import annotations

from django.urls import reverse

from jiceng.directory.models import Unit
from jiceng.directory.tests.factories import make_unit


def test_create_with_a_parent_outside_the_subtree_is_refused(cast, api) -> None:
    foreign = make_unit(cast.area("古云镇"))
    count = Unit.objects.count()
    response = api(cast.township_staff).post(
        reverse("unit-list"), {"name": "燕店镇农业站", "area": "371522109000", "parent": foreign.pk}, format="json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and "parent" in body["errors"]
    assert Unit.objects.count() == count


def test_parent_inside_the_subtree_is_accepted(cast, api) -> None:
    own = make_unit(cast.area("燕店镇"))
    response = api(cast.township_staff).post(
        reverse("unit-list"), {"name": "东村服务站", "area": "371522109201", "parent": own.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Unit.objects.get(pk=response.json()["id"]).parent_id == own.pk


def test_update_to_a_parent_outside_the_subtree_is_refused(cast, api) -> None:
    own, foreign = make_unit(cast.area("燕店镇")), make_unit(cast.area("古云镇"))
    response = api(cast.township_staff).patch(
        reverse("unit-detail", args=[own.pk]), {"parent": foreign.pk}, format="json"
    )
    assert response.status_code == 400, response.content
    own.refresh_from_db()
    assert own.parent_id is None
