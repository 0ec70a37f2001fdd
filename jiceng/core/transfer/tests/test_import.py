"""Workbook imports: all rows or none, annotated errors, idempotent upserts, scope."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from jiceng.core.models import AuditEntry
from jiceng.core.testing import PASSWORD, make_id_number
from jiceng.core.transfer.models import ImportRun, ImportStatus
from jiceng.core.transfer.registry import get_importer
from jiceng.core.transfer.services import build_template, do_import
from jiceng.directory.models import Person

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "身份证号", "所属区划代码", "联系电话"]


def workbook(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def people(n, start=1, village="371522109201"):
    return [[f"居民{i}", make_id_number("19850101", i), village, "13800000000"] for i in range(start, start + n)]


def run(content, user, name="persons.xlsx"):
    return do_import(get_importer("persons"), content, file_name=name, acting_user=user)


def test_good_workbook_creates_every_row_with_audit(cast):
    result = run(workbook(people(5)), cast.township_staff)
    assert result.ok and (result.created, result.updated, result.unchanged) == (5, 0, 0)
    assert Person.objects.count() == 5
    assert AuditEntry.objects.filter(action="create", content_type__model="person").count() == 5
    assert result.run.status == ImportStatus.SUCCEEDED


def test_one_bad_row_writes_nothing_and_names_that_row(cast):
    rows = people(4)
    rows[2][1] = rows[2][1][:-1] + ("0" if rows[2][1][-1] != "0" else "1")  # break the check digit of row 4
    audit_before = AuditEntry.objects.count()
    result = run(workbook(rows), cast.township_staff)
    assert not result.ok
    assert Person.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    assert [(e.row, e.column) for e in result.errors] == [(4, "身份证号")]
    assert "校验码" in result.errors[0].message  # the check digit (messages are Chinese by default)
    annotated = load_workbook(io.BytesIO(bytes(result.run.error_workbook))).worksheets[0]
    bad_cell = annotated.cell(row=4, column=2)
    assert bad_cell.comment is not None and "校验码" in bad_cell.comment.text
    assert annotated.cell(row=1, column=5).value == "错误"
    assert annotated.cell(row=4, column=5).value.startswith("身份证号")
    assert annotated.cell(row=3, column=2).comment is None


def test_reimport_is_idempotent_and_a_changed_row_is_updated_with_audit(cast):
    content = workbook(people(3))
    run(content, cast.township_staff)
    again = run(content, cast.township_staff)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    rows = people(3)
    rows[1][3] = "13900000000"
    changed = run(workbook(rows), cast.township_staff)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.before["phone"] == "13800000000" and entry.after["phone"] == "13900000000"
    assert entry.comment == "import"


def test_area_outside_scope_and_duplicates_are_row_errors(cast):
    rows = people(2) + people(1, start=10, village="371522106201")  # 南村 is in the sibling township
    rows.append(list(rows[0]))  # the same ID twice
    result = run(workbook(rows), cast.township_staff)
    assert Person.objects.count() == 0
    by_row = {(e.row, e.column): e.message for e in result.errors}
    assert (4, "所属区划代码") in by_row
    assert "第 2 行" in by_row[(5, "身份证号")] or "row 2" in by_row[(5, "身份证号")]


def test_existing_person_outside_scope_cannot_be_overwritten(cast):
    outsider_rows = people(1, start=50, village="371522106201")
    assert run(workbook(outsider_rows), cast.outsider).ok
    hijack = [["改名", outsider_rows[0][1], "371522109201", ""]]
    result = run(workbook(hijack), cast.township_staff)
    assert not result.ok
    assert Person.objects.get().name == "居民50"


def test_missing_required_column_is_reported_on_the_header_row(cast):
    result = run(workbook([["张三", "371522109201"]], headers=["姓名", "所属区划代码"]), cast.township_staff)
    assert [(e.row, e.column) for e in result.errors] == [(1, "身份证号")]


def test_not_a_workbook_is_a_clear_error(cast):
    from jiceng.core.transfer.services import ImportInvalid

    with pytest.raises(ImportInvalid):
        run(b"not a workbook", cast.township_staff)


def test_template_has_the_chinese_headers(cast):
    sheet = load_workbook(io.BytesIO(build_template(get_importer("persons")))).worksheets[0]
    assert [c.value for c in sheet[1]] == ["姓名", "身份证号", "所属区划代码", "联系电话", "住址"]


def test_api_import_returns_counts_or_row_errors(cast, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api(cast.township_staff)
    ok = client.post(
        "/api/v1/imports/persons/", {"file": SimpleUploadedFile("p.xlsx", workbook(people(2)))}, format="multipart"
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["created"] == 2
    bad_rows = people(1, start=20)
    bad_rows[0][1] = "123"
    bad = client.post(
        "/api/v1/imports/persons/", {"file": SimpleUploadedFile("p.xlsx", workbook(bad_rows))}, format="multipart"
    )
    assert bad.status_code == 400
    body = bad.json()
    assert body["code"] == "import_invalid"
    assert body["errors"] == [{"row": 2, "column": "身份证号", "message": body["errors"][0]["message"]}]
    assert Person.objects.count() == 2
    assert api().post("/api/v1/imports/persons/", {}).status_code == 401


def test_pages_upload_and_error_download_are_scoped(cast, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.login(username="township_staff", password=PASSWORD)
    assert client.get("/transfer/").status_code == 200
    assert client.get("/transfer/persons/template.xlsx").status_code == 200
    bad_rows = people(1)
    bad_rows[0][2] = "999999999999"
    response = client.post("/transfer/persons/", {"file": SimpleUploadedFile("p.xlsx", workbook(bad_rows))})
    assert response.status_code == 400
    failed = ImportRun.objects.get()
    assert client.get(f"/transfer/runs/{failed.pk}/errors.xlsx").status_code == 200
    client.login(username="outsider", password=PASSWORD)
    assert client.get(f"/transfer/runs/{failed.pk}/errors.xlsx").status_code == 404


def test_units_grids_and_areas_import_by_their_natural_keys(cast):
    from jiceng.directory.models import Area, Grid, Unit

    units = workbook(
        [["燕店镇政府", "镇政府", "government", "371522109000"], ["燕店镇政府", "", "", "371522109000"]],
        headers=["单位名称", "简称", "类别", "所属区划代码"],
    )
    duplicate = do_import(get_importer("units"), units, file_name="u.xlsx", acting_user=cast.township_staff)
    assert [(e.row, e.column) for e in duplicate.errors] == [(3, "单位名称")]  # same (area, name) twice
    ok = do_import(
        get_importer("units"),
        workbook(
            [["燕店镇政府", "镇政府", "人民政府", "371522109000"]], headers=["单位名称", "简称", "类别", "所属区划代码"]
        ),
        file_name="u.xlsx",
        acting_user=cast.township_staff,
    )
    assert ok.ok and ok.created == 1 and Unit.objects.get().kind == "government"
    again = do_import(
        get_importer("units"),
        workbook(
            [["燕店镇政府", "镇府", "人民政府", "371522109000"]], headers=["单位名称", "简称", "类别", "所属区划代码"]
        ),
        file_name="u.xlsx",
        acting_user=cast.township_staff,
    )
    assert (again.created, again.updated) == (0, 1) and Unit.objects.get().short_name == "镇府"

    worker = do_import(
        get_importer("persons"), workbook(people(1)), file_name="p.xlsx", acting_user=cast.township_staff
    )
    assert worker.ok
    grids = workbook(
        [["第一网格", "G1", "371522109201", people(1)[0][1], 120]],
        headers=["网格名称", "网格编码", "所属村（社区）代码", "网格员身份证号", "户数"],
    )
    result = do_import(get_importer("grids"), grids, file_name="g.xlsx", acting_user=cast.township_staff)
    assert result.ok, result.errors
    grid = Grid.objects.get()
    assert (grid.households, grid.grid_worker.name) == (120, "居民1")

    areas = workbook(
        [["371522109203", "北村", "371522109000", "village"], ["371522109204", "错村", "371522106000", ""]],
        headers=["区划代码", "名称", "上级区划代码", "类型"],
    )
    refused = do_import(get_importer("areas"), areas, file_name="a.xlsx", acting_user=cast.county_admin)
    assert [(e.row, e.column) for e in refused.errors] == [(3, "区划代码")]  # not under its parent's code
    good = workbook(
        [["371522109203", "北村", "371522109000", "village"]], headers=["区划代码", "名称", "上级区划代码", "类型"]
    )
    assert do_import(get_importer("areas"), good, file_name="a.xlsx", acting_user=cast.county_admin).created == 1
    assert Area.objects.get(code="371522109203").path.startswith(cast.area("燕店镇").path)
