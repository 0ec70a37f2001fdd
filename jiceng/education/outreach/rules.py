"""The rules of consultation and outreach as policies (every number read with ``get_policy``).

- ``education.consultation.callback_workdays``: a consultation received on day *d* is called back by
  the end of the N-th Chinese workday after *d* (``add_workdays``; holidays and 调休 counted);
- ``education.consultation.callback_escalate_workdays``: the overdue-callback alert rises from
  yellow to orange that many workdays after the due day;
- ``education.consultation.callback_target_pct``: the callback rate the dispatch and the weekly
  ranking are measured against (东昌府区: 100%, seed 003 「确保100%回访」);
- ``education.study_group.min_per_village``: every natural village where a school has students has
  at least this many of its study groups (seed 001 「每个自然村组成1个或多个学习小组」).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiceng.core.deadlines.calendar import add_workdays, provisional_years
from jiceng.core.deadlines.models import end_of_day
from jiceng.core.policies.services import PolicyValue, get_policy

CALLBACK_WORKDAYS = "education.consultation.callback_workdays"
CALLBACK_ESCALATE_WORKDAYS = "education.consultation.callback_escalate_workdays"
CALLBACK_TARGET_PCT = "education.consultation.callback_target_pct"
GROUPS_PER_VILLAGE = "education.study_group.min_per_village"
PERCENT = Decimal(100)


def policy(key: str, area_path: str, on: dt.date) -> PolicyValue:
    return get_policy(key, area_path=area_path, on=on)


def area_path(obj: Any) -> str:
    area = getattr(obj, "area", None)
    return area.path if area is not None else ""


def callback_deadline(consultation: Any) -> dict[str, Any]:
    """The callback deadline columns of a consultation from the day it was received (local time)."""
    received_on = timezone.localtime(consultation.received_at).date()
    path = area_path(consultation)
    workdays = policy(CALLBACK_WORKDAYS, path, received_on).value
    escalate = policy(CALLBACK_ESCALATE_WORKDAYS, path, received_on).value
    due_on = add_workdays(received_on, workdays)
    escalate_on = add_workdays(due_on, escalate) if escalate else None
    return {
        "callback_due_on": due_on,
        "callback_workdays": workdays,
        "due_at": end_of_day(due_on),
        "warn_at": None,
        "escalate_at": end_of_day(escalate_on) if escalate_on else None,
        "deadline_provisional": bool(provisional_years(received_on, escalate_on or due_on)),
    }


def target_policy(area_path: str, on: dt.date) -> PolicyValue:
    return policy(CALLBACK_TARGET_PCT, area_path, on)


def rate_pct(done: int, total: int) -> Decimal | None:
    """``done`` of ``total`` in per cent, one decimal (``None`` when there is nothing to count)."""
    if not total:
        return None
    return (Decimal(done) * PERCENT / Decimal(total)).quantize(Decimal("0.1"))


def groups_per_village(area_path: str, on: dt.date) -> PolicyValue:
    return policy(GROUPS_PER_VILLAGE, area_path, on)
