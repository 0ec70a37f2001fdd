"""``jiceng ingest``: MQTT readings → validated rows in the partitioned table → per-sensor state
machine → alarms through the alerts engine (architecture data flow 1).

Topics (QoS 1):

- ``jiceng/readings/<sensor code>`` with ``{"ts": "<ISO 8601 with offset>", "value": <number>}``;
- ``jiceng/batches/<gateway code>`` with ``[{"sensor": "<code>", "ts": …, "value": …}, …]`` (only the
  gateway's own sensors).

Each worker subscribes through the shared subscription ``$share/<group>/…``, so any number of
workers split the stream. A batch of messages is processed in **one transaction** — rows COPYed,
duplicates dropped by the ``(sensor, ts)`` key, sensor states locked (``FOR NO KEY UPDATE``, in
sensor order), stepped and written back, alarms opened — and the messages are acknowledged (PUBACK)
only **after the commit**. A worker killed mid-batch therefore loses nothing (the broker redelivers
its unacknowledged messages when it reconnects with the same client id) and processes nothing twice
(a redelivered reading hits the key; a state never steps back in time).

Bad payloads are counted by reason and logged (rate-limited); they never stop the worker.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import math
import os
import signal
import socket
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import close_old_connections, connection, connections, transaction
from django.utils import timezone

from jiceng.core.policies.services import PolicyValue, get_policy
from jiceng.safety.monitoring import readings, services
from jiceng.safety.monitoring.models import Sensor, SensorDirection, SensorKind, SensorState
from jiceng.safety.monitoring.mqtt import BrokerAddress, Message, MqttClient, MqttError
from jiceng.safety.monitoring.statemachine import EventKind, State, Thresholds, step

logger = logging.getLogger("jiceng.ingest")

DEFAULT_ROOT = "jiceng"
READINGS_PREFIX = f"{DEFAULT_ROOT}/readings/"
BATCHES_PREFIX = f"{DEFAULT_ROOT}/batches/"
DEFAULT_GROUP = "jiceng-ingest"
STATE_FIELDS = (
    "level",
    "count1",
    "since1",
    "count2",
    "since2",
    "clear_count",
    "last_ts",
    "last_value",
    "alarm_id",
    "offline",
    "readings",
)


def mqtt_url() -> str:
    return os.environ.get("JICENG_MQTT_URL", "mqtt://127.0.0.1:1883")


def topic_root() -> str:
    """The first topic level (``jiceng``); a broker shared by several installations gives each its own."""
    return os.environ.get("JICENG_MQTT_TOPIC_ROOT", DEFAULT_ROOT).strip("/") or DEFAULT_ROOT


# --- configuration --------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class SensorConfig:
    """What the ingest needs to know about one sensor, with every number from its policies."""

    id: int
    code: str
    name: str
    unit: str
    source_id: int
    source_name: str
    area_path: str
    gateway_code: str | None
    range_min: float
    range_max: float
    thresholds: Thresholds
    repeat_policy: PolicyValue
    setpoint_source: str
    evidence_seconds: int
    max_skew: float
    max_age: float


class ConfigCache:
    """Sensor configurations by code, rebuilt every ``ttl`` seconds (and at once for an unknown code,
    at most every ``miss_ttl`` seconds)."""

    def __init__(self, ttl: float = 30.0, miss_ttl: float = 5.0) -> None:
        self.ttl, self.miss_ttl = ttl, miss_ttl
        self.by_code: dict[str, SensorConfig] = {}
        self.loaded_at = -math.inf
        self.missed_at = -math.inf

    def get(self, code: str) -> SensorConfig | None:
        now = time.monotonic()
        if now - self.loaded_at > self.ttl:
            self.reload()
        found = self.by_code.get(code)
        if found is None and now - self.missed_at > self.miss_ttl and now - self.loaded_at > self.miss_ttl:
            self.missed_at = now
            self.reload()
            found = self.by_code.get(code)
        return found

    def reload(self) -> None:
        today = timezone.localdate()
        policies: dict[str, dict[str, PolicyValue]] = {}

        def rules(area_path: str) -> dict[str, PolicyValue]:
            if area_path not in policies:
                keys = (
                    "alarm_repeat_readings",
                    "alarm_min_duration_seconds",
                    "clear_hysteresis_pct",
                    "clear_repeat_readings",
                    "evidence_window_seconds",
                    "max_clock_skew_seconds",
                    "max_reading_age_hours",
                )
                policies[area_path] = {
                    k: get_policy(f"safety.monitoring.{k}", area_path=area_path, on=today) for k in keys
                }
                policies[area_path]["flammable"] = get_policy(
                    "safety.alarm.flammable_gas_level1_max_pct_lel", area_path=area_path, on=today
                )
                policies[area_path]["toxic"] = get_policy(
                    "safety.alarm.toxic_gas_level1_max_pct_oel", area_path=area_path, on=today
                )
            return policies[area_path]

        found: dict[str, SensorConfig] = {}
        sensors = Sensor.objects.filter(is_active=True).select_related("source__enterprise", "gateway")
        for sensor in sensors:
            p = rules(sensor.area_path)
            setpoint_source = ""
            if sensor.kind == SensorKind.FLAMMABLE_GAS:
                setpoint_source = p["flammable"].cite()
            elif sensor.kind == SensorKind.TOXIC_GAS:
                setpoint_source = p["toxic"].cite()
            found[sensor.code] = SensorConfig(
                id=sensor.pk,
                code=sensor.code,
                name=sensor.name,
                unit=sensor.unit,
                source_id=sensor.source_id,
                source_name=str(sensor.source),
                area_path=sensor.area_path,
                gateway_code=sensor.gateway.code if sensor.gateway_id else None,
                range_min=sensor.range_min,
                range_max=sensor.range_max,
                thresholds=Thresholds(
                    level1=sensor.level1,
                    level2=sensor.level2,
                    high=sensor.direction == SensorDirection.HIGH,
                    repeat=int(p["alarm_repeat_readings"].value),
                    min_duration=float(p["alarm_min_duration_seconds"].value),
                    clear_pct=float(p["clear_hysteresis_pct"].value),
                    clear_repeat=int(p["clear_repeat_readings"].value),
                ),
                repeat_policy=p["alarm_repeat_readings"],
                setpoint_source=setpoint_source,
                evidence_seconds=int(p["evidence_window_seconds"].value),
                max_skew=float(p["max_clock_skew_seconds"].value),
                max_age=float(p["max_reading_age_hours"].value) * 3600,
            )
        self.by_code = found
        self.loaded_at = time.monotonic()


# --- parsing and validation -----------------------------------------------------------------
class Rejected(ValueError):
    """One reading (or message) refused; ``reason`` is the counter it goes to."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def parse_ts(raw: Any) -> dt.datetime:
    if not isinstance(raw, str):
        raise Rejected("bad_ts", repr(raw))
    try:
        ts = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise Rejected("bad_ts", raw) from exc
    if ts.tzinfo is None:
        raise Rejected("naive_ts", raw)  # a reading without an offset is ambiguous: refuse it
    return ts


def parse_value(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise Rejected("bad_value", repr(raw))
    value = float(raw)
    if not math.isfinite(value):
        raise Rejected("bad_value", repr(raw))
    return value


@dataclasses.dataclass
class Batch:
    rows: list[tuple[SensorConfig, dt.datetime, float]] = dataclasses.field(default_factory=list)
    rejected: Counter[str] = dataclasses.field(default_factory=Counter)
    samples: list[str] = dataclasses.field(default_factory=list)

    def reject(self, error: Rejected, topic: str) -> None:
        self.rejected[error.reason] += 1
        if len(self.samples) < 5:
            self.samples.append(f"{topic}: {error}")


def check_reading(config: SensorConfig, ts: dt.datetime, value: float, now: dt.datetime) -> None:
    age = (now - ts).total_seconds()
    if age < -config.max_skew:
        raise Rejected("future_ts", f"{config.code} {ts.isoformat()}")
    if age > config.max_age:
        raise Rejected("stale_ts", f"{config.code} {ts.isoformat()}")
    if not config.range_min <= value <= config.range_max:
        raise Rejected("out_of_range", f"{config.code} {value} not in {config.range_min}–{config.range_max}")


def decode(
    messages: Iterable[tuple[str, bytes]], configs: ConfigCache, now: dt.datetime, root: str = DEFAULT_ROOT
) -> Batch:
    """Validate every message; good readings into ``rows``, the rest counted by reason."""
    readings_prefix, batches_prefix = f"{root}/readings/", f"{root}/batches/"
    batch = Batch()
    for topic, payload in messages:
        try:
            data = json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            batch.reject(Rejected("bad_json"), topic)
            continue
        if topic.startswith(readings_prefix):
            code = topic[len(readings_prefix) :]
            items: Sequence[Any] = [dict(data, sensor=code)] if isinstance(data, dict) else [None]
            gateway = None
        elif topic.startswith(batches_prefix):
            gateway = topic[len(batches_prefix) :]
            if not isinstance(data, list):
                batch.reject(Rejected("bad_batch", "a batch is a JSON array"), topic)
                continue
            items = data
        else:
            batch.reject(Rejected("bad_topic"), topic)
            continue
        for item in items:
            try:
                if not isinstance(item, dict):
                    raise Rejected("bad_shape", repr(item)[:80])
                config = configs.get(str(item.get("sensor")))
                if config is None:
                    raise Rejected("unknown_sensor", str(item.get("sensor")))
                if gateway is not None and config.gateway_code != gateway:
                    raise Rejected("wrong_gateway", f"{config.code} is not wired to {gateway}")
                ts, value = parse_ts(item.get("ts")), parse_value(item.get("value"))
                check_reading(config, ts, value, now)
            except Rejected as error:
                batch.reject(error, topic)
                continue
            batch.rows.append((config, ts, value))
    return batch


# --- the pipeline -----------------------------------------------------------------------------
@dataclasses.dataclass
class Totals:
    messages: int = 0
    accepted: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: Counter[str] = dataclasses.field(default_factory=Counter)
    events: Counter[str] = dataclasses.field(default_factory=Counter)
    batches: int = 0
    redelivered: int = 0  # messages the broker sent again (DUP): a previous session did not acknowledge them

    def as_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "accepted": self.accepted,
            "inserted": self.inserted,
            "duplicates": self.duplicates,
            "rejected": dict(self.rejected),
            "events": dict(self.events),
            "batches": self.batches,
            "redelivered": self.redelivered,
        }


class Ingestor:
    """The database half of the ingest: ``process(messages)`` is one transaction."""

    def __init__(self, configs: ConfigCache | None = None, *, root: str | None = None) -> None:
        self.configs = configs or ConfigCache()
        self.root = root or topic_root()
        self.totals = Totals()
        self._warned_at = 0.0

    def process(self, messages: Sequence[tuple[str, bytes]]) -> dict[str, Any]:
        now = timezone.now()
        batch = decode(messages, self.configs, now, self.root)
        rows = [(config.id, ts, value) for config, ts, value in batch.rows]
        with transaction.atomic():
            inserted = readings.insert_readings(rows)
            events = self._step(batch.rows) if batch.rows else Counter()
        self.totals.messages += len(messages)
        self.totals.accepted += len(rows)
        self.totals.inserted += inserted
        self.totals.duplicates += len(rows) - inserted
        self.totals.rejected.update(batch.rejected)
        self.totals.events.update(events)
        self.totals.batches += 1
        if batch.rejected and time.monotonic() - self._warned_at > 10:
            self._warned_at = time.monotonic()
            logger.warning("rejected %s; e.g. %s", dict(batch.rejected), "; ".join(batch.samples))
        return {"accepted": len(rows), "inserted": inserted, "rejected": dict(batch.rejected), "events": dict(events)}

    def _step(self, rows: list[tuple[SensorConfig, dt.datetime, float]]) -> Counter[str]:
        by_sensor: dict[int, list[tuple[dt.datetime, float]]] = defaultdict(list)
        configs: dict[int, SensorConfig] = {}
        for config, ts, value in rows:
            by_sensor[config.id].append((ts, value))
            configs[config.id] = config
        states = load_states(sorted(by_sensor))
        counts: Counter[str] = Counter()
        changed: list[tuple[int, State]] = []
        peaks: dict[int, float] = {}
        highs: dict[int, bool] = {}
        for sensor_id in sorted(by_sensor):
            config, state = configs[sensor_id], states[sensor_id]
            high = config.thresholds.high
            for ts, value in sorted(by_sensor[sensor_id]):
                for event in step(config.thresholds, state, ts, value):
                    counts[event.kind.value] += 1
                    self._apply(config, state, event)
                if state.level and state.alarm_id:
                    best = peaks.get(state.alarm_id)
                    if best is None or (value > best if high else value < best):
                        peaks[state.alarm_id], highs[state.alarm_id] = value, high
            changed.append((sensor_id, state))
        save_states(changed)
        services.note_peaks(peaks, highs)
        return counts

    def _apply(self, config: SensorConfig, state: State, event: Any) -> None:
        if event.kind == EventKind.ONLINE:
            services.close_offline_alarms(config.id, ts=event.ts, value=event.value)
        elif event.kind == EventKind.RAISE:
            if state.alarm_id and alarm_is_open(state.alarm_id):
                services.reactivate_alarm(
                    config, state.alarm_id, level=event.level, value=event.value, setpoint=event.setpoint, ts=event.ts
                )
            else:
                alarm = services.open_alarm(
                    config,
                    level=event.level,
                    value=event.value,
                    setpoint=event.setpoint,
                    ts=event.ts,
                    count=event.count,
                )
                state.alarm_id = alarm.pk
        elif event.kind == EventKind.ESCALATE and state.alarm_id:
            services.escalate_alarm(
                config, state.alarm_id, value=event.value, setpoint=event.setpoint, ts=event.ts, count=event.count
            )
        elif event.kind == EventKind.CLEAR and state.alarm_id:
            services.clear_alarm(state.alarm_id, ts=event.ts, value=event.value)


def alarm_is_open(alarm_id: int) -> bool:
    from jiceng.safety.monitoring.models import OPEN_ALARM_STATES, Alarm

    return Alarm.objects.filter(pk=alarm_id, state__in=OPEN_ALARM_STATES).exists()


def load_states(sensor_ids: list[int]) -> dict[int, State]:
    """The states of ``sensor_ids``, locked for this transaction (sensor order: no deadlocks between
    workers); a sensor without a row gets a fresh state."""
    qs = SensorState.objects.filter(sensor_id__in=sensor_ids).order_by("sensor_id")
    if connection.features.has_select_for_update:
        qs = qs.select_for_update(no_key=True)
    found = {
        row["sensor_id"]: State(**{name: row[name] for name in STATE_FIELDS})
        for row in qs.values("sensor_id", *STATE_FIELDS)
    }
    missing = [pk for pk in sensor_ids if pk not in found]
    if missing:
        SensorState.objects.bulk_create([SensorState(sensor_id=pk) for pk in missing], ignore_conflicts=True)
        for pk in missing:
            found[pk] = State()
    return found


def save_states(changed: list[tuple[int, State]]) -> None:
    if not changed:
        return
    columns = ", ".join(f"{connection.ops.quote_name(f)} = %s" for f in STATE_FIELDS)
    table = connection.ops.quote_name(SensorState._meta.db_table)
    sql = f"UPDATE {table} SET {columns} WHERE sensor_id = %s"  # noqa: S608
    adapt = connection.ops.adapt_datetimefield_value

    def value(state: State, name: str) -> Any:
        raw = getattr(state, name)
        return adapt(raw) if isinstance(raw, dt.datetime) else raw

    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*(value(state, f) for f in STATE_FIELDS), pk] for pk, state in changed])


# --- the MQTT loop ----------------------------------------------------------------------------
def default_client_id() -> str:
    return f"jiceng-ingest-{socket.gethostname()}-{os.getpid()}"


class IngestWorker:
    """One ``jiceng ingest`` process: MQTT in, batches through ``Ingestor``, acknowledgements after commit."""

    def __init__(
        self,
        *,
        url: str | None = None,
        client_id: str | None = None,
        group: str = DEFAULT_GROUP,
        batch_max: int = 5000,
        batch_bytes: int = 512 * 1024,
        flush_ms: int = 50,
        offline_every: float = 10.0,
        stats_file: str | None = None,
        session_expiry: int = 3600,
        root: str | None = None,
        stats_every: float = 5.0,
    ) -> None:
        self.address = BrokerAddress.parse(url or mqtt_url())
        self.client_id = client_id or default_client_id()
        self.group = group
        self.batch_max = batch_max
        self.batch_bytes = batch_bytes
        self.flush = flush_ms / 1000
        self.offline_every = offline_every
        self.stats_file = stats_file
        self.session_expiry = session_expiry
        self.root = root or topic_root()
        self.stats_every = stats_every
        self.ingestor = Ingestor(root=self.root)
        self.stopping = False
        self.client: MqttClient | None = None

    def filters(self) -> list[str]:
        prefix = f"$share/{self.group}/" if self.group else ""
        return [f"{prefix}{self.root}/readings/+", f"{prefix}{self.root}/batches/+"]

    def connect(self) -> MqttClient:
        client = MqttClient(self.address, self.client_id, clean_start=False, session_expiry=self.session_expiry)
        client.connect()
        client.subscribe(self.filters(), qos=1)
        logger.info("ingest %s connected to %s:%s (session present: %s)", self.client_id,
                    self.address.host, self.address.port, client.session_present)  # fmt: skip
        return client

    def stop(self, *_args: Any) -> None:
        self.stopping = True

    def run(self, *, max_seconds: float | None = None, install_signals: bool = True) -> Totals:
        """Consume until stopped (SIGTERM/SIGINT, ``stop()``) or ``max_seconds`` pass; reconnect on
        broker errors. ``install_signals=False`` when running in a thread (tests)."""
        if install_signals:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        started = time.monotonic()
        readings.ensure_partitions(timezone.now())
        next_offline = time.monotonic() + self.offline_every
        next_stats = time.monotonic() + self.stats_every
        pending: list[Message] = []
        pending_bytes = 0
        first_at = 0.0
        while not self.stopping and (max_seconds is None or time.monotonic() - started < max_seconds):
            try:
                if self.client is None:
                    self.client = self.connect()
                    self._write_stats()  # also tells a supervisor (or a test) that we are subscribed
                wait = self.flush - (time.monotonic() - first_at) if pending else 0.5
                for message in self.client.read(max(wait, 0.0)):
                    if not pending:
                        first_at = time.monotonic()
                    pending.append(message)
                    pending_bytes += len(message.payload)
                full = len(pending) >= self.batch_max or pending_bytes >= self.batch_bytes
                if pending and (full or time.monotonic() - first_at >= self.flush):
                    self._flush(pending)
                    pending, pending_bytes = [], 0
                now = time.monotonic()
                if now >= next_offline:
                    next_offline = now + self.offline_every
                    services.scan_offline()
                if now >= next_stats:
                    next_stats = now + self.stats_every
                    self._write_stats()
            except MqttError as exc:
                logger.warning("broker connection lost (%s); reconnecting", exc)
                pending, pending_bytes = [], 0  # unacknowledged: the broker redelivers them to our session
                self._drop_client()
                time.sleep(1)
            except Exception:
                logger.exception("batch failed; retrying it (nothing was acknowledged)")
                close_old_connections()
                time.sleep(1)
        if pending and self.client is not None:
            self._flush(pending)
        self._write_stats()
        if self.client is not None:
            self.client.disconnect()
        connections.close_all()  # this thread's database connection (a worker thread in tests)
        return self.ingestor.totals

    def _flush(self, pending: list[Message]) -> None:
        self.ingestor.process([(m.topic, m.payload) for m in pending])
        self.ingestor.totals.redelivered += sum(1 for m in pending if m.dup)
        assert self.client is not None
        self.client.ack(m.packet_id for m in pending if m.qos)

    def _drop_client(self) -> None:
        if self.client is not None:
            self.client.close()
        self.client = None

    def _write_stats(self) -> None:
        totals = self.ingestor.totals.as_dict()
        if self.stats_every >= 5:
            logger.info("ingest %s: %s", self.client_id, totals)
        if self.stats_file:
            tmp = f"{self.stats_file}.tmp"
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump({"client_id": self.client_id, "at": timezone.now().isoformat(), **totals}, handle)
            os.replace(tmp, self.stats_file)
