"""Scoped reads of the monitoring app: the live view of a source, recent readings, alarm figures."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jiceng.core.selectors import access_object
from jiceng.safety.monitoring.models import (
    OPEN_ALARM_STATES,
    AccountablePerson,
    Alarm,
    AlarmLevel,
    MajorHazardSource,
    Reading,
    Sensor,
    SensorState,
    WatcherShift,
)


def access_source(user: Any, pk: Any, action: str = "view") -> MajorHazardSource:
    queryset = MajorHazardSource.objects.select_related("enterprise", "area")
    return access_object(user, MajorHazardSource, {"pk": pk}, action, queryset=queryset)


def recent_readings(sensor_ids: list[int], *, since: dt.datetime) -> dict[int, list[tuple[dt.datetime, float]]]:
    """Readings of the given sensors since ``since``, oldest first (the caller checked access)."""
    out: dict[int, list[tuple[dt.datetime, float]]] = {pk: [] for pk in sensor_ids}
    rows = Reading.objects.filter(sensor_id__in=sensor_ids, ts__gte=since).order_by("sensor_id", "ts")
    for sensor_id, ts, value in rows.values_list("sensor_id", "ts", "value"):
        out[sensor_id].append((ts, value))
    return out


def on_duty(sources: list[MajorHazardSource] | QuerySet[MajorHazardSource], now: dt.datetime) -> dict[int, list[Any]]:
    """Watchers on shift now, per source id."""
    shifts = WatcherShift.objects.filter(source__in=sources, starts_at__lte=now, ends_at__gt=now).select_related(
        "watcher"
    )
    found: dict[int, list[Any]] = {}
    for shift in shifts:
        found.setdefault(shift.source_id, []).append(shift.watcher)
    return found


def live_view(source: MajorHazardSource, user: Any, *, minutes: int = 30) -> dict[str, Any]:
    """Everything the live page of a source shows: sensors with state, last value, set-points and a
    trace of the last ``minutes``; open alarms; watchers on duty; accountable persons."""
    now = timezone.now()
    sensors = list(Sensor.objects.restrict(user, "view").filter(source=source).order_by("code"))
    states = {s.sensor_id: s for s in SensorState.objects.filter(sensor__in=sensors)}
    traces = recent_readings([s.pk for s in sensors], since=now - dt.timedelta(minutes=minutes))
    rows = []
    for sensor in sensors:
        state = states.get(sensor.pk)
        trace = traces.get(sensor.pk, [])
        chart = {
            "title": f"{sensor.code} {sensor.name}",
            "type": "line",
            "categories": [timezone.localtime(ts).strftime("%H:%M:%S") for ts, _v in trace],
            "series": [{"name": sensor.unit, "data": [v for _ts, v in trace]}],
            "marks": [sensor.level1, sensor.level2],
        }
        rows.append(
            {
                "sensor": sensor,
                "state": state,
                "value": state.last_value if state else None,
                "at": state.last_ts if state else None,
                "level": state.level if state else 0,
                "offline": bool(state and state.offline),
                "chart": chart,
                "chart_json": json.dumps(chart, ensure_ascii=False),
            }
        )
    alarms = (
        Alarm.objects.restrict(user, "view")
        .filter(source=source, state__in=OPEN_ALARM_STATES)
        .select_related("sensor")
        .order_by("-raised_at")
    )
    accountable = (
        AccountablePerson.objects.restrict(user, "view")
        .filter(source=source, until__isnull=True)
        .select_related("person")
        .order_by("role")
    )
    return {
        "source": source,
        "rows": rows,
        "alarms": alarms,
        "watchers": on_duty([source], now).get(source.pk, []),
        "accountable": accountable,
        "now": now,
    }


def alarm_figures(user: Any, root_path: str, *, since: dt.datetime) -> dict[str, Any]:
    """Open alarms by level, alarms raised since ``since``, and the median response (discovery →
    handling) of those handled — the four firsts as figures."""
    alarms = Alarm.objects.restrict(user, "view").filter(area_path__startswith=root_path)
    open_by_level = dict(
        alarms.filter(state__in=OPEN_ALARM_STATES).values_list("level").annotate(n=Count("id")).order_by()
    )
    recent = alarms.filter(raised_at__gte=since)
    counts = recent.aggregate(
        raised=Count("id"),
        handled=Count("id", filter=Q(handled_at__isnull=False)),
        closed=Count("id", filter=Q(state="closed")),
    )
    delays = sorted(
        (handled - discovered).total_seconds()
        for discovered, handled in recent.filter(handled_at__isnull=False).values_list("discovered_at", "handled_at")
    )
    median = delays[len(delays) // 2] if delays else None
    return {
        "open": {level: open_by_level.get(level, 0) for level in AlarmLevel.values},
        "open_total": sum(open_by_level.values()),
        **counts,
        "median_response_seconds": median,
    }


def source_figures(user: Any, root_path: str) -> dict[str, Any]:
    """Sources by grade, with and without sensors reporting, and how many are watched right now."""
    now = timezone.now()
    sources = MajorHazardSource.objects.restrict(user, "view").filter(area__path__startswith=root_path)
    by_grade = dict(sources.values_list("grade").annotate(n=Count("id")).order_by())
    with_sensors = sources.filter(sensors__is_active=True).distinct().count()
    watched = sources.filter(shifts__starts_at__lte=now, shifts__ends_at__gt=now).distinct().count()
    offline = SensorState.objects.filter(
        sensor__in=Sensor.objects.restrict(user, "view").filter(area_path__startswith=root_path), offline=True
    ).count()
    return {
        "total": sum(by_grade.values()),
        "by_grade": [(grade, by_grade.get(grade, 0)) for grade in (1, 2, 3, 4)],
        "not_major": by_grade.get(None, 0),
        "with_sensors": with_sensors,
        "watched": watched,
        "offline_sensors": offline,
    }
