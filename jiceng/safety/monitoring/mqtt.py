"""A small MQTT 5.0 client for the telemetry hot path (docs/decisions/0009-own-mqtt-client-for-ingest.md).

It does what the ingest and the simulator need and nothing else: connect (persistent session, a
large Receive Maximum), subscribe with QoS 1 (shared subscriptions are plain topic filters
``$share/<group>/<filter>``), receive PUBLISH packets parsed from a 256 KiB read buffer, acknowledge
them **when the caller says so** (after its database commit), publish with QoS 0/1 pipelined, ping.

Why not paho-mqtt here: paho reads every packet with several ``recv`` calls and one ``select`` per
packet, which caps a Python subscriber at about 8,000 messages/s on this machine (measured in
``bench/bench_ingest.py``), and it acknowledges on its own thread. paho stays the reference client of
the tests and the bench baseline.

Not supported (not needed): QoS 2, topic aliases (we announce Topic Alias Maximum 0), AUTH, will
messages, retained-message handling beyond the flag.
"""

from __future__ import annotations

import contextlib
import dataclasses
import select
import socket
import ssl
import struct
import time
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

CONNECT, CONNACK, PUBLISH, PUBACK = 1, 2, 3, 4
SUBSCRIBE, SUBACK, PINGREQ, PINGRESP, DISCONNECT = 8, 9, 12, 13, 14
PROP_SESSION_EXPIRY, PROP_RECEIVE_MAXIMUM = 0x11, 0x21
# Property identifier → value kind, for skipping properties we do not use (MQTT 5.0 §2.2.2.2).
PROPERTY_KINDS = {
    0x01: "byte", 0x02: "int4", 0x03: "str", 0x08: "str", 0x09: "bin", 0x0B: "varint", 0x11: "int4",
    0x12: "str", 0x13: "int2", 0x15: "str", 0x16: "bin", 0x17: "byte", 0x18: "int4", 0x19: "byte",
    0x1A: "str", 0x1C: "str", 0x1F: "str", 0x21: "int2", 0x22: "int2", 0x23: "int2", 0x24: "byte",
    0x25: "byte", 0x26: "pair", 0x27: "int4", 0x28: "byte", 0x29: "byte", 0x2A: "byte",
}  # fmt: skip
READ_CHUNK = 256 * 1024


class MqttError(ConnectionError):
    """The broker refused, or the connection broke."""


@dataclasses.dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> BrokerAddress:
        """``mqtt://[user[:password]@]host[:1883]`` or ``mqtts://…[:8883]``."""
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts", "tcp"):
            raise ValueError(f"an MQTT URL starts with mqtt:// or mqtts:// (got {url!r})")
        tls = parts.scheme == "mqtts"
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (8883 if tls else 1883),
            tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


@dataclasses.dataclass(frozen=True)
class Message:
    topic: str
    payload: bytes
    qos: int
    packet_id: int | None
    dup: bool


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value % 128, value // 128
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def encode_str(text: str) -> bytes:
    data = text.encode()
    return struct.pack("!H", len(data)) + data


def packet(kind: int, flags: int, body: bytes) -> bytes:
    return bytes([(kind << 4) | flags]) + encode_varint(len(body)) + body


def encode_publish(topic: str, payload: bytes, *, qos: int = 1, packet_id: int = 0, retain: bool = False) -> bytes:
    body = encode_str(topic) + (struct.pack("!H", packet_id) if qos else b"") + b"\x00" + payload
    return packet(PUBLISH, (qos << 1) | int(retain), body)


def _read_varint(data: bytes | bytearray | memoryview, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
        if shift > 21:
            raise MqttError("malformed variable byte integer")


def _skip_properties(data: bytes | memoryview, pos: int) -> int:
    length, pos = _read_varint(data, pos)
    return pos + length


class MqttClient:
    """One connection to the broker. Not thread-safe: one thread reads, acknowledges and publishes."""

    def __init__(
        self,
        address: BrokerAddress,
        client_id: str,
        *,
        clean_start: bool = False,
        session_expiry: int = 3600,
        receive_maximum: int = 65535,
        keepalive: int = 30,
    ) -> None:
        self.address = address
        self.client_id = client_id
        self.clean_start = clean_start
        self.session_expiry = session_expiry
        self.receive_maximum = receive_maximum
        self.keepalive = keepalive
        self.sock: socket.socket | None = None
        self._buffer = bytearray()
        self._next_id = 0
        self._last_sent = 0.0
        self._unacked: set[int] = set()  # our QoS 1 publishes awaiting PUBACK
        self._early: list[Message] = []  # publishes that arrived while waiting for a CONNACK/SUBACK
        self._control: list[tuple[int, int, bytes]] = []
        self.session_present = False

    # --- connection ---------------------------------------------------------------------------
    def connect(self, timeout: float = 10.0) -> None:
        raw = socket.create_connection((self.address.host, self.address.port), timeout=timeout)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.address.tls:
            raw = ssl.create_default_context().wrap_socket(raw, server_hostname=self.address.host)
        self.sock = raw
        flags = 0x02 if self.clean_start else 0
        payload = encode_str(self.client_id)
        if self.address.username is not None:
            flags |= 0x80
            payload += encode_str(self.address.username)
            if self.address.password is not None:
                flags |= 0x40
                payload += encode_str(self.address.password)
        props = bytes([PROP_SESSION_EXPIRY]) + struct.pack("!I", self.session_expiry)
        props += bytes([PROP_RECEIVE_MAXIMUM]) + struct.pack("!H", self.receive_maximum)
        body = encode_str("MQTT") + bytes([5, flags]) + struct.pack("!H", self.keepalive)
        body += encode_varint(len(props)) + props + payload
        self._send(packet(CONNECT, 0, body))
        _kind, _flags, data = self._expect(CONNACK, timeout)
        self.session_present = bool(data[0] & 0x01)
        if data[1] != 0:
            raise MqttError(f"the broker refused the connection (reason code 0x{data[1]:02x})")
        raw.settimeout(None)

    def subscribe(self, filters: Iterable[str], qos: int = 1, timeout: float = 10.0) -> list[int]:
        filters = list(filters)
        packet_id = self._packet_id()
        body = struct.pack("!H", packet_id) + b"\x00"
        for topic_filter in filters:
            body += encode_str(topic_filter) + bytes([qos])
        self._send(packet(SUBSCRIBE, 0x02, body))
        deadline = time.monotonic() + timeout
        while True:
            _kind, _flags, data = self._expect(SUBACK, max(deadline - time.monotonic(), 0.1))
            if struct.unpack_from("!H", data)[0] == packet_id:
                break
        pos = _skip_properties(data, 2)
        codes = list(data[pos:])
        if any(code >= 0x80 for code in codes):
            raise MqttError(f"the broker refused a subscription: {codes} for {filters}")
        return codes

    def disconnect(self) -> None:
        if self.sock is None:
            return
        with contextlib.suppress(OSError):
            self._send(packet(DISCONNECT, 0, b"\x00"))
        self.close()

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None

    # --- receiving ----------------------------------------------------------------------------
    def read(self, timeout: float) -> list[Message]:
        """The PUBLISH packets available within ``timeout`` seconds (possibly none)."""
        assert self.sock is not None, "not connected"
        messages, self._early = self._early, []
        if not messages and not (self._buffer and self._parse(messages)):
            ready, _, _ = select.select([self.sock], [], [], max(timeout, 0))
            if ready:
                self._fill()
                self._parse(messages)
        self.tick()
        return messages

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(READ_CHUNK)
        if not chunk:
            raise MqttError("the broker closed the connection")
        self._buffer += chunk
        # drain whatever else is already there without blocking
        self.sock.setblocking(False)
        try:
            while len(self._buffer) < 8 * READ_CHUNK:
                more = self.sock.recv(READ_CHUNK)
                if not more:
                    break
                self._buffer += more
        except (BlockingIOError, ssl.SSLWantReadError):
            pass
        finally:
            self.sock.setblocking(True)

    def _parse(self, messages: list[Message]) -> bool:
        """Parse every complete packet in the buffer: PUBLISH packets into ``messages``, PUBACKs of
        our publishes settle them, CONNACK/SUBACK wait in ``_control``. True when a PUBLISH came out."""
        buf = self._buffer
        view = memoryview(buf)
        pos, end, found = 0, len(buf), False
        try:
            while end - pos >= 2:
                header = buf[pos]
                try:
                    length, body_start = _read_varint(buf, pos + 1)
                except IndexError:
                    break
                if body_start + length > end:
                    break
                kind, flags = header >> 4, header & 0x0F
                if kind == PUBLISH:
                    qos = (flags >> 1) & 0x03
                    topic_len = (buf[body_start] << 8) | buf[body_start + 1]
                    cursor = body_start + 2 + topic_len
                    topic = bytes(view[body_start + 2 : cursor]).decode()
                    packet_id = None
                    if qos:
                        packet_id = (buf[cursor] << 8) | buf[cursor + 1]
                        cursor += 2
                    cursor = _skip_properties(buf, cursor)
                    payload = bytes(view[cursor : body_start + length])
                    messages.append(Message(topic, payload, qos, packet_id, bool(flags & 0x08)))
                    found = True
                elif kind == PUBACK:
                    self._unacked.discard((buf[body_start] << 8) | buf[body_start + 1])
                elif kind == DISCONNECT:
                    reason = buf[body_start] if length else 0
                    raise MqttError(f"the broker disconnected us (reason code 0x{reason:02x})")
                elif kind in (CONNACK, SUBACK):
                    self._control.append((kind, flags, bytes(view[body_start : body_start + length])))
                # PINGRESP and anything else: nothing to do
                pos = body_start + length
        finally:
            view.release()
        del buf[:pos]
        return found

    def _expect(self, wanted: int, timeout: float) -> tuple[int, int, bytes]:
        """Read until a control packet of kind ``wanted`` arrives (connect, subscribe); PUBLISH packets
        that come first (a resumed session's redeliveries) are kept for the next ``read``."""
        assert self.sock is not None
        deadline = time.monotonic() + timeout
        while True:
            self._parse(self._early)
            for index, item in enumerate(self._control):
                if item[0] == wanted:
                    return self._control.pop(index)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise MqttError(f"no packet of type {wanted} from the broker within {timeout:.0f} s")
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if ready:
                chunk = self.sock.recv(READ_CHUNK)
                if not chunk:
                    raise MqttError("the broker closed the connection")
                self._buffer += chunk

    # --- acknowledging and publishing ---------------------------------------------------------
    def ack(self, packet_ids: Iterable[int | None]) -> int:
        """PUBACK every given packet id in one write (after the caller has committed their work)."""
        out = bytearray()
        count = 0
        for packet_id in packet_ids:
            if packet_id is None:
                continue
            out += b"\x40\x02" + struct.pack("!H", packet_id)
            count += 1
        if out:
            self._send(bytes(out))
        return count

    def publish(self, topic: str, payload: bytes, *, qos: int = 1, retain: bool = False) -> int | None:
        """Queue one PUBLISH (sent at once); with QoS 1 its id stays in ``pending`` until the PUBACK."""
        packet_id = self._packet_id() if qos else 0
        self._send(encode_publish(topic, payload, qos=qos, packet_id=packet_id, retain=retain))
        if qos:
            self._unacked.add(packet_id)
            return packet_id
        return None

    def publish_many(self, items: Iterable[tuple[str, bytes]], *, qos: int = 1, window: int = 2000) -> int:
        """Publish many messages in large writes, keeping at most ``window`` unacknowledged."""
        out = bytearray()
        sent = 0
        for topic, payload in items:
            packet_id = self._packet_id() if qos else 0
            while qos and len(self._unacked) >= window:
                if out:
                    self._send(bytes(out))
                    out.clear()
                self.read(1.0)
            out += encode_publish(topic, payload, qos=qos, packet_id=packet_id)
            if qos:
                self._unacked.add(packet_id)
            sent += 1
            if len(out) > 64 * 1024:
                self._send(bytes(out))
                out.clear()
        if out:
            self._send(bytes(out))
        return sent

    @property
    def pending(self) -> int:
        return len(self._unacked)

    def wait_acknowledged(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while self._unacked and time.monotonic() < deadline:
            self.read(min(0.5, max(deadline - time.monotonic(), 0)))
        return not self._unacked

    def tick(self) -> None:
        """Send a PINGREQ when nothing was sent for most of the keep-alive interval."""
        if self.keepalive and time.monotonic() - self._last_sent > self.keepalive * 0.75:
            self._send(packet(PINGREQ, 0, b""))

    def _send(self, data: bytes) -> None:
        if self.sock is None:
            raise MqttError("not connected")
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise MqttError(f"sending to the broker failed: {exc}") from exc
        self._last_sent = time.monotonic()

    def _packet_id(self) -> int:
        for _ in range(65535):
            self._next_id = self._next_id % 65535 + 1
            if self._next_id not in self._unacked:
                return self._next_id
        raise MqttError("every packet id is in flight")
