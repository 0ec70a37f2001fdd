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
