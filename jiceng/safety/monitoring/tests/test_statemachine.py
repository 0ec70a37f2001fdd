"""The alarm state machine (pure): repeat and duration conditions, hysteresis, levels, time order."""

import datetime as dt

from jiceng.safety.monitoring.statemachine import EventKind, State, Thresholds, step

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
RULES = Thresholds(level1=25, level2=50, high=True, repeat=3, min_duration=0, clear_pct=10, clear_repeat=3)


def feed(values, rules=RULES, state=None, every=1.0, start=T0):
    state = state or State()
    events = []
    for i, value in enumerate(values):
        events += step(rules, state, start + dt.timedelta(seconds=every * i), value)
    return state, events


def kinds(events):
    return [(e.kind, e.level) for e in events]


def test_two_readings_beyond_are_not_an_alarm_three_are():
    state, events = feed([5, 30, 30])
    assert events == [] and state.level == 0
    state, events = feed([5, 30, 30, 30])
    assert kinds(events) == [(EventKind.RAISE, 1)]
    assert events[0].count == 3 and events[0].setpoint == 25 and events[0].run_started == T0 + dt.timedelta(seconds=1)


def test_the_set_point_itself_is_beyond_and_just_below_is_not():
    assert kinds(feed([25, 25, 25])[1]) == [(EventKind.RAISE, 1)]
    assert feed([24.999, 24.999, 24.999])[1] == []


def test_an_interrupted_run_starts_counting_again():
    state, events = feed([30, 30, 10, 30, 30])
    assert events == [] and state.count1 == 2


def test_the_duration_condition_needs_the_run_to_last():
    rules = Thresholds(25, 50, True, repeat=3, min_duration=10, clear_pct=10, clear_repeat=3)
    # three readings beyond within 4 s: not yet
    _state, events = feed([30, 30, 30], rules=rules, every=2)
    assert events == []
    # the run reaches 10 s at the sixth reading (t = 0 … 10 s)
    _state, events = feed([30] * 6, rules=rules, every=2)
    assert kinds(events) == [(EventKind.RAISE, 1)] and events[0].ts == T0 + dt.timedelta(seconds=10)


def test_escalation_and_a_direct_second_level():
    _state, events = feed([30, 30, 30, 55, 55, 55])
    assert kinds(events) == [(EventKind.RAISE, 1), (EventKind.ESCALATE, 2)]
    _state, events = feed([60, 60, 60])
    assert kinds(events) == [(EventKind.RAISE, 2)]


def test_hysteresis_inside_the_band_does_not_clear():
    state, _events = feed([30, 30, 30])
    # 23 is below the set-point but inside the 10 % band (clear below 22.5): no progress
    state, events = feed([23, 23, 23, 23], state=state, start=T0 + dt.timedelta(seconds=10))
    assert events == [] and state.level == 1 and state.clear_count == 0
    state, events = feed([22, 22], state=state, start=T0 + dt.timedelta(seconds=20))
    assert events == [] and state.clear_count == 2
    state, events = feed([22], state=state, start=T0 + dt.timedelta(seconds=30))
    assert kinds(events) == [(EventKind.CLEAR, 0)] and state.level == 0


def test_leaving_the_second_level_drops_to_the_first_and_can_escalate_again():
    state, _events = feed([60, 60, 60])
    state, events = feed([40], state=state, start=T0 + dt.timedelta(seconds=10))
    assert events == [] and state.level == 1
    state, events = feed([55, 55, 55], state=state, start=T0 + dt.timedelta(seconds=20))
    assert kinds(events) == [(EventKind.ESCALATE, 2)]


def test_low_direction():
    rules = Thresholds(level1=20, level2=10, high=False, repeat=2, min_duration=0, clear_pct=10, clear_repeat=2)
    state, events = feed([50, 19, 19], rules=rules)
    assert kinds(events) == [(EventKind.RAISE, 1)]
    state, events = feed([21, 23, 23], rules=rules, state=state, start=T0 + dt.timedelta(seconds=10))
    # 21 is inside the band (clear above 22); 23, 23 clear
    assert kinds(events) == [(EventKind.CLEAR, 0)]


def test_old_and_duplicate_readings_do_not_move_the_state():
    state, _events = feed([30, 30, 30])
    before = (state.level, state.count1, state.readings, state.last_ts)
    assert step(RULES, state, T0 + dt.timedelta(seconds=2), 0) == []  # the same timestamp again
    assert step(RULES, state, T0, 0) == []  # older
    assert (state.level, state.count1, state.readings, state.last_ts) == before


def test_a_reading_from_an_offline_sensor_brings_it_online_first():
    state = State(offline=True)
    events = step(RULES, state, T0, 5)
    assert kinds(events) == [(EventKind.ONLINE, 0)] and not state.offline
