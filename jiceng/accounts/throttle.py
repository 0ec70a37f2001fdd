"""Failed-login throttling: N failures per username or per client address within a window lock both."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"jiceng:login-failures:{kind}:{digest}"


def _keys(username: str, address: str) -> list[str]:
    return [_key("user", username.lower()), _key("addr", address)]


def is_locked(username: str, address: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(k) or 0) >= limit for k in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in _keys(username, address):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=window)


def reset(username: str) -> None:
    cache.delete(_key("user", username.lower()))
