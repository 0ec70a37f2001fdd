"""Against the real Mosquitto on 127.0.0.1:1883 (CI starts it; a missing broker fails these tests):
our MQTT client, redelivery of unacknowledged messages, and readings published by a standard client
(paho-mqtt) arriving as an alarm row through ``IngestWorker``."""

import datetime as dt
import json
import threading
import time
import uuid

import paho.mqtt.client as paho
import pytest
from django.db import connection
from django.utils import timezone
from paho.mqtt.enums import CallbackAPIVersion

from jiceng.safety.monitoring.ingest import IngestWorker, mqtt_url
from jiceng.safety.monitoring.models import Alarm, Reading
from jiceng.safety.monitoring.mqtt import BrokerAddress, MqttClient
from jiceng.safety.monitoring.tests.factories import make_gateway, make_sensor, make_source

ADDRESS = BrokerAddress.parse(mqtt_url())


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def paho_publisher() -> paho.Client:
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=unique("test-pub"), protocol=paho.MQTTv5)
    client.connect(ADDRESS.host, ADDRESS.port)
    client.loop_start()
    return client


def wait_for(condition, timeout=20.0, every=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    return condition()


def test_round_trip_and_redelivery_of_unacknowledged_messages():
    root = unique("jt")
    client_id = unique("sub")
    sub = MqttClient(ADDRESS, client_id, clean_start=True, session_expiry=60)
    sub.connect()
    sub.subscribe([f"$share/{unique('g')}/{root}/readings/+"])
    pub = MqttClient(ADDRESS, unique("pub"), clean_start=True, session_expiry=0)
    pub.connect()
    pub.publish_many((f"{root}/readings/s{i}", f"{i}".encode()) for i in range(50))
    assert pub.wait_acknowledged(10) and pub.pending == 0
    got = []
    wait_for(lambda: got.extend(sub.read(0.2)) or len(got) >= 50)
    assert sorted(int(m.payload) for m in got) == list(range(50))
    assert {m.qos for m in got} == {1} and not any(m.dup for m in got)
    sub.ack(m.packet_id for m in got[:20])  # 30 stay unacknowledged
    sub.close()  # gone without DISCONNECT, like a killed process
    again = MqttClient(ADDRESS, client_id, clean_start=False, session_expiry=60)
    again.connect()
    assert again.session_present
    redelivered = []
    wait_for(lambda: redelivered.extend(again.read(0.2)) or len(redelivered) >= 30)
    unacked = {int(m.payload) for m in got[20:]}
    back = {int(m.payload) for m in redelivered}
    # at least once: every unacknowledged message comes back; an acknowledgement still on the wire
    # when the connection dropped may bring its message back too (the ingest's key absorbs that)
    assert unacked <= back <= set(range(50)) and len(back - unacked) <= 20
    assert any(m.dup for m in redelivered)  # sent before: marked as a retransmission
    again.ack(m.packet_id for m in redelivered)
    again.disconnect()
    pub.disconnect()


@pytest.mark.django_db(transaction=True)
def test_a_reading_published_to_the_broker_becomes_an_alarm_row(safety_cast):
    """The issue's acceptance test: real broker, real ingest loop, the alarm row in the database."""
    area = safety_cast.area("燕店镇")
    source = make_source(area)
    sensor = make_sensor(area, source=source, level1=20, level2=40)
    gateway = make_gateway(area, enterprise=source.enterprise, code=unique("gw"))
    batched = make_sensor(area, source=source, gateway=gateway, level1=20, level2=40)
    root = unique("jt")
    worker = IngestWorker(client_id=unique("ingest"), group=unique("g"), root=root, flush_ms=20)
    thread = threading.Thread(target=worker.run, kwargs={"max_seconds": 30, "install_signals": False})
    thread.start()
    try:
        assert wait_for(lambda: worker.client is not None, 10), "the ingest did not connect"
        publisher = paho_publisher()
        start = timezone.now() - dt.timedelta(seconds=10)
        for i, value in enumerate([5, 21, 22, 23, 24]):
            body = {"ts": (start + dt.timedelta(seconds=i)).isoformat(), "value": value}
            publisher.publish(f"{root}/readings/{sensor.code}", json.dumps(body), qos=1).wait_for_publish(5)
        items = [
            {"sensor": batched.code, "ts": (start + dt.timedelta(seconds=i)).isoformat(), "value": v}
            for i, v in enumerate([45, 46, 47])
        ]
        publisher.publish(f"{root}/batches/{gateway.code}", json.dumps(items), qos=1).wait_for_publish(5)
        publisher.publish(f"{root}/readings/{sensor.code}", b"not json", qos=1).wait_for_publish(5)
        publisher.loop_stop()
        publisher.disconnect()
        alarm = wait_for(lambda: Alarm.objects.filter(sensor=sensor).first())
        second = wait_for(lambda: Alarm.objects.filter(sensor=batched).first())
        wait_for(lambda: worker.ingestor.totals.rejected.get("bad_json"))
    finally:
        worker.stop()
        thread.join(15)
    assert not thread.is_alive()
    assert alarm is not None and (alarm.level, alarm.reading_value) == ("level1", 23.0)
    assert second is not None and second.level == "level2"
    assert Reading.objects.filter(sensor__in=[sensor, batched]).count() == 8
    assert worker.ingestor.totals.rejected["bad_json"] == 1
    connection.close()
