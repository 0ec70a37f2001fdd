"""Test factories for the deadlines engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiceng.core.deadlines.models import Reminder
from jiceng.core.deadlines.services import do_create_reminder


def make_reminder(area: Any = None, **kwargs: Any) -> Reminder:
    data = {
        "subject": "整改复核",
        "area_code": area.code if area is not None else "",
        "area_path": area.path if area is not None else "",
        "start_on": dt.date(2026, 9, 30),
        "workdays": 5,
    }
    data.update(kwargs)
    return do_create_reminder(data=data, acting_user=None)


TEST_FACTORIES = {Reminder: make_reminder}
