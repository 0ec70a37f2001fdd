"""The request id: generated per request, an incoming plain id honoured, a forged one replaced."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_generated_when_absent(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.parametrize("incoming", ["req-42", "5f0c2a1e-7d3b-4c1a-9f00-3c2b1a000001", "lb:node1.abc_9"])
def test_plain_incoming_id_is_honoured(client, incoming):
    assert client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", ["two words", "x" * 65, "id\tforged", "user=admin;ok", "请求"])
def test_unsafe_incoming_id_is_replaced(client, incoming):
    echoed = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert echoed != incoming
    assert len(echoed) == 32 and echoed.isalnum()
