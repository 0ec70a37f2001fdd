"""The per-sensor alarm state machine, as a pure function of (configuration, state, reading).

A reading is *beyond* a set-point when it is at or past it in the sensor's direction (``high``:
``value >= level``; ``low``: ``value <= level``). A level is **confirmed** when at least
``repeat`` consecutive readings are beyond its set-point and they span at least ``min_duration``
seconds (the repeat and duration conditions); a confirmation raises an alarm (from normal) or
escalates it (from level 1 to 2). The alarm **clears** (hysteresis) only after ``clear_repeat``
consecutive readings are back inside the band, i.e. short of the first set-point by more than
``clear_pct`` % of it; leaving the second level's band only drops the current level to 1.

Readings are evaluated in time order per sensor; a reading not newer than the last evaluated one
(a redelivered duplicate, or a late reading that another ingest worker already passed) is stored
but does not move the state. All numbers come from policies (``ingest.SensorConfig``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import StrEnum


class EventKind(StrEnum):
    RAISE = "raise"  # normal → level n
    ESCALATE = "escalate"  # level 1 → level 2
    CLEAR = "clear"  # back to normal
    ONLINE = "online"  # a reading from a sensor marked offline


@dataclasses.dataclass(frozen=True)
class Event:
    kind: EventKind
    level: int
    ts: dt.datetime
    value: float
    setpoint: float | None = None
    count: int = 0  # readings in the confirming run
    run_started: dt.datetime | None = None


@dataclasses.dataclass(frozen=True)
class Thresholds:
    level1: float
    level2: float
    high: bool  # alarm above the set-points (False: below)
    repeat: int  # consecutive readings beyond a set-point that confirm it
    min_duration: float  # seconds the run must span
    clear_pct: float  # hysteresis: % of the first set-point
    clear_repeat: int  # consecutive readings inside the band that clear

    def beyond(self, value: float, setpoint: float) -> bool:
        return value >= setpoint if self.high else value <= setpoint

    def inside_band(self, value: float, setpoint: float) -> bool:
        margin = abs(setpoint) * self.clear_pct / 100
        return value < setpoint - margin if self.high else value > setpoint + margin


@dataclasses.dataclass
class State:
    level: int = 0
    count1: int = 0
    since1: dt.datetime | None = None
    count2: int = 0
    since2: dt.datetime | None = None
    clear_count: int = 0
    last_ts: dt.datetime | None = None
    last_value: float | None = None
    alarm_id: int | None = None
    offline: bool = False
    readings: int = 0


def _confirmed(count: int, since: dt.datetime | None, ts: dt.datetime, rules: Thresholds) -> bool:
    if count < rules.repeat or since is None:
        return False
    return (ts - since).total_seconds() >= rules.min_duration


def step(rules: Thresholds, state: State, ts: dt.datetime, value: float) -> list[Event]:
    """Apply one reading to ``state`` (in place); the events it causes, in order."""
    if state.last_ts is not None and ts <= state.last_ts:
        return []
    events: list[Event] = []
    if state.offline:
        state.offline = False
        events.append(Event(EventKind.ONLINE, state.level, ts, value))
    state.last_ts, state.last_value = ts, value
    state.readings += 1
    for level, setpoint in ((1, rules.level1), (2, rules.level2)):
        if rules.beyond(value, setpoint):
            if getattr(state, f"count{level}") == 0:
                setattr(state, f"since{level}", ts)
            setattr(state, f"count{level}", getattr(state, f"count{level}") + 1)
        else:
            setattr(state, f"count{level}", 0)
            setattr(state, f"since{level}", None)
    target = state.level
    for level, setpoint in ((2, rules.level2), (1, rules.level1)):
        count, since = getattr(state, f"count{level}"), getattr(state, f"since{level}")
        if level > state.level and _confirmed(count, since, ts, rules):
            target = level
            confirming = (level, setpoint, count, since)
            break
    if target > state.level:
        level, setpoint, count, since = confirming
        kind = EventKind.RAISE if state.level == 0 else EventKind.ESCALATE
        events.append(Event(kind, level, ts, value, setpoint, count, since))
        state.level = level
        state.clear_count = 0
        return events
    if state.level == 0:
        return events
    if rules.inside_band(value, rules.level1):
        state.clear_count += 1
        if state.clear_count >= rules.clear_repeat:
            events.append(Event(EventKind.CLEAR, 0, ts, value, rules.level1, state.clear_count))
            state.level, state.clear_count = 0, 0
        return events
    state.clear_count = 0
    if state.level == 2 and rules.inside_band(value, rules.level2):
        state.level = 1  # still an alarm; a new run beyond the second set-point escalates again
    return events
