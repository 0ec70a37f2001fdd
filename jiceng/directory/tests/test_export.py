"""XLSX export of the person list: the same scope and masking as the page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from jiceng.directory.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def people(cast):
    return {
        "east": make_person(cast.area("东村")),
        "west": make_person(cast.area("西村")),
        "south": make_person(cast.area("南村")),
    }


def test_export_respects_scope(cast, client, people):
    client.force_login(cast.township_staff)
    rows = _rows(client.get("/directory/persons/", {"export": "xlsx"}))
    names = [row[0] for row in rows[1:]]  # the name is the table's first column
    assert sorted(names) == sorted([people["east"].name, people["west"].name])
    ids = {str(v) for row in rows[1:] for v in row}
    assert people["south"].id_number not in ids
    assert people["east"].id_number in ids  # an editor exports full numbers


def test_export_applies_filters(cast, client, people):
    client.force_login(cast.county_admin)
    rows = _rows(client.get("/directory/persons/", {"export": "xlsx", "area": "371522106201"}))
    assert len(rows) == 2  # header + 南村's one person
    assert people["south"].name in rows[1]


def test_export_masks_for_viewers(cast, client, people):
    client.force_login(cast.township_viewer)
    rows = _rows(client.get("/directory/persons/", {"export": "xlsx"}))
    cells = {str(v) for row in rows[1:] for v in row}
    assert len(rows) == 3
    for key in ("east", "west"):
        number = people[key].id_number
        assert number not in cells
        assert f"3715**********{number[-4:]}" in cells


def test_outsider_export_is_empty(cast, client, people):
    client.force_login(cast.outsider)
    rows = _rows(client.get("/directory/persons/", {"export": "xlsx"}))
    cells = {str(v) for row in rows[1:] for v in row}
    assert people["south"].name in cells
    assert not cells & {people["east"].name, people["west"].name}


def test_text_starting_with_equals_is_exported_as_text_not_formula(cast, client):
    payload = '=HYPERLINK("http://evil.example/","点我")'
    make_person(cast.area("东村"), phone=payload[:32])
    payload = payload[:32]
    client.force_login(cast.township_staff)
    response = client.get("/directory/persons/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == payload]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
