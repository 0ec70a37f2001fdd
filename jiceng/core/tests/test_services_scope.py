"""The generic write services enforce scope themselves, whoever calls them (not only the views)."""

from __future__ import annotations

import pytest

from jiceng.core import services
from jiceng.core.errors import OutOfScope
from jiceng.core.models import AuditEntry
from jiceng.directory.models import Person
from jiceng.directory.tests.factories import make_person


def test_update_refuses_to_pull_an_object_in_from_outside_the_subtree(cast) -> None:
    """燕店镇's editor cannot move a 古云镇 resident into 燕店镇 by calling the service directly."""
    foreign = make_person(cast.area("南村"))
    audits = AuditEntry.objects.count()
    with pytest.raises(OutOfScope):
        services.do_update(foreign, data={"area": cast.area("东村")}, acting_user=cast.township_staff)
    assert Person.objects.get(pk=foreign.pk).area_id == cast.area("南村").pk
    assert AuditEntry.objects.count() == audits


def test_update_refuses_to_push_an_object_out_of_the_subtree(cast) -> None:
    own = make_person(cast.area("东村"))
    with pytest.raises(OutOfScope):
        services.do_update(own, data={"area": cast.area("南村")}, acting_user=cast.township_staff)
    assert Person.objects.get(pk=own.pk).area_id == cast.area("东村").pk


def test_update_inside_the_subtree_and_by_the_county(cast) -> None:
    own = make_person(cast.area("东村"))
    services.do_update(own, data={"area": cast.area("西村")}, acting_user=cast.township_staff)
    assert Person.objects.get(pk=own.pk).area_id == cast.area("西村").pk
    services.do_update(own, data={"area": cast.area("南村")}, acting_user=cast.county_admin)
    assert Person.objects.get(pk=own.pk).area_id == cast.area("南村").pk


def test_delete_refuses_an_object_outside_the_subtree(cast) -> None:
    foreign = make_person(cast.area("南村"))
    with pytest.raises(OutOfScope):
        services.do_delete(foreign, acting_user=cast.township_staff)
    assert Person.objects.filter(pk=foreign.pk).exists()


def _people(cast, village: str, n: int, first_serial: int = 500) -> list[Person]:
    from jiceng.core.testing import make_id_number

    return [
        Person(name=f"批量{i}", id_number=make_id_number("19700101", first_serial + i), area=cast.area(village))
        for i in range(n)
    ]


def test_bulk_create_outside_the_subtree_writes_nothing(cast) -> None:
    people = _people(cast, "东村", 3) + _people(cast, "南村", 1, first_serial=900)
    count, audits = Person.objects.count(), AuditEntry.objects.count()
    with pytest.raises(OutOfScope):
        services.do_bulk_create(Person, people, acting_user=cast.township_staff)
    assert Person.objects.count() == count
    assert AuditEntry.objects.count() == audits


def test_bulk_create_inside_the_subtree_audits_every_row(cast) -> None:
    audits = AuditEntry.objects.count()
    created = services.do_bulk_create(Person, _people(cast, "西村", 4), acting_user=cast.township_staff)
    assert len(created) == 4 and all(p.pk for p in created)
    assert AuditEntry.objects.count() == audits + 4
    assert set(AuditEntry.objects.order_by("-id")[:4].values_list("actor_id", flat=True)) == {cast.township_staff.pk}
