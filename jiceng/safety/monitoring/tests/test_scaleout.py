"""Scale-out on loopback: two ``jiceng ingest`` processes share one MQTT subscription; one is killed
(SIGKILL) mid-stream and restarted with its client id. Every reading is stored exactly once, and an
excursion split between the two workers raises exactly one alarm.

Needs PostgreSQL (the workers are separate processes writing to the test database) and the real
broker; it runs in the PostgreSQL pass of ``make test``.
"""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from jiceng.safety.monitoring.ingest import mqtt_url
from jiceng.safety.monitoring.models import Alarm, Reading
from jiceng.safety.monitoring.mqtt import BrokerAddress, MqttClient
from jiceng.safety.monitoring.tests.factories import make_sensor, make_source

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="separate worker processes need PostgreSQL"),
]

SENSORS, PER_SENSOR, RATE = 10, 240, 600  # 2,400 readings at 600 readings/s: a 4-second stream


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(client_id: str, group: str, root: str, stats: Path, flush_ms: int) -> subprocess.Popen:
    env = {**os.environ, "JICENG_TESTING": "1", "JICENG_TEST_DATABASE_URL": database_url(),
           "JICENG_MQTT_TOPIC_ROOT": root}  # fmt: skip
    command = [sys.executable, "-m", "jiceng", "ingest", "--client-id", client_id, "--group", group,
               "--flush-ms", str(flush_ms), "--stats-file", str(stats), "--max-seconds", "90",
               "--log-level", "WARNING"]  # fmt: skip
    return subprocess.Popen(command, env=env)


def test_two_workers_share_the_stream_and_a_killed_one_loses_nothing(safety_cast, tmp_path):
    area = safety_cast.area("燕店镇")
    source = make_source(area)
    sensors = [make_sensor(area, source=source, level1=20, level2=40) for _ in range(SENSORS)]
    excursion = sensors[0]
    root, group = f"jt-{uuid.uuid4().hex[:8]}", f"g-{uuid.uuid4().hex[:8]}"
    ids = [f"ingest-a-{uuid.uuid4().hex[:6]}", f"ingest-b-{uuid.uuid4().hex[:6]}"]
    stats = [tmp_path / "a.json", tmp_path / "b.json", tmp_path / "a2.json"]
    workers = [start_worker(ids[0], group, root, stats[0], 300), start_worker(ids[1], group, root, stats[1], 50)]
    try:
        deadline = time.monotonic() + 60
        while not all(p.exists() for p in stats[:2]) and time.monotonic() < deadline:
            time.sleep(0.2)  # each worker writes its stats file once connected and subscribed
        assert all(p.exists() for p in stats[:2]), "the workers did not start"
        publisher = MqttClient(BrokerAddress.parse(mqtt_url()), f"pub-{uuid.uuid4().hex[:6]}", clean_start=True,
                               session_expiry=0)  # fmt: skip
        publisher.connect()
        start = timezone.now() - dt.timedelta(minutes=10)
        total = SENSORS * PER_SENSOR
        killed = restarted = False
        began = time.monotonic()
        for i in range(PER_SENSOR):
            ts = (start + dt.timedelta(seconds=i)).isoformat()
            for sensor in sensors:
                # sensor 0 rises past the first set-point for 40 readings in the middle of the stream
                value = 30.0 if sensor is excursion and 100 <= i < 140 else 5.0
                publisher.publish(f"{root}/readings/{sensor.code}", json.dumps({"ts": ts, "value": value}).encode())
            sent = (i + 1) * SENSORS
            time.sleep(max(sent / RATE - (time.monotonic() - began), 0))
            if not killed and sent >= total // 3:
                # freeze it first so that messages are certainly delivered to it and never acknowledged,
                # then kill it: mid-stream and mid-batch
                workers[0].send_signal(signal.SIGSTOP)
                time.sleep(0.3)
                workers[0].send_signal(signal.SIGKILL)
                workers[0].wait(10)
                killed = True
            if killed and not restarted and sent >= total // 2:
                workers.append(start_worker(ids[0], group, root, stats[2], 50))  # same client id: same session
                restarted = True
            publisher.read(0)
        assert publisher.wait_acknowledged(30)
        publisher.disconnect()
        stored = lambda: Reading.objects.filter(sensor__in=sensors).count()  # noqa: E731
        deadline = time.monotonic() + 60
        while stored() < total and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        running = [w for w in workers if w.poll() is None]
        for worker in running:
            worker.send_signal(signal.SIGTERM)
        for worker in running:
            worker.wait(30)
    assert stored() == total  # none lost, none twice (the key would refuse a second copy anyway)
    survivor, revived = (json.loads(p.read_text()) for p in (stats[1], stats[2]))
    assert survivor["inserted"] > 0 and revived["inserted"] > 0  # both really shared the stream
    assert survivor["rejected"] == revived["rejected"] == {}
    assert revived["redelivered"] > 0  # the killed worker's unacknowledged messages came back to its session
    assert Alarm.objects.filter(sensor=excursion).count() == 1
    assert Alarm.objects.exclude(sensor=excursion).count() == 0
