"""Set-up for the hazard tests: enterprises with profiles, hazards moved through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Permission

from jiceng.safety.hazards import services
from jiceng.safety.hazards.models import Hazard
from jiceng.safety.testing import make_enterprise, make_profile

TODAY = dt.date(2026, 11, 16)  # a Monday; every test runs on this day (time_machine)


def enterprise(area: Any, **profile: Any) -> Any:
    company = make_enterprise(area)
    make_profile(area, enterprise=company, **profile)
    return company


def report(company: Any, *, user: Any, severity: str = "ordinary", found_on: dt.date = TODAY, **data: Any) -> Hazard:
    return services.do_report_hazard(
        data={"enterprise": company, "severity": severity, "description": "安全出口堵塞", "found_on": found_on, **data},
        acting_user=user,
    )


FULL_PLAN = {
    "responsible_person": "王经理",
    "responsible_unit": "测试企业",
    "measures": "更换紧急切断阀并完成联锁调试",
    "funds_yuan": Decimal("120000"),
    "contingency_plan": "整改期间专人盯守",
    "supervising_unit": "莘县应急管理局",
}


def major_with_plan(
    company: Any, *, user: Any, found_on: dt.date, deadline: dt.date | None, hazard_data: Any = None, **plan: Any
) -> Hazard:
    hazard = report(company, user=user, severity="major", found_on=found_on, **(hazard_data or {}))
    services.do_save_plan(hazard, data={**FULL_PLAN, "deadline": deadline, **plan}, acting_user=user)
    return hazard


def accepted(company: Any, *, user: Any, on: dt.date, **data: Any) -> Hazard:
    hazard = report(company, user=user, found_on=on, **data)
    return services.do_transition(hazard, to="rectifying", on=on, acting_user=user)


def submitted(company: Any, *, user: Any, on: dt.date) -> Hazard:
    hazard = accepted(company, user=user, on=on)
    services.do_record_evidence(hazard, description="已清理通道", acting_user=user)
    return services.do_transition(hazard, to="submitted", on=on, acting_user=user)


def reporter(cast: Any, username: str = "reporter") -> Any:
    """A user of 燕店镇 who may enter and rectify hazards but not verify them."""
    from jiceng.accounts.models import Role
    from jiceng.accounts.services import do_create_user

    role, _ = Role.objects.get_or_create(key="hazard_reporter", defaults={"name": "hazard reporter"})
    role.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["safety_hazards", "safety", "alerts"]).exclude(
            codename="verify_hazard"
        )
    )
    return do_create_user(
        username=username,
        password="x",
        area_code=cast.area("燕店镇").code,
        role_keys=["hazard_reporter"],
        check_password=False,
    )
