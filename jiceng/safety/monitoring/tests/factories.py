"""Factories for the monitoring models (the scope matrix discovers ``TEST_FACTORIES``)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from jiceng.directory.tests.factories import make_person
from jiceng.safety.monitoring.models import (
    AccountablePerson,
    Alarm,
    AlarmLevel,
    Gateway,
    HazardousSubstance,
    MajorHazardSource,
    Sensor,
    SensorState,
    SourceCheck,
    SourceSubstance,
    WatcherShift,
)
from jiceng.safety.testing import make_enterprise

_serial = itertools.count(1)


def make_source(area, *, enterprise=None, population_500m=60, **kwargs):
    """A source written directly (leaf set-up data; its grade follows once substances are set)."""
    kwargs.setdefault("name", f"{next(_serial)}#罐区")
    kwargs.setdefault("kind", "storage_tanks")
    return MajorHazardSource.objects.create(
        enterprise=enterprise or make_enterprise(area), population_500m=population_500m, **kwargs
    )


def substance(name="氯"):
    return HazardousSubstance.objects.get(name=name)


def make_holding(area, *, source=None, name="氯", quantity="20"):
    source = source or make_source(area)
    return SourceSubstance.objects.create(source=source, substance=substance(name), quantity_t=Decimal(quantity))


def make_gateway(area, *, enterprise=None, code=None):
    return Gateway.objects.create(code=code or f"gw-{next(_serial)}", enterprise=enterprise or make_enterprise(area))


def make_sensor(area, *, source=None, code=None, kind="flammable_gas", **kwargs):
    source = source or make_source(area)
    data = {
        "code": code or f"gt-{next(_serial)}",
        "source": source,
        "name": "可燃气体探测器",
        "kind": kind,
        "unit": "%LEL",
        "level1": 20.0,
        "level2": 40.0,
        "range_max": 100.0,
    }
    data.update(kwargs)
    sensor = Sensor.objects.create(**data)
    SensorState.objects.create(sensor=sensor)
    return sensor


def make_alarm(area, *, sensor=None, level=AlarmLevel.LEVEL1, **kwargs):
    sensor = sensor or make_sensor(area)
    now = timezone.now()
    return Alarm.objects.create(
        sensor=sensor,
        source=sensor.source,
        area_path=sensor.area_path,
        level=level,
        raised_at=now,
        discovered_at=now,
        reading_value=kwargs.pop("reading_value", 30.0),
        explanation="测试报警",
        **kwargs,
    )


def make_accountable(area, *, source=None, role="technical"):
    source = source or make_source(area)
    return AccountablePerson.objects.create(
        source=source, role=role, person=make_person(area), since=dt.date(2026, 1, 1)
    )


def make_check(area, *, source=None, role="technical", checked_on=dt.date(2026, 3, 2)):
    source = source or make_source(area)
    return SourceCheck.objects.create(source=source, role=role, checked_on=checked_on, checker=make_person(area))


def make_shift(area, *, source=None, hours=8):
    source = source or make_source(area)
    start = timezone.now() - dt.timedelta(hours=1)
    return WatcherShift.objects.create(
        source=source, watcher=make_person(area), starts_at=start, ends_at=start + dt.timedelta(hours=hours)
    )


TEST_FACTORIES = {
    MajorHazardSource: make_source,
    SourceSubstance: make_holding,
    Gateway: make_gateway,
    Sensor: make_sensor,
    Alarm: make_alarm,
    AccountablePerson: make_accountable,
    SourceCheck: make_check,
    WatcherShift: make_shift,
}
