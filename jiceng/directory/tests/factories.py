"""Test factories for the directory (the scope test matrix discovers ``TEST_FACTORIES``).

Each factory takes the Area the object must belong to and creates it through the services
as the system, so audit and validation run exactly as in production.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from jiceng.core import services
from jiceng.directory.identifiers import make_credit_code, make_id_number
from jiceng.directory.models import Area, AreaLevel, Enterprise, Grid, Person, Unit
from jiceng.directory.services import do_create_area, do_create_person

_serial = itertools.count(1)


def _village_in(area: Area) -> Area:
    """``area`` itself when it is a village, otherwise a fresh village under it."""
    if area.level == AreaLevel.VILLAGE:
        return area
    return make_area(area)


def make_area(area: Area, **kwargs: Any) -> Area:
    """A new village directly under ``area`` (a township), with a free 12-digit code."""
    used = set(Area.objects.filter(parent=area).values_list("code", flat=True))
    n = 290 + next(_serial)
    while f"{area.code[:9]}{n:03d}" in used:
        n += 1
    data = {"code": f"{area.code[:9]}{n:03d}", "name": f"测试村{n}", "parent": area}
    data.update(kwargs)
    return do_create_area(data=data, acting_user=None)


def make_unit(area: Area, **kwargs: Any) -> Unit:
    data = {"name": f"测试单位{next(_serial)}", "area": area}
    data.update(kwargs)
    return services.do_create(Unit, data=data, acting_user=None)


def make_person(area: Area, **kwargs: Any) -> Person:
    n = next(_serial)
    data = {
        "name": f"测试居民{n}",
        "id_number": make_id_number("371522", dt.date(1980, 1, 1) + dt.timedelta(days=n), n % 1000),
        "area": area,
    }
    data.update(kwargs)
    return do_create_person(data=data, acting_user=None)


def make_enterprise(area: Area, **kwargs: Any) -> Enterprise:
    n = next(_serial)
    data = {"name": f"测试企业{n}", "credit_code": make_credit_code("91", f"DRC{n:05d}"), "area": area}
    data.update(kwargs)
    return services.do_create(Enterprise, data=data, acting_user=None)


def make_grid(area: Area, **kwargs: Any) -> Grid:
    data = {"name": f"测试网格{next(_serial)}", "area": _village_in(area), "households": 12}
    data.update(kwargs)
    return services.do_create(Grid, data=data, acting_user=None)


TEST_FACTORIES = {
    Area: make_area,
    Unit: make_unit,
    Person: make_person,
    Enterprise: make_enterprise,
    Grid: make_grid,
}
