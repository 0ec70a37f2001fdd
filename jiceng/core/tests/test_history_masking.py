"""The history page shows audited values as the reader may see them: resident IDs masked for viewers."""

from __future__ import annotations

from django.urls import reverse

from jiceng.core.testing import make_id_number
from jiceng.directory.models import mask_id_number


def _person_with_history(cast, api) -> tuple[int, str]:
    client = api(cast.township_staff)
    id_number = make_id_number("19850312", 41)
    created = client.post(
        reverse("person-list"), {"name": "王秀英", "id_number": id_number, "area": "371522109201"}, format="json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.patch(reverse("person-detail", args=[pk]), {"phone": "13800000000"}, format="json").status_code == 200
    return pk, id_number


def test_history_lists_changes_newest_first_with_full_id_for_editors(cast, api, client) -> None:
    pk, id_number = _person_with_history(cast, api)
    client.force_login(cast.township_staff)
    page = client.get(reverse("directory:person_history", args=[pk])).content.decode()
    assert "township_staff" in page and "13800000000" in page
    assert page.index("tag-update") < page.index("tag-create"), "newest entry first"
    assert id_number in page


def test_history_masks_resident_ids_for_viewers(cast, api, client) -> None:
    pk, id_number = _person_with_history(cast, api)
    client.force_login(cast.township_viewer)
    response = client.get(reverse("directory:person_history", args=[pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert id_number not in page
    assert mask_id_number(id_number) in page
    assert mask_id_number(id_number) == id_number[:4] + "*" * 10 + id_number[-4:]
