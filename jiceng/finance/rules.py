"""The monitoring rules (catalogue B01/B04, rules.md §5) as functions of data and policies.

Every number and list is a policy read with ``get_policy(key, area_path=<the project's area>,
on=<the date>)``; every decision carries ``Reason`` rows naming the rule, the numbers and the source.

- Scope (B01): a project is monitored when its expenditure kind is in ``finance.scope.expenditure_kinds``,
  its budget type in ``finance.scope.budget_types``, its funding source in
  ``finance.scope.funding_sources`` and, for a special transfer, its level in
  ``finance.scope.transfer_levels``. Budget additions and adjustments do not change the decision.
- Time progress (B04) on a date, by ``finance.time_progress.method``:
  ``months`` = completed months ÷ 12, where a month counts once its last day is reached (31 July →
  7/12 = 58.3%; 15 July → 6/12 = 50.0%; 1 January → 0.0%); ``days`` = days elapsed including the date
  ÷ days in the year (31 July 2026 → 212/365 = 58.1%).
- Percentages are rounded to one decimal (ROUND_HALF_UP) before they are compared or subtracted, so the
  reason's numbers add up: lag = time progress − execution progress, both as shown.
- Watch list (财政重点监控): a monitored county-level major project (``major`` and its department's
  Area is a county) whose lag is MORE than ``finance.key_monitoring_lag_pp`` (exactly the threshold is
  not on the list), and every monitored incremental policy adopted on or before the date (when
  ``finance.key_monitoring.incremental_policies`` is true).
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy
from jiceng.core.workflow import Reason, policy_reason
from jiceng.finance.choices import BudgetType, ExpenditureKind, FundingSource, TimeProgressMethod, TransferLevel

SCOPE_BUDGET_TYPES = "finance.scope.budget_types"
SCOPE_EXPENDITURE_KINDS = "finance.scope.expenditure_kinds"
SCOPE_FUNDING_SOURCES = "finance.scope.funding_sources"
SCOPE_TRANSFER_LEVELS = "finance.scope.transfer_levels"
TIME_PROGRESS_METHOD = "finance.time_progress.method"
KEY_LAG_PP = "finance.key_monitoring_lag_pp"
KEY_INCREMENTAL = "finance.key_monitoring.incremental_policies"

ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)
MONTHS_IN_YEAR = 12


def percent(value: Decimal) -> Decimal:
    """A percentage rounded to one decimal, half up."""
    return Decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def codes(policy: PolicyValue) -> list[str]:
    return [c.strip() for c in str(policy.value).replace("，", ",").split(",") if c.strip()]


def policy_for(key: str, area_path: str, on: dt.date) -> PolicyValue:
    return get_policy(key, area_path=area_path, on=on)


# --- scope (B01) ---------------------------------------------------------------------------
def scope_decision(project: Any, on: dt.date | None = None) -> tuple[bool, list[Reason]]:
    """Whether ``project`` is in the monitored set, and why (one reason per rule that decided).

    Out: the first rule that excludes it (expenditure kind, budget type, funding source, transfer
    level). In: one reason naming the budget type and the funding source rules it satisfies.
    """
    on = on or dt.date(project.year, 12, 31)
    path = project.area.path
    try:
        kinds = policy_for(SCOPE_EXPENDITURE_KINDS, path, on)
        types = policy_for(SCOPE_BUDGET_TYPES, path, on)
        sources = policy_for(SCOPE_FUNDING_SOURCES, path, on)
        levels = policy_for(SCOPE_TRANSFER_LEVELS, path, on)
    except PolicyMissing as exc:
        return False, [Reason(message=str(exc))]
    kind_label = ExpenditureKind(project.expenditure_kind).label
    if project.expenditure_kind not in codes(kinds):
        return False, [policy_reason(kinds, _("%(kind)s is not monitored"), kind=kind_label)]
    type_label = BudgetType(project.budget_type).label
    if project.budget_type not in codes(types):
        return False, [policy_reason(types, _("The %(type)s is not in the monitoring scope"), type=type_label)]
    source_label = FundingSource(project.funding_source).label
    if project.funding_source not in codes(sources):
        return False, [policy_reason(sources, _("%(source)s are not in the monitoring scope"), source=source_label)]
    reasons = [
        policy_reason(types, _("%(kind)s of the %(type)s is monitored"), kind=kind_label, type=type_label),
    ]
    if project.funding_source == FundingSource.TRANSFER:
        level_label = TransferLevel(project.transfer_level).label if project.transfer_level else "—"
        if project.transfer_level not in codes(levels):
            return False, [
                policy_reason(
                    levels,
                    _("Special transfers from the %(level)s level are not in the monitoring scope"),
                    level=level_label,
                )
            ]
        reasons.append(
            policy_reason(levels, _("Special transfer from the %(level)s level is monitored"), level=level_label)
        )
    else:
        reasons.append(policy_reason(sources, _("%(source)s are monitored"), source=source_label))
    return True, reasons


# --- time progress (B04) -------------------------------------------------------------------
def completed_months(on: dt.date) -> int:
    """Months of ``on``'s year whose last day has been reached on ``on`` (month-end convention)."""
    last_day = calendar.monthrange(on.year, on.month)[1]
    return on.month if on.day == last_day else on.month - 1


def days_fraction(on: dt.date) -> tuple[int, int]:
    """(days elapsed including ``on``, days in ``on``'s year)."""
    elapsed = (on - dt.date(on.year, 1, 1)).days + 1
    return elapsed, 366 if calendar.isleap(on.year) else 365


def time_progress_value(method: str, year: int, on: dt.date) -> Decimal:
    """Time progress of budget year ``year`` on ``on``, in percent (unrounded): 0 before the year,
    100 after it."""
    if on.year < year:
        return Decimal(0)
    if on.year > year:
        return HUNDRED
    if method == TimeProgressMethod.DAYS:
        elapsed, total = days_fraction(on)
        return Decimal(elapsed) * HUNDRED / Decimal(total)
    return Decimal(completed_months(on)) * HUNDRED / Decimal(MONTHS_IN_YEAR)


def time_progress(area_path: str, year: int, on: dt.date) -> tuple[Decimal, PolicyValue]:
    """Time progress in percent (one decimal) and the method policy it used."""
    method = policy_for(TIME_PROGRESS_METHOD, area_path, on)
    return percent(time_progress_value(str(method.value), year, on)), method


def is_county_level(project: Any) -> bool:
    """县级重大项目: the department belongs to a county-level Area (县级预算)."""
    return project.area.level == "county"


def lag_reason(threshold: PolicyValue, time_pct: Decimal, exec_pct: Decimal, lag: Decimal) -> Reason:
    """``时间进度 58.3%，执行进度 12.0%，滞后 46.3 个百分点 > <阈值>（来源）``."""
    return policy_reason(
        threshold,
        _("Time progress %(time)s%%, execution progress %(execution)s%%, lag %(lag)s points > %(value)s"),
        time=time_pct,
        execution=exec_pct,
        lag=lag,
    )


def monitored_q(pairs: list[tuple[str, int]]) -> Any:
    """A ``Q`` selecting the monitored projects among those of the given (area path, year) pairs
    (the scope rules of each pair's Area in force on 31 December of the year)."""
    from django.db.models import Q

    q = Q(pk__in=[])
    for path, year in pairs:
        on = dt.date(year, 12, 31)
        try:
            kinds = codes(policy_for(SCOPE_EXPENDITURE_KINDS, path, on))
            types = codes(policy_for(SCOPE_BUDGET_TYPES, path, on))
            sources = codes(policy_for(SCOPE_FUNDING_SOURCES, path, on))
            levels = codes(policy_for(SCOPE_TRANSFER_LEVELS, path, on))
        except PolicyMissing:
            continue
        q |= Q(
            area__path=path, year=year, expenditure_kind__in=kinds, budget_type__in=types, funding_source__in=sources
        ) & (~Q(funding_source=FundingSource.TRANSFER) | Q(transfer_level__in=levels))
    return q
