"""Set-up for the results tests: targets, reports and findings through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from jiceng.core.policies.services import get_policy
from jiceng.finance.results import services

TODAY = dt.date(2026, 11, 16)  # a Monday; every test runs on this day (time_machine)
JULY = dt.date(2026, 7, 31)


def policy_value(key: str, obj: Any, on: dt.date = TODAY) -> Any:
    area = getattr(obj, "area", None) or obj.project.area
    return get_policy(key, area_path=area.path, on=on).value


def target(project: Any, *, user: Any, value: Any = "100", direction: str = "higher", **data: Any) -> Any:
    return services.do_create_target(
        data={
            "project": project,
            "category": data.pop("category", "output_quantity"),
            "indicator": data.pop("indicator", "新建高标准农田面积"),
            "target_value": Decimal(str(value)),
            "unit": data.pop("unit", "亩"),
            "direction": direction,
            **data,
        },
        acting_user=user,
    )


def report(target_: Any, *, user: Any, forecast: Any, achieved: Any = "0", on: dt.date = JULY) -> Any:
    return services.do_report_progress(
        data={
            "target": target_,
            "reported_on": on,
            "achieved": Decimal(str(achieved)),
            "forecast": Decimal(str(forecast)),
        },
        acting_user=user,
    )


def issue(project: Any, *, user: Any, on: dt.date = TODAY, **data: Any) -> Any:
    return services.do_issue_finding(
        data={
            "project": project,
            "kind": data.pop("kind", "execution_lag"),
            "text": data.pop("text", "执行进度滞后"),
            "issued_on": on,
            **data,
        },
        acting_user=user,
    )
