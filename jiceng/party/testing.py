"""Test helpers for the party apps: the cast with party roles, organisations and members.

``party_cast`` (fixture in ``jiceng/party/conftest.py``) is the core cast with party roles:
township_staff party_editor (燕店镇), township_viewer party_viewer (燕店镇), village_staff
party_editor (东村), outsider party_editor (古云镇); county_admin is admin of 莘县. Policies
are loaded from the seeds.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.apps import apps

PARTY_ROLES = {
    "township_staff": ["party_editor"],
    "township_viewer": ["party_viewer"],
    "village_staff": ["party_editor"],
    "outsider": ["party_editor"],
}

_serial = itertools.count(1)


def make_org(area: Any, *, name: str | None = None, level: str = "branch", kind: str = "village", **kwargs: Any) -> Any:
    """A party organisation in ``area`` (written directly: test set-up, not a user's action)."""
    org_model = apps.get_model("party", "PartyOrg")
    return org_model.objects.create(
        area=area, name=name or f"{area.name}党支部{next(_serial)}", level=level, kind=kind, **kwargs
    )


def make_person(area: Any, *, birth: str = "19900101", name: str | None = None) -> Any:
    from jiceng.core.testing import make_id_number

    person_model = apps.get_model("directory", "Person")
    serial = next(_serial)
    return person_model.objects.create(
        area=area,
        name=name or f"党员{serial}",
        id_number=make_id_number(birth, serial % 999 or 1, region=area.code[:6]),
        birth_date=dt.datetime.strptime(birth, "%Y%m%d").date(),  # noqa: DTZ007
    )


def make_member(org: Any, *, stage: str = "full", person: Any = None, birth: str = "19800101", **dates: Any) -> Any:
    """A member record at ``stage`` with the given milestone dates (no guards: set-up only).

    Full members default to ``full_on=2015-07-01`` and ``probationary_on=2014-07-01``.
    """
    member_model = apps.get_model("party_members", "PartyMember")
    if stage == "full":
        dates.setdefault("probationary_on", dt.date(2014, 7, 1))
        dates.setdefault("full_on", dt.date(2015, 7, 1))
    person = person or make_person(org.area, birth=birth)
    member = member_model(person=person, org=org, **dates)
    member.__dict__["stage"] = stage  # FSMField(protected=True) refuses direct assignment
    member.save()
    return member
