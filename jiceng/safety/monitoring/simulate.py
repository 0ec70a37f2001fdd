"""``jiceng simulate``: realistic readings for the registered sensors, with occasional excursions.

Each sensor wanders around a baseline below its first set-point (noise of about 1.5 % of its
range); now and then (``excursion_rate`` per sensor and round) a value ramps past the first
set-point — sometimes past the second —, holds, and falls back, so that alarms are raised,
escalated and cleared exactly as with field devices. Readings go to the real broker (single
messages on ``jiceng/readings/<code>``, or one ``jiceng/batches/<gateway>`` message per gateway with
``--batch``); with ``--in-process`` (no broker on the demo machine) they go straight into the same
``Ingestor.process`` the MQTT ingest uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import random
import signal
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from jiceng.safety.monitoring.ingest import Ingestor, mqtt_url, topic_root
from jiceng.safety.monitoring.models import Sensor, SensorDirection
from jiceng.safety.monitoring.mqtt import BrokerAddress, MqttClient

logger = logging.getLogger("jiceng.simulate")


@dataclasses.dataclass
class SimSensor:
    code: str
    gateway: str | None
    level1: float
    level2: float
    high: bool
    low: float
    top: float
    baseline: float
    noise: float
    excursion: list[float] = dataclasses.field(default_factory=list)

    @classmethod
    def of(cls, sensor: Sensor) -> SimSensor:
        high = sensor.direction == SensorDirection.HIGH
        span = sensor.range_max - sensor.range_min
        if high:
            baseline = sensor.range_min + 0.3 * (sensor.level1 - sensor.range_min)
        else:
            baseline = sensor.level1 + 0.5 * (sensor.range_max - sensor.level1)
        return cls(
            code=sensor.code,
            gateway=sensor.gateway.code if sensor.gateway_id else None,
            level1=sensor.level1,
            level2=sensor.level2,
            high=high,
            low=sensor.range_min,
            top=sensor.range_max,
            baseline=baseline,
            noise=0.015 * span,
        )

    def start_excursion(self, rng: random.Random) -> None:
        """Ramp past the first set-point (a third of the time past the second), hold, fall back."""
        target = self.level2 if rng.random() < 1 / 3 else self.level1
        peak = target + (target - self.baseline) * rng.uniform(0.1, 0.3)
        ramp = [self.baseline + (peak - self.baseline) * k / 3 for k in (1, 2)]
        hold = [peak + rng.uniform(-1, 1) * self.noise for _ in range(rng.randint(4, 7))]
        self.excursion = [*ramp, *hold, *reversed(ramp)]

    def next_value(self, rng: random.Random) -> float:
        value = self.excursion.pop(0) if self.excursion else self.baseline + rng.gauss(0, self.noise)
        return round(min(max(value, self.low), self.top), 3)


class Simulator:
    def __init__(
        self, sensors: Iterable[Sensor], *, seed: int = 2026, excursion_rate: float = 0.002, root: str | None = None
    ) -> None:
        self.root = root or topic_root()
        self.rng = random.Random(seed)  # noqa: S311  (simulated readings, not secrets)
        self.sensors = [SimSensor.of(s) for s in sensors]
        self.excursion_rate = excursion_rate
        self.sent = 0

    def readings(self, now: dt.datetime) -> list[tuple[SimSensor, str, float]]:
        """One reading per sensor at ``now`` (``ts`` with millisecond precision and its offset)."""
        ts = timezone.localtime(now).isoformat(timespec="milliseconds")
        out = []
        for sensor in self.sensors:
            if not sensor.excursion and self.rng.random() < self.excursion_rate:
                sensor.start_excursion(self.rng)
            out.append((sensor, ts, sensor.next_value(self.rng)))
        return out

    def messages(self, now: dt.datetime, *, batch: bool) -> list[tuple[str, bytes]]:
        rows = self.readings(now)
        readings_prefix, batches_prefix = f"{self.root}/readings/", f"{self.root}/batches/"
        if not batch:
            return [
                (f"{readings_prefix}{s.code}", json.dumps({"ts": ts, "value": value}).encode()) for s, ts, value in rows
            ]
        by_gateway: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        singles = []
        for s, ts, value in rows:
            if s.gateway is None:
                singles.append((f"{readings_prefix}{s.code}", json.dumps({"ts": ts, "value": value}).encode()))
            else:
                by_gateway[s.gateway].append({"sensor": s.code, "ts": ts, "value": value})
        return singles + [
            (f"{batches_prefix}{gateway}", json.dumps(items).encode()) for gateway, items in by_gateway.items()
        ]


def active_sensors(source_ids: list[int] | None = None) -> list[Sensor]:
    qs = Sensor.objects.filter(is_active=True).select_related("gateway").order_by("id")
    if source_ids:
        qs = qs.filter(source_id__in=source_ids)
    return list(qs)


def run(
    *,
    interval: float = 5.0,
    rounds: int | None = None,
    duration: float | None = None,
    batch: bool = False,
    in_process: bool = False,
    url: str | None = None,
    seed: int = 2026,
    excursion_rate: float = 0.002,
    source_ids: list[int] | None = None,
) -> int:
    """Publish a round of readings every ``interval`` seconds until stopped; the readings sent."""
    stopping = False

    def stop(*_args: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    simulator = Simulator(active_sensors(source_ids), seed=seed, excursion_rate=excursion_rate)
    if not simulator.sensors:
        logger.warning("no active sensors to simulate")
        return 0
    ingestor = Ingestor() if in_process else None
    client = None
    if not in_process:
        client = MqttClient(BrokerAddress.parse(url or mqtt_url()), f"jiceng-simulate-{seed}", clean_start=True,
                            session_expiry=0)  # fmt: skip
        client.connect()
    started = time.monotonic()
    done = 0
    try:
        while not stopping:
            messages = simulator.messages(timezone.now(), batch=batch)
            if ingestor is not None:
                ingestor.process(messages)
            else:
                assert client is not None
                client.publish_many(messages)
                client.read(0)  # settle acknowledgements
            simulator.sent += len(simulator.sensors)
            done += 1
            if (rounds is not None and done >= rounds) or (
                duration is not None and time.monotonic() - started >= duration
            ):
                break
            pause = interval - (time.monotonic() - started) % interval
            deadline = time.monotonic() + pause
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.2, max(deadline - time.monotonic(), 0)))
    finally:
        if client is not None:
            client.wait_acknowledged(10)
            client.disconnect()
    return simulator.sent
