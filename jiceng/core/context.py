"""Per-request (or per-command) context: the request id and the acting user.

Services receive ``acting_user`` explicitly; the request id travels in a context variable
so that audit entries written deep inside a service still carry it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("jiceng_request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def get_request_id() -> str:
    """The current request id; outside a request, one id per call site context."""
    value = _request_id.get()
    if value is None:
        value = new_request_id()
        _request_id.set(value)
    return value


@contextlib.contextmanager
def request_context(request_id: str | None = None) -> Iterator[str]:
    token = _request_id.set(request_id or new_request_id())
    try:
        yield _request_id.get() or ""
    finally:
        _request_id.reset(token)
