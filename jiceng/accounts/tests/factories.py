"""Test factories for accounts (the scope test matrix discovers ``TEST_FACTORIES``)."""

from __future__ import annotations

import itertools
from typing import Any

from jiceng.accounts.models import User
from jiceng.accounts.services import do_create_user

_serial = itertools.count(1)


def make_user(area: Any, **kwargs: Any) -> User:
    """A user holding ``directory_viewer`` over ``area`` (so the user is scoped to it)."""
    data: dict[str, Any] = {
        "username": f"test_user_{next(_serial)}",
        "password": "factory-password-2026",
        "area_code": area.code,
        "role_keys": ["directory_viewer"],
        "check_password": False,
    }
    data.update(kwargs)
    return do_create_user(**data)


TEST_FACTORIES = {User: make_user}
