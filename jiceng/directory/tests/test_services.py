"""Directory services: merging townships moves their villages (and everything in them) with the scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from jiceng.core.errors import DomainError
from jiceng.core.models import AuditEntry
from jiceng.directory.models import Area, Person
from jiceng.directory.services import do_merge_areas
from jiceng.directory.tests.factories import make_person

MERGE_DAY = dt.date(2026, 7, 1)


def _paths() -> dict[str, tuple[str, int, int | None]]:
    return {a.code: (a.path, a.depth, a.parent_id) for a in Area.objects.all()}


def test_merge_moves_villages_and_keeps_the_merged_township_in_history(cast) -> None:
    yandian, guyun, nancun = cast.area("燕店镇"), cast.area("古云镇"), cast.area("南村")
    resident = make_person(nancun)
    assert not Person.objects.restrict(cast.township_staff).filter(pk=resident.pk).exists()
    assert Person.objects.restrict(cast.outsider).filter(pk=resident.pk).exists()
    depth_before = nancun.depth

    do_merge_areas([guyun], into=yandian, on=MERGE_DAY, acting_user=cast.county_admin)

    nancun.refresh_from_db()
    guyun.refresh_from_db()
    assert nancun.parent_id == yandian.pk
    assert nancun.path == f"{yandian.path}{nancun.code}/"
    assert nancun.depth == depth_before
    assert guyun.valid_until == MERGE_DAY and guyun.successor_id == yandian.pk
    assert not guyun.is_current(MERGE_DAY) and guyun.is_current(MERGE_DAY - dt.timedelta(days=1))
    assert Area.objects.filter(pk=guyun.pk).exists(), "the merged township stays for history"
    # scope follows the path: the resident now belongs to 燕店镇's staff, no longer to 古云镇's
    assert Person.objects.restrict(cast.township_staff).filter(pk=resident.pk).exists()
    assert not Person.objects.restrict(cast.outsider).filter(pk=resident.pk).exists()
    # both writes audited, the merge naming its successor
    ct = ContentType.objects.get_for_model(Area)
    merge = AuditEntry.objects.filter(content_type=ct, object_id=str(guyun.pk), action="update").first()
    assert merge is not None and merge.comment == f"merged into {yandian.code}"
    assert merge.actor == cast.county_admin
    moved = AuditEntry.objects.filter(content_type=ct, object_id=str(nancun.pk), action="update").first()
    assert moved is not None and moved.before["parent_id"] == guyun.pk and moved.after["parent_id"] == yandian.pk


def test_merge_moves_every_village_and_rewrites_paths(cast) -> None:
    """Every village of the merged township moves; paths and depths are recomputed."""
    county, yandian = cast.area("莘县"), cast.area("燕店镇")
    # merge 燕店镇 (with 东村 and 西村) into 古云镇: both villages move, paths rewritten once
    do_merge_areas([yandian], into=cast.area("古云镇"), on=MERGE_DAY, acting_user=None)
    guyun = Area.objects.get(code="371522106000")
    villages = sorted(Area.objects.filter(parent=guyun).values_list("name", flat=True))
    assert villages == sorted(["东村", "西村", "南村"])
    for area in Area.objects.filter(parent=guyun):
        assert area.path == f"{county.path}{guyun.code}/{area.code}/"
        assert area.depth == guyun.depth + 1
    assert not Area.objects.filter(parent=yandian).exists()


@pytest.mark.parametrize(
    ("merged", "into", "field"),
    [("古云镇", "古云镇", "into"), ("东村", "古云镇", "into")],
    ids=["into-itself", "different-levels"],
)
def test_merge_refuses_bad_input_and_changes_nothing(cast, merged: str, into: str, field: str) -> None:
    before = _paths()
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError) as excinfo:
        do_merge_areas([cast.area(merged)], into=cast.area(into), on=MERGE_DAY, acting_user=cast.county_admin)
    assert excinfo.value.field == field
    assert _paths() == before
    assert AuditEntry.objects.count() == audits


def test_township_editor_cannot_merge_a_sibling_township(cast) -> None:
    """燕店镇's editor may not absorb 古云镇: the whole merge is rolled back."""
    before = _paths()
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError):
        do_merge_areas([cast.area("古云镇")], into=cast.area("燕店镇"), on=MERGE_DAY, acting_user=cast.township_staff)
    assert _paths() == before
    assert AuditEntry.objects.count() == audits
    assert Area.objects.get(code="371522106000").valid_until is None
