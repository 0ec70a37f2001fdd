"""The demo city's major hazard sources under "线上全时监控、专人现场盯守" (S06: 135 sources).

Sources go to the hazardous-chemical producers, chemical/pharma enterprises and a few traders'
tank farms (profiles from the safety demo), with real substances and quantities chosen so that
the grades spread over 1–4; each source gets its three accountable persons, a week of watcher
shifts, gas/temperature/pressure/level sensors (set-points within the GB/T 50493 limits), half
of the enterprises a site gateway that batches readings. Half an hour of readings is written
through the real ingest pipeline, and a few excursions over the last two days raise alarms the
same way the live stream does (some handled and closed, two still open). The seed's figure (135
sources) is a demo constant, scaled with ``ctx.scale``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import DEMO_CITY_CODE, scaled
from jiceng.directory.models import Person
from jiceng.safety.models import ChemicalRole, SafetyProfile
from jiceng.safety.monitoring import services
from jiceng.safety.monitoring.ingest import DEFAULT_ROOT, READINGS_PREFIX, Ingestor
from jiceng.safety.monitoring.models import (
    AccountablePerson,
    AccountableRole,
    Alarm,
    Gateway,
    HazardousSubstance,
    MajorHazardSource,
    Sensor,
    SensorKind,
    SensorState,
    SourceCheck,
    SourceKind,
    SourceSubstance,
    WatcherShift,
)

SOURCES = 135  # S06
# (kind, name pattern, [(substance, tonnes range)], weight) — realistic holdings of county chemical plants
TEMPLATES = [
    (SourceKind.STORAGE_TANKS, "液氯罐区", [("氯", (6, 150))], 2),
    (SourceKind.STORAGE_TANKS, "液氨罐区", [("氨", (12, 300))], 2),
    (SourceKind.STORAGE_TANKS, "液化石油气罐区", [("液化石油气", (60, 2000))], 2),
    (SourceKind.STORAGE_TANKS, "甲醇罐区", [("甲醇", (520, 3000))], 3),
    (SourceKind.STORAGE_TANKS, "汽油罐区", [("汽油（含甲醇汽油、乙醇汽油）", (210, 1500))], 3),
    (SourceKind.STORAGE_TANKS, "苯罐区", [("苯", (55, 300)), ("甲苯", (100, 600))], 1),
    (SourceKind.PRODUCTION, "合成氨装置", [("氨", (10, 40)), ("氢", (2, 8)), ("一氧化碳", (3, 10))], 1),
    (SourceKind.PRODUCTION, "氯碱装置", [("氯", (5, 25)), ("氢", (1, 5)), ("氯化氢（无水）", (5, 30))], 1),
    (SourceKind.WAREHOUSE, "危化品仓库", [("硝酸铵（含可燃物≤0.2%）", (55, 200)), ("丙酮", (50, 300))], 1),
    (SourceKind.STORAGE_TANKS, "天然气储配站", [("甲烷、天然气", (55, 300))], 1),
]
GAS_OF = {"氯": ("Cl2", 1.0), "氨": ("NH3", 40.0), "一氧化碳": ("CO", 24.0), "氯化氢（无水）": ("HCl", 5.0)}
FLAMMABLE = {"液化石油气", "甲醇", "汽油（含甲醇汽油、乙醇汽油）", "苯", "甲苯", "氢", "甲烷、天然气", "丙酮"}
HISTORY_MINUTES = 30
PAST_EXCURSIONS = 8  # alarm episodes over the last two days, raised through the ingest


def build(ctx: Any) -> None:
    if MajorHazardSource.objects.filter(is_demo=True).exists():
        ctx.figures["major hazard sources"] = "demo already present; nothing added"
        return
    services.load_substances()
    rng = random.Random(f"{ctx.rng.random()}-monitoring")
    now = timezone.now()
    sources = build_sources(ctx, rng)
    sensors = build_sensors(rng, sources)
    build_people(rng, sources, now)
    build_history(rng, sensors, now)
    ctx.figures["major hazard sources"] = len(sources)
    ctx.figures["sensors"] = len(sensors)
    ctx.figures["alarms"] = Alarm.objects.count()


def build_sources(ctx: Any, rng: random.Random) -> list[MajorHazardSource]:
    city = ctx.area(DEMO_CITY_CODE)  # the bureau's 135 sources are the city's
    profiles = list(
        SafetyProfile.objects.filter(
            is_demo=True,
            area__path__startswith=city.path,
            chemical_role__in=[ChemicalRole.PRODUCER, ChemicalRole.CHEMICAL_PHARMA, ChemicalRole.TRADER],
        )
        .select_related("enterprise", "area")
        .order_by("chemical_role", "id")
    )
    makers = [p for p in profiles if p.chemical_role != ChemicalRole.TRADER]
    traders = [p for p in profiles if p.chemical_role == ChemicalRole.TRADER]
    count = scaled(SOURCES, ctx.scale)
    owners = (makers + traders[: max(count - len(makers), 0)])[:count]
    if not owners:
        return []
    substances = {s.name: s for s in HazardousSubstance.objects.all()}
    weights = [t[3] for t in TEMPLATES]
    built: list[MajorHazardSource] = []
    today = timezone.localdate()
    for index in range(count):
        profile = owners[index % len(owners)]
        kind, pattern, holdings, _weight = rng.choices(TEMPLATES, weights=weights)[0]
        if profile.chemical_role == ChemicalRole.TRADER:
            kind, pattern, holdings = TEMPLATES[4][:3]
        number = sum(1 for s in built if s.enterprise_id == profile.enterprise_id) + 1
        source = services.do_create_source(
            data={
                "enterprise": profile.enterprise,
                "name": f"{number}#{pattern}",
                "kind": kind,
                "record_number": f"BA{profile.enterprise.area.code[:6]}{index + 1:04d}",
                "population_500m": rng.choice([0, 12, 35, 60, 80, 150, 300]),
                "registered_on": today - dt.timedelta(days=rng.randint(200, 2000)),
                "is_demo": True,
            },
            acting_user=None,
            comment="demo data",
        )
        rows = []
        for name, (low, high) in holdings:
            rows.append(
                SourceSubstance(source=source, substance=substances[name], quantity_t=Decimal(rng.randint(low, high)))
            )
        do_bulk_create(SourceSubstance, rows, acting_user=None, comment="demo data")
        result = services.grade_of(source)
        MajorHazardSource.objects.filter(pk=source.pk).update(
            quantity_ratio=result.ratio, r_value=result.r_value, grade=result.grade
        )
        source.grade, source.r_value, source.quantity_ratio = result.grade, result.r_value, result.ratio
        built.append(source)
    return built


def _sensor(source: MajorHazardSource, code: str, name: str, kind: str, unit: str, l1: float, l2: float, top: float,
            oel: float | None = None, gateway: Gateway | None = None) -> Sensor:  # fmt: skip
    return Sensor(
        code=code,
        source=source,
        area_path=source.area.path,
        gateway=gateway,
        name=name,
        kind=kind,
        unit=unit,
        level1=l1,
        level2=l2,
        oel=oel,
        range_min=0,
        range_max=top,
        installed_on=source.registered_on,
        is_demo=True,
    )


def build_sensors(rng: random.Random, sources: list[MajorHazardSource]) -> list[Sensor]:
    """Sensors by what the source holds; set-points at or inside the policy limits (checked)."""
    gateways: dict[int, Gateway | None] = {}
    sensors: list[Sensor] = []
    today = timezone.localdate()
    for number, source in enumerate(sources, start=1):
        if source.enterprise_id not in gateways:
            gateways[source.enterprise_id] = (
                Gateway.objects.create(
                    code=f"gw-{source.enterprise.credit_code[-8:].lower()}",
                    enterprise=source.enterprise,
                    name=f"{source.enterprise.name}采集网关",
                )
                if len(gateways) % 2 == 0
                else None
            )
        gateway = gateways[source.enterprise_id]
        prefix = f"s{number:03d}"
        names = {row.substance.name for row in source.substances.select_related("substance")}
        if names & FLAMMABLE:
            for k in (1, 2):
                sensors.append(_sensor(source, f"{prefix}-gt{k}", f"{k}#可燃气体探测器", SensorKind.FLAMMABLE_GAS, "%LEL",
                                       20, 40, 100, gateway=gateway))  # fmt: skip
        for substance_name, (formula, oel) in GAS_OF.items():
            if substance_name in names:
                sensors.append(_sensor(source, f"{prefix}-{formula.lower()}", f"{formula}有毒气体探测器",
                                       SensorKind.TOXIC_GAS, "ppm", oel, 2 * oel, 10 * oel, oel=oel, gateway=gateway))  # fmt: skip
        if source.kind == SourceKind.STORAGE_TANKS:
            sensors.append(
                _sensor(source, f"{prefix}-lt1", "1#储罐液位", SensorKind.LEVEL, "%", 85, 90, 100, gateway=gateway)
            )
            sensors.append(
                _sensor(
                    source, f"{prefix}-pt1", "1#储罐压力", SensorKind.PRESSURE, "MPa", 1.4, 1.6, 2.5, gateway=gateway
                )
            )
        else:
            sensors.append(
                _sensor(source, f"{prefix}-tt1", "反应温度", SensorKind.TEMPERATURE, "°C", 80, 95, 150, gateway=gateway)
            )
    for sensor in sensors:
        data = {f.name: getattr(sensor, f.name) for f in Sensor._meta.concrete_fields}
        reasons = services.setpoint_refusals(data, area_path=sensor.area_path, on=today)
        if reasons:
            raise ValueError(f"demo sensor {sensor.code} breaks a set-point rule: {reasons}")
    created = do_bulk_create(Sensor, sensors, acting_user=None, comment="demo data")
    SensorState.objects.bulk_create([SensorState(sensor=s) for s in created])
    return created


def build_people(rng: random.Random, sources: list[MajorHazardSource], now: dt.datetime) -> None:
    """Three accountable persons per source, their recent checks (two sources missed last quarter's
    technical check), and a week of three daily watcher shifts."""
    by_area: dict[int, list[int]] = {}
    for pk, area_id in Person.objects.filter(is_demo=True).values_list("id", "area_id").order_by("id")[:20000]:
        by_area.setdefault(area_id, []).append(pk)
    everyone = [pk for pks in by_area.values() for pk in pks]
    today = timezone.localdate(now)
    people, checks, shifts = [], [], []
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter = quarter_start - dt.timedelta(days=40)
    week_start = today - dt.timedelta(days=today.weekday())
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    for index, source in enumerate(sources):
        pool = by_area.get(source.area_id) or everyone
        chosen = rng.sample(pool, k=min(6, len(pool)))
        roles = list(AccountableRole)
        for role, person in zip(roles, chosen, strict=False):
            people.append(AccountablePerson(source=source, role=role, person_id=person,
                                            phone=f"13{rng.randint(100000000, 999999999)}", since=source.registered_on))  # fmt: skip
        technical, operational = chosen[1 % len(chosen)], chosen[2 % len(chosen)]
        if index >= 2:
            checks.append(SourceCheck(source=source, role=AccountableRole.TECHNICAL, checked_on=last_quarter,
                                      checker_id=technical, findings="季度专项排查", problems_found=rng.randint(0, 3)))  # fmt: skip
        for weeks_back in (1, 2):
            checks.append(SourceCheck(source=source, role=AccountableRole.OPERATIONAL,
                                      checked_on=week_start - dt.timedelta(days=7 * weeks_back - 2),
                                      checker_id=operational, findings="周排查"))  # fmt: skip
        watchers = chosen[3:] or chosen
        for day in range(-1, 7):
            for shift in range(3):
                start = midnight + dt.timedelta(days=day, hours=8 * shift)
                shifts.append(WatcherShift(source=source, watcher_id=watchers[shift % len(watchers)],
                                           starts_at=start, ends_at=start + dt.timedelta(hours=8)))  # fmt: skip
    do_bulk_create(AccountablePerson, people, acting_user=None, comment="demo data")
    do_bulk_create(SourceCheck, checks, acting_user=None, comment="demo data")
    do_bulk_create(WatcherShift, shifts, acting_user=None, comment="demo data")


def build_history(rng: random.Random, sensors: list[Sensor], now: dt.datetime) -> None:
    """Readings through the ingest pipeline: excursions over the last two days (alarms), then the
    last half hour of every sensor at one reading a minute."""
    ingestor = Ingestor(root=DEFAULT_ROOT)
    picked = rng.sample(sensors, k=min(PAST_EXCURSIONS, len(sensors)))
    for number, sensor in enumerate(picked):
        start = now - dt.timedelta(hours=47 - 5 * number)
        peak = sensor.level2 * 1.1 if number % 3 == 0 else (sensor.level1 + sensor.level2) / 2
        values = [sensor.level1 * 0.3] * 3 + [peak] * 5 + [sensor.level1 * 0.3] * 5
        ingestor.process([_message(sensor, start + dt.timedelta(seconds=20 * i), v) for i, v in enumerate(values)])
    handled = Alarm.objects.filter(sensor__in=picked).order_by("raised_at")
    for alarm in list(handled)[: max(len(picked) - 2, 0)]:
        services.do_handle_alarm(alarm, acting_user=None, handling="现场人员确认为阀门法兰微漏，已紧固并复测正常")
    # the history was ingested just now: put its four firsts back at the readings' own times
    for alarm in Alarm.objects.filter(sensor__in=picked):
        at = alarm.reading_ts
        response = dt.timedelta(minutes=rng.randint(3, 25))
        changes = {"raised_at": at, "discovered_at": at, "warned_at": at, "evidence_fixed_at": at}
        if alarm.handled_at:
            changes |= {"handled_at": at + response, "acknowledged_at": at + response / 2}
        if alarm.closed_at:
            changes["closed_at"] = max(at + response, alarm.cleared_at or at)
        Alarm.objects.filter(pk=alarm.pk).update(**changes)
    # two alarms stay open: one handled but still above its set-point, one active
    for sensor in picked[-2:]:
        base = now - dt.timedelta(minutes=HISTORY_MINUTES + 5)
        values = [sensor.level1 * 1.05] * 4
        ingestor.process([_message(sensor, base + dt.timedelta(seconds=15 * i), v) for i, v in enumerate(values)])
    messages = []
    ongoing = picked[-1] if picked else None
    for sensor in sensors:
        level = 1.05 if sensor is ongoing else 0.3  # the last excursion is still going on
        for minute in range(HISTORY_MINUTES, 0, -1):
            noise = rng.uniform(-0.02, 0.02) * sensor.level1
            messages.append(_message(sensor, now - dt.timedelta(minutes=minute), max(sensor.level1 * level + noise, 0)))
    for start in range(0, len(messages), 5000):
        ingestor.process(messages[start : start + 5000])


def _message(sensor: Sensor, ts: dt.datetime, value: float) -> tuple[str, bytes]:
    payload = json.dumps({"ts": timezone.localtime(ts).isoformat(timespec="milliseconds"), "value": round(value, 3)})
    return f"{READINGS_PREFIX}{sensor.code}", payload.encode()
