"""Test factories for the policies engine (the scope test matrix discovers ``TEST_FACTORIES``)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from jiceng.core.policies.models import Policy
from jiceng.core.policies.services import do_create_policy

_serial = itertools.count(1)


def make_policy(area: Any = None, **kwargs: Any) -> Policy:
    """A policy row for ``area`` (national when None), created through the service as the system."""
    data = {
        "key": f"test.rule_{next(_serial)}",
        "name": "测试阈值",
        "value_type": "integer",
        "value": "10",
        "unit": "人",
        "area_code": area.code if area is not None else "",
        "area_path": area.path if area is not None else "",
        "effective_from": dt.date(2020, 1, 1),
        "source_document": "测试文件",
        "source_article": "第一条",
        "source_status": "seed",
    }
    data.update(kwargs)
    return do_create_policy(data=data, acting_user=None)


TEST_FACTORIES = {Policy: make_policy}
