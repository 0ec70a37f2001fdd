"""Bench: sensor readings through ``jiceng ingest`` vs the broker's own delivery, on this machine.

Everything runs on loopback against the real Mosquitto (127.0.0.1:1883) and PostgreSQL; every load
is bounded in count and time. One publisher process (Jiceng's MQTT client, pipelined QoS 1 — faster
than any subscriber here) sends a fixed number of readings; the figures are data points per second
from the first publish to the last reading delivered (baselines) or stored with its state stepped
(ingest), so the publisher's own speed is in every figure alike.

- ``broker → paho (do nothing)`` and ``broker → raw client (do nothing)``: the broker's delivery
  rate to a subscriber that only counts (paho-mqtt, the reference client; and the lean client the
  ingest uses) — the baselines the ingest figures are ratios to;
- ``ingest ×1 / ×2``: one or two ``jiceng ingest`` processes sharing one subscription (validation,
  COPY into the partitioned table, per-sensor state machine, PUBACK after commit);
- the same for **batched** gateway messages (``jiceng/batches/<gw>``, 100 readings each);
- **latency**: 100 excursions (three readings beyond the set-point each, four a second) under a
  background load of 2,000 readings/s;
  publish of the confirming reading → the alarm row's ``discovered_at``, p50/p99, beside the
  broker's own publish → delivery latency under the same load.

Data: 1,000 sensors on 20 gateways in the bench database (created once), readings truncated
between phases. Backlogs stay under the broker's limits (Receive Maximum 65,535 in flight): nothing
is dropped, and the bench fails if a single reading is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from bench import common

SENSORS, GATEWAYS = 1000, 20
SINGLE = 25_000  # messages of one reading (a backlog above ~35,000 makes this Mosquitto drop for a slow subscriber)
BATCHED_MESSAGES, PER_BATCH = 5_000, 100  # 500,000 readings
TRIGGERS = 100
TRIGGER_EVERY = 0.25  # seconds between excursions (4 alarms/s: a bad day at a big plant)
BACKGROUND_RATE = 2000  # readings/s while the latency is measured
TIME_LIMIT = 180.0
BACKLOG_BYTES = 2_000_000  # what the publisher may run ahead of the ingest


def setup() -> dict[str, Any]:
    common.setup_django()
    from django.db import transaction

    from jiceng.core.policies.services import do_load_policies, read_seed_file
    from jiceng.directory.identifiers import make_credit_code
    from jiceng.directory.models import Area, Enterprise
    from jiceng.safety.monitoring import services
    from jiceng.safety.monitoring.models import Gateway, MajorHazardSource, Sensor, SensorState

    if common.marker("ingest_v1") is None:
        with transaction.atomic():
            area = Area.objects.filter(code="371522000000").first() or services_area()
            do_load_policies(
                read_seed_file(), acting_user=None, area_paths=dict(Area.objects.values_list("code", "path"))
            )
            enterprise = Enterprise.objects.create(
                name="基准测试化工有限公司", credit_code=make_credit_code("91", "BENCH001", "371522"), area=area
            )
            source = MajorHazardSource.objects.create(enterprise=enterprise, name="基准罐区", kind="storage_tanks")
            gateways = [
                Gateway.objects.create(code=f"bench-gw-{g:02d}", enterprise=enterprise) for g in range(GATEWAYS)
            ]
            sensors = Sensor.objects.bulk_create(
                [
                    Sensor(
                        code=f"bench-{i:04d}",
                        source=source,
                        area_path=area.path,
                        gateway=gateways[i % GATEWAYS],
                        name="可燃气体探测器",
                        kind="flammable_gas",
                        unit="%LEL",
                        level1=20,
                        level2=40,
                        range_max=100,
                    )
                    for i in range(SENSORS)
                ]
            )
            SensorState.objects.bulk_create([SensorState(sensor=s) for s in sensors])
            services.load_substances()
        common.set_marker("ingest_v1", "1")
    sensors = list(
        Sensor.objects.filter(code__startswith="bench-").order_by("code").values_list("code", "gateway__code")
    )
    return {"sensors": sensors}


def services_area() -> Any:
    from jiceng.directory.services import do_create_area

    parent = None
    for code, name in (("370000000000", "山东省"), ("371500000000", "聊城市"), ("371522000000", "莘县")):
        from jiceng.directory.models import Area

        parent = Area.objects.filter(code=code).first() or do_create_area(
            data={"code": code, "name": name, "parent": parent}, acting_user=None
        )
    return parent


def reset_readings(last_ts: dt.datetime | None = None) -> None:
    """Empty the readings and reset the bench sensors' states, as if each had last reported at
    ``last_ts`` (so that the offline scan sees live sensors, as in the field)."""
    from django.db import connection

    from jiceng.safety.monitoring.models import Alarm, SensorState

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE safety_monitoring_reading")
    SensorState.objects.filter(sensor__code__startswith="bench-").update(
        level=0, count1=0, since1=None, count2=0, since2=None, clear_count=0, last_ts=last_ts, last_value=None,
        alarm=None, offline=False, readings=0,
    )  # fmt: skip
    Alarm.objects.filter(sensor__code__startswith="bench-").delete()


def fresh_start() -> dt.datetime:
    """Readings of a phase start half a minute ago (recent, as live readings are)."""
    return dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30)


# --- messages -------------------------------------------------------------------------------
def single_messages(
    root: str, sensors: list[tuple[str, str]], count: int, start: dt.datetime
) -> list[tuple[str, bytes]]:
    out = []
    for i in range(count):
        code = sensors[i % len(sensors)][0]
        ts = (start + dt.timedelta(milliseconds=i // len(sensors) * 10)).isoformat()
        out.append((f"{root}/readings/{code}", json.dumps({"ts": ts, "value": 5.0}).encode()))
    return out


def batch_messages(
    root: str, sensors: list[tuple[str, str]], count: int, start: dt.datetime
) -> list[tuple[str, bytes]]:
    by_gateway: dict[str, list[str]] = {}
    for code, gateway in sensors:
        by_gateway.setdefault(gateway, []).append(code)
    gateways = sorted(by_gateway)
    cursor = dict.fromkeys(gateways, 0)
    out = []
    for i in range(count):
        gateway = gateways[i % len(gateways)]
        codes = by_gateway[gateway]
        items = []
        for _ in range(PER_BATCH):
            n = cursor[gateway]
            cursor[gateway] += 1
            ts = (start + dt.timedelta(milliseconds=n // len(codes) * 10)).isoformat()
            items.append({"sensor": codes[n % len(codes)], "ts": ts, "value": 5.0})
        out.append((f"{root}/batches/{gateway}", json.dumps(items).encode()))
    return out


def publish(messages: list[tuple[str, bytes]]) -> float:
    """Publish in this process (pipelined QoS 1); the wall-clock time the first one went out."""
    from jiceng.safety.monitoring.mqtt import BrokerAddress, MqttClient

    client = MqttClient(BrokerAddress.parse("mqtt://127.0.0.1:1883"), f"bench-pub-{uuid.uuid4().hex[:6]}",
                        clean_start=True, session_expiry=0)  # fmt: skip
    client.connect()
    started = time.time()
    client.publish_many(messages, window=5000)
    if not client.wait_acknowledged(TIME_LIMIT):
        raise RuntimeError("the broker did not acknowledge every publish")
    client.disconnect()
    return started


# --- baselines: a subscriber that only counts -----------------------------------------------
def counting_subscriber(kind: str, topic_filter: str, expect: int, ready: threading.Event, out: dict[str, Any]) -> None:
    if kind == "paho":
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        got = [0]
        done = threading.Event()

        def on_message(client: Any, userdata: Any, message: Any) -> None:
            got[0] += 1
            if got[0] >= expect:
                out["last"] = time.time()
                done.set()

        client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-paho-{uuid.uuid4().hex[:6]}",
                             protocol=paho.MQTTv5)  # fmt: skip
        client.on_message = on_message
        props = Properties(PacketTypes.CONNECT)
        props.ReceiveMaximum = 65535
        client.connect("127.0.0.1", 1883, properties=props)
        client.subscribe(topic_filter, qos=1)
        client.loop_start()
        time.sleep(0.5)
        ready.set()
        done.wait(TIME_LIMIT)
        client.loop_stop()
        client.disconnect()
        out["got"] = got[0]
        return
    from jiceng.safety.monitoring.mqtt import BrokerAddress, MqttClient

    client = MqttClient(BrokerAddress.parse("mqtt://127.0.0.1:1883"), f"bench-raw-{uuid.uuid4().hex[:6]}",
                        clean_start=True, session_expiry=0)  # fmt: skip
    client.connect()
    client.subscribe([topic_filter])
    ready.set()
    got, deadline = 0, time.monotonic() + TIME_LIMIT
    while got < expect and time.monotonic() < deadline:
        messages = client.read(0.5)
        got += len(messages)
        client.ack(m.packet_id for m in messages)
    out["last"] = time.time()
    out["got"] = got
    client.disconnect()


def baseline(kind: str, messages: list[tuple[str, bytes]], root: str, points: int) -> float:
    """Data points per second delivered to a do-nothing subscriber (in a thread of this process)."""
    ready, out = threading.Event(), {}
    thread = threading.Thread(target=counting_subscriber, args=(kind, f"{root}/#", len(messages), ready, out))
    thread.start()
    ready.wait(30)
    started = publish(messages)
    thread.join(TIME_LIMIT)
    if out.get("got") != len(messages):
        raise RuntimeError(f"{kind} subscriber got {out.get('got')} of {len(messages)} messages")
    return points / (out["last"] - started)


# --- the ingest -------------------------------------------------------------------------------
def start_workers(count: int, root: str, tmp: Path) -> tuple[list[subprocess.Popen], list[Path]]:
    env = {**os.environ, "DATABASE_URL": common.bench_url(), "JICENG_DEBUG": "1", "JICENG_MQTT_TOPIC_ROOT": root}
    group = f"bench-{uuid.uuid4().hex[:6]}"
    procs, stats = [], []
    for n in range(count):
        path = tmp / f"w{n}.json"
        command = [sys.executable, "-m", "jiceng", "ingest", "--client-id", f"{group}-{n}", "--group", group,
                   "--stats-file", str(path), "--stats-every", "0.1", "--max-seconds", str(TIME_LIMIT),
                   "--log-level", "WARNING"]  # fmt: skip
        procs.append(subprocess.Popen(command, cwd=common.ROOT, env=env))  # noqa: S603
        stats.append(path)
    deadline = time.monotonic() + 60
    while not all(p.exists() for p in stats):
        if time.monotonic() > deadline:
            raise RuntimeError("the ingest workers did not start")
        time.sleep(0.1)
    return procs, stats


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(30)


def totals(stats: list[Path]) -> dict[str, int]:
    found = {"inserted": 0, "duplicates": 0, "rejected": 0}
    for path in stats:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        found["inserted"] += data["inserted"]
        found["duplicates"] += data["duplicates"]
        found["rejected"] += sum(data["rejected"].values())
    return found


def through_ingest(workers: int, make: Any, points: int, root: str) -> float:
    """Sustained data points/s into the database. The publisher keeps at most ``BACKLOG_BYTES`` ahead
    of what the workers have stored (the feedback is their stats files): a real plant streams, it
    does not dump a minute of readings at once, and Mosquitto drops what a busy subscriber cannot
    take beyond its socket buffer and ``max_queued_messages``."""
    from jiceng.safety.monitoring.mqtt import BrokerAddress, MqttClient

    start = fresh_start()
    messages = make(start)
    per_message = points / len(messages)
    reset_readings(start - dt.timedelta(seconds=1))
    with tempfile.TemporaryDirectory() as tmp:
        procs, stats = start_workers(workers, root, Path(tmp))
        try:
            client = MqttClient(BrokerAddress.parse("mqtt://127.0.0.1:1883"), f"bench-pub-{uuid.uuid4().hex[:6]}",
                                clean_start=True, session_expiry=0)  # fmt: skip
            client.connect()
            deadline = time.monotonic() + TIME_LIMIT
            started = time.time()
            sent, sent_bytes, done, last = 0, 0, 0, started
            size = sum(len(payload) for _topic, payload in messages) / len(messages)
            while time.monotonic() < deadline:
                now = totals(stats)
                if now["inserted"] != done:
                    done, last = now["inserted"], time.time()
                if done >= points:
                    break
                ahead = (sent * per_message - done) / per_message * size
                if sent < len(messages) and ahead < BACKLOG_BYTES:
                    step = max(1, int((BACKLOG_BYTES - ahead) / size))
                    chunk = messages[sent : sent + step]
                    client.publish_many(chunk, window=5000)
                    sent += len(chunk)
                    sent_bytes += sum(len(p) for _t, p in chunk)
                client.read(0)
                time.sleep(0.01)
            client.disconnect()
            found = totals(stats)
        finally:
            stop_workers(procs)
    if found["inserted"] != points or found["rejected"]:
        raise RuntimeError(f"ingest ×{workers}: {found} of {points} readings")
    return points / (last - started)


# --- latency ----------------------------------------------------------------------------------
def latency(root: str, sensors: list[tuple[str, str]]) -> tuple[list[float], list[float]]:
    """(ingest: publish → alarm discovered, broker: publish → delivered) in seconds, under load."""
    from jiceng.safety.monitoring.models import Alarm
    from jiceng.safety.monitoring.mqtt import BrokerAddress, MqttClient

    start = fresh_start()
    reset_readings(start - dt.timedelta(seconds=1))
    triggers, background = sensors[:TRIGGERS], sensors[TRIGGERS:]
    delivered: dict[str, float] = {}
    ready = threading.Event()

    def watch() -> None:  # the broker's own latency: a do-nothing subscriber on the trigger sensors
        client = MqttClient(BrokerAddress.parse("mqtt://127.0.0.1:1883"), f"bench-lat-{uuid.uuid4().hex[:6]}",
                            clean_start=True, session_expiry=0)  # fmt: skip
        client.connect()
        client.subscribe([f"{root}/readings/{code}" for code, _gw in triggers])
        ready.set()
        deadline = time.monotonic() + TIME_LIMIT
        while len(delivered) < TRIGGERS and time.monotonic() < deadline:
            for m in client.read(0.2):
                if json.loads(m.payload)["value"] > 20:
                    delivered.setdefault(m.topic.rsplit("/", 1)[1], time.time())
            client.ack([])
        client.disconnect()

    with tempfile.TemporaryDirectory() as tmp:
        procs, _stats = start_workers(1, root, Path(tmp))
        watcher = threading.Thread(target=watch)
        watcher.start()
        ready.wait(30)
        client = MqttClient(BrokerAddress.parse("mqtt://127.0.0.1:1883"), f"bench-lp-{uuid.uuid4().hex[:6]}",
                            clean_start=True, session_expiry=0)  # fmt: skip
        client.connect()
        sent_at: dict[str, float] = {}
        try:
            began, tick = time.monotonic(), 0
            for index, (code, _gw) in enumerate(triggers):
                # background readings at BACKGROUND_RATE between excursions
                for _ in range(int(BACKGROUND_RATE * TRIGGER_EVERY)):
                    other = background[tick % len(background)][0]
                    ts = (start + dt.timedelta(milliseconds=tick)).isoformat()
                    client.publish(f"{root}/readings/{other}", json.dumps({"ts": ts, "value": 5.0}).encode())
                    tick += 1
                for step in range(3):
                    ts = (start + dt.timedelta(seconds=index * TRIGGER_EVERY, milliseconds=step)).isoformat()
                    client.publish(f"{root}/readings/{code}", json.dumps({"ts": ts, "value": 25.0}).encode())
                sent_at[code] = time.time()
                client.read(0)
                time.sleep(max(TRIGGER_EVERY * (index + 1) - (time.monotonic() - began), 0))
            client.wait_acknowledged(30)
            deadline = time.monotonic() + 60
            while (
                Alarm.objects.filter(sensor__code__in=list(sent_at)).count() < TRIGGERS and time.monotonic() < deadline
            ):
                time.sleep(0.2)
        finally:
            client.disconnect()
            stop_workers(procs)
            watcher.join(30)
    found = dict(Alarm.objects.filter(sensor__code__in=list(sent_at)).values_list("sensor__code", "discovered_at"))
    if len(found) != TRIGGERS or len(delivered) != TRIGGERS:
        raise RuntimeError(f"latency: {len(found)} alarms, {len(delivered)} deliveries of {TRIGGERS}")
    ingest = [found[code].timestamp() - sent_at[code] for code in sent_at]
    broker = [delivered[code] - sent_at[code] for code in sent_at]
    return ingest, broker


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(ctx: common.Context) -> list[common.Result]:
    data = setup()
    sensors = data["sensors"]
    root = f"bench{uuid.uuid4().hex[:6]}"

    def single(start: dt.datetime) -> list[tuple[str, bytes]]:
        return single_messages(root, sensors, SINGLE, start)

    def batched(start: dt.datetime) -> list[tuple[str, bytes]]:
        return batch_messages(root, sensors, BATCHED_MESSAGES, start)

    points = BATCHED_MESSAGES * PER_BATCH
    results: list[common.Result] = []

    def figure(name: str, value: float, base: common.Result | None, note: str = "") -> common.Result:
        result = common.Result(name, value, "points/s", note, n=1)
        if base is not None:
            result.baseline, result.ratio = base.name, value / base.value
        else:
            result.baseline, result.ratio = name, 1.0
        results.append(result)
        return result

    paho_single = figure("ingest single: broker → paho (do nothing)", baseline("paho", single(fresh_start()), root, SINGLE), None,
                         f"{SINGLE:,} QoS 1 messages of one reading")  # fmt: skip
    figure(
        "ingest single: broker → raw client (do nothing)",
        baseline("raw", single(fresh_start()), root, SINGLE),
        paho_single,
    )
    figure("ingest single: jiceng ingest ×1", through_ingest(1, single, SINGLE, root), paho_single)
    figure("ingest single: jiceng ingest ×2", through_ingest(2, single, SINGLE, root), paho_single,
           "two processes, one shared subscription")  # fmt: skip
    raw_batched = figure("ingest batched: broker → raw client (do nothing)", baseline("raw", batched(fresh_start()), root, points), None,
                         f"{BATCHED_MESSAGES:,} gateway messages of {PER_BATCH} readings")  # fmt: skip
    figure("ingest batched: jiceng ingest ×1", through_ingest(1, batched, points, root), raw_batched)
    figure("ingest batched: jiceng ingest ×2", through_ingest(2, batched, points, root), raw_batched)
    ingest_latency, broker_latency = latency(root, sensors)
    for share, label in ((0.5, "p50"), (0.99, "p99")):
        base = common.Result(f"latency {label}: broker publish → delivery", percentile(broker_latency, share), "s",
                             f"under {BACKGROUND_RATE:,} readings/s", n=len(broker_latency))  # fmt: skip
        base.baseline, base.ratio = base.name, 1.0
        mine = common.Result(f"latency {label}: publish → alarm row", percentile(ingest_latency, share), "s",
                             "the confirming reading's publish → Alarm.discovered_at", n=len(ingest_latency))  # fmt: skip
        mine.baseline, mine.ratio = base.name, mine.value / base.value if base.value else None
        results += [base, mine]
    results.append(
        common.Result("latency mean: publish → alarm row", statistics.mean(ingest_latency), "s", n=len(ingest_latency))
    )
    reset_readings()
    return results
