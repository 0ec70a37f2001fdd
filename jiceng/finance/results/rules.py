"""The rules of the results app as policies: target deviation, the findings' deadline and closure,
the idle-fund warnings (rules.md §5). Every number is read with ``get_policy(key, area_path=<the
project's area>, on=<the date>)``; every flag and refusal names the rule, the numbers and the source.

- **Deviation** (绩效目标偏离): the latest progress report on or before a date is compared with the
  target in its direction: *higher is better* deviates when the forecast is below
  ``target × (1 − tolerance)``, *lower is better* when above ``target × (1 + tolerance)``, *equal*
  when further than ``target × tolerance`` from it (``finance.targets.deviation_tolerance_pct``;
  exactly at the tolerance is not a deviation).
- **Deadline**: a finding issued on ``d`` is due ``finance.findings.response_workdays`` Chinese
  workdays after ``d`` (holidays and make-up days, ``core.deadlines.calendar``); warning
  ``finance.findings.warn_workdays`` before, escalation ``finance.findings.escalate_workdays`` after.
- **Closure**: a finding whose measures include 调减预算 is closed only once a budget reduction is
  recorded on the project since it was issued (``finance.findings.reduction_before_closure``).
- **Idle funds** (避免资金闲置沉淀), from the end of the rule's check month of the project's year,
  bounds inclusive (“以上”“以下”包括本数):
  ``large_slow`` (太原): current budget ≥ ``finance.idle_funds.large_budget_min_yuan`` and execution
  progress ≤ ``finance.idle_funds.large_budget_max_progress_pct`` from the end of month
  ``finance.idle_funds.large_budget_check_month``; ``balance_q3`` (朔州): execution progress ≤
  ``finance.idle_funds.balance_max_progress_pct`` and disbursed-but-unspent balance ≥
  ``finance.idle_funds.balance_min_yuan`` from the end of month ``finance.idle_funds.balance_check_month``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jiceng.core.deadlines.calendar import add_workdays, provisional_years
from jiceng.core.deadlines.models import end_of_day, local_midnight
from jiceng.core.policies.services import PolicyValue, get_policy
from jiceng.core.workflow import GuardList, Reason, guard, policy_reason

TOLERANCE = "finance.targets.deviation_tolerance_pct"
RESPONSE_WORKDAYS = "finance.findings.response_workdays"
WARN_WORKDAYS = "finance.findings.warn_workdays"
ESCALATE_WORKDAYS = "finance.findings.escalate_workdays"
REDUCTION_BEFORE_CLOSURE = "finance.findings.reduction_before_closure"
SUMMARY_MONTH = "finance.monitoring.summary_month"
LAG_POINTS = "finance.key_monitoring_lag_pp"  # bundled (core seeds); read here only to cite it
LARGE_MIN_YUAN = "finance.idle_funds.large_budget_min_yuan"
LARGE_MAX_PCT = "finance.idle_funds.large_budget_max_progress_pct"
LARGE_MONTH = "finance.idle_funds.large_budget_check_month"
BALANCE_MIN_YUAN = "finance.idle_funds.balance_min_yuan"
BALANCE_MAX_PCT = "finance.idle_funds.balance_max_progress_pct"
BALANCE_MONTH = "finance.idle_funds.balance_check_month"

HUNDRED = Decimal(100)
ONE_DP = Decimal("0.1")
CENT = Decimal("0.01")


def area_path_of(obj: Any) -> str:
    """The area path of an Area, or of a row with an ``area`` (or a ``project``)."""
    if isinstance(getattr(obj, "path", None), str):
        return str(obj.path)
    area = getattr(obj, "area", None)
    if area is None and getattr(obj, "project", None) is not None:
        area = obj.project.area
    return area.path if area is not None else ""


def policy(key: str, obj: Any, on: dt.date) -> PolicyValue:
    """``key`` in force on ``on`` for the area of ``obj`` (a project, target, finding…)."""
    return get_policy(key, area_path=area_path_of(obj), on=on)


def pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(ONE_DP)


def fmt(value: Any) -> str:
    """A number as written in an explanation: no trailing zeros (``1200``, ``92.5``)."""
    if value is None:
        return "—"
    return format(Decimal(value).normalize(), "f")


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# --- targets: the deviation flag ---------------------------------------------------------------
@dataclass(frozen=True)
class Deviation:
    """A target compared with its latest report on a date: the numbers and whether it deviates."""

    target: Any
    report: Any
    on: dt.date
    tolerance: PolicyValue
    flagged: bool
    gap_pct: Decimal | None  # (forecast − target) ÷ target, percent; None for a zero target
    explanation: str
    numbers: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.pk,
            "project": self.target.project_id,
            "indicator": self.target.indicator,
            "on": self.on.isoformat(),
            "report": self.report.pk,
            "reported_on": self.report.reported_on.isoformat(),
            "flagged": self.flagged,
            "gap_pct": None if self.gap_pct is None else str(self.gap_pct),
            "explanation": self.explanation,
            "policy": self.tolerance.key,
            "source": self.tolerance.cite(),
            **{k: v for k, v in self.numbers.items() if k not in ("indicator",)},
        }


def deviates(direction: str, target: Decimal, forecast: Decimal, tolerance_pct: Decimal) -> bool:
    """Whether ``forecast`` misses ``target`` by more than the tolerance in ``direction`` (pure)."""
    band = abs(Decimal(target)) * Decimal(tolerance_pct) / HUNDRED
    if direction == "higher":
        return Decimal(forecast) < Decimal(target) - band
    if direction == "lower":
        return Decimal(forecast) > Decimal(target) + band
    return abs(Decimal(forecast) - Decimal(target)) > band


def deviation(target: Any, report: Any, *, on: dt.date | None = None) -> Deviation:
    """Compare ``report``'s forecast with ``target`` (tolerance in force on the report's date)."""
    on = on or report.reported_on
    rule = policy(TOLERANCE, target, report.reported_on)
    value, forecast = Decimal(target.target_value), Decimal(report.forecast)
    flagged = deviates(target.direction, value, forecast, Decimal(rule.value))
    gap = None if value == 0 else ((forecast - value) * HUNDRED / abs(value)).quantize(ONE_DP)
    numbers = {
        "indicator": target.indicator,
        "target_value": fmt(value),
        "forecast": fmt(forecast),
        "achieved": fmt(report.achieved),
        "unit": target.unit,
        "direction": target.get_direction_display(),
        "direction_code": target.direction,
        "gap": "—" if gap is None else fmt(gap),
        "reported_on": report.reported_on.isoformat(),
    }
    if flagged:
        message = _(
            "%(indicator)s: the forecast year-end value %(forecast)s %(unit)s (reported on %(reported_on)s) misses the "
            "target %(target_value)s %(unit)s (%(direction)s) by %(gap)s%% — more than the tolerance of %(value)s%%"
        )
    else:
        message = _(
            "%(indicator)s: the forecast year-end value %(forecast)s %(unit)s (reported on %(reported_on)s) is within "
            "the tolerance of %(value)s%% of the target %(target_value)s %(unit)s (%(direction)s)"
        )
    reason = policy_reason(rule, message, **numbers)
    return Deviation(target, report, on, rule, flagged, gap, reason.message, numbers)


# --- findings: deadline and guards ------------------------------------------------------------
def deadline_fields(finding: Any, issued_on: dt.date) -> dict[str, Any]:
    """Due date and the deadline columns of a finding issued on ``issued_on``."""
    workdays = policy(RESPONSE_WORKDAYS, finding, issued_on).value
    warn = policy(WARN_WORKDAYS, finding, issued_on).value
    escalate = policy(ESCALATE_WORKDAYS, finding, issued_on).value
    due_on = add_workdays(issued_on, workdays)
    warn_on = add_workdays(due_on, -warn) if warn else None
    escalate_on = add_workdays(due_on, escalate) if escalate else None
    return {
        "due_on": due_on,
        "due_workdays": workdays,
        "due_at": end_of_day(due_on),
        "warn_at": local_midnight(warn_on) if warn_on else None,
        "escalate_at": end_of_day(escalate_on) if escalate_on else None,
        "deadline_provisional": bool(provisional_years(issued_on, escalate_on or due_on)),
    }


def recompute_deadline(finding: Any) -> dict[str, Any]:
    """Fresh deadline columns (the deadlines engine calls this when a holiday schedule is loaded)."""
    if finding.status == "closed":
        return {}
    fields = deadline_fields(finding, finding.issued_on)
    fields["due_workdays"] = finding.due_workdays
    fields["due_on"] = add_workdays(finding.issued_on, finding.due_workdays)
    return fields


@guard
def response_not_before_issue(finding: Any, *, on: dt.date) -> Reason | None:
    if on >= finding.issued_on:
        return None
    return Reason(
        message=_("A response on %(on)s is before the finding was issued on %(issued)s.")
        % {"on": on.isoformat(), "issued": finding.issued_on.isoformat()}
    )


@guard
def reduction_recorded(finding: Any, *, on: dt.date) -> Reason | None:
    """调减预算 decided → a budget reduction is recorded on the project between issue and closure."""
    if "reduce_budget" not in (finding.measures or []):
        return None
    rule = policy(REDUCTION_BEFORE_CLOSURE, finding, on)
    if not rule.value:
        return None
    from jiceng.finance.models import BudgetAdjustment

    done = BudgetAdjustment.objects.filter(
        project_id=finding.project_id, amount__lt=0, on__gte=finding.issued_on, on__lte=on
    ).exists()
    if done:
        return None
    return policy_reason(
        rule,
        _(
            "The measures include reducing the budget, but no budget reduction is recorded on “%(project)s” "
            "between %(issued)s and %(on)s"
        ),
        project=finding.project.name,
        issued=finding.issued_on.isoformat(),
        on=on.isoformat(),
    )


RESPOND = GuardList("finance_results.respond", [response_not_before_issue])
CLOSE = GuardList("finance_results.close", [response_not_before_issue, reduction_recorded])
REJECT = GuardList("finance_results.reject", [response_not_before_issue])


# --- idle funds ----------------------------------------------------------------------------
@dataclass
class IdleCheck:
    """One idle-fund rule applied to one project on a date."""

    rule: str
    applies: bool
    flagged: bool
    numbers: dict[str, Any]
    explanation: str
    policies: list[PolicyValue]


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


def idle_checks(project: Any, on: dt.date, *, budget: Decimal, spent: Decimal, disbursed: Decimal) -> list[IdleCheck]:
    """Both idle-fund rules for ``project`` on ``on`` given its figures up to that date (pure but for
    the policy reads). Execution progress is compared unrounded; it is shown to one decimal."""
    progress = _ratio(spent, budget)
    balance = (Decimal(disbursed) - Decimal(spent)).quantize(CENT)
    unspent = (Decimal(budget) - Decimal(spent)).quantize(CENT)
    base = {
        "budget": str(Decimal(budget).quantize(CENT)),
        "spent": str(Decimal(spent).quantize(CENT)),
        "disbursed": str(Decimal(disbursed).quantize(CENT)),
        "execution_pct": None if progress is None else str(pct(progress)),
        "balance": str(balance),
        "unspent_budget": str(unspent),
        "on": on.isoformat(),
    }
    found = []
    # 太原: large budget, slow spending by the end of the check month
    min_yuan, max_pct, month = (policy(k, project, on) for k in (LARGE_MIN_YUAN, LARGE_MAX_PCT, MONTH_KEYS[0]))
    check_on = month_end(project.year, int(month.value))
    applies = on >= check_on and progress is not None
    flagged = applies and Decimal(budget) >= Decimal(min_yuan.value) and progress <= Decimal(max_pct.value)
    numbers = {**base, "check_on": check_on.isoformat(), "min_yuan": fmt(min_yuan.value), "max_pct": fmt(max_pct.value)}
    text = _(
        "“%(project)s”: current budget %(budget)s yuan (threshold %(min_yuan)s yuan and above), execution progress "
        "%(execution_pct)s%% on %(on)s (threshold %(max_pct)s%% and below, from %(check_on)s); unspent budget "
        "%(unspent_budget)s yuan"
    ) % {"project": project.name, **numbers}
    found.append(IdleCheck("large_slow", applies, flagged, numbers, _cite(text, min_yuan, max_pct, month), [min_yuan]))
    # 朔州: disbursed-but-unspent balance at the end of Q3
    min_yuan, max_pct, month = (policy(k, project, on) for k in (BALANCE_MIN_YUAN, BALANCE_MAX_PCT, MONTH_KEYS[1]))
    check_on = month_end(project.year, int(month.value))
    applies = on >= check_on and progress is not None
    flagged = applies and progress <= Decimal(max_pct.value) and balance >= Decimal(min_yuan.value)
    numbers = {**base, "check_on": check_on.isoformat(), "min_yuan": fmt(min_yuan.value), "max_pct": fmt(max_pct.value)}
    text = _(
        "“%(project)s”: disbursed %(disbursed)s yuan, spent %(spent)s yuan, disbursed but unspent %(balance)s yuan "
        "(threshold %(min_yuan)s yuan and above); execution progress %(execution_pct)s%% on %(on)s (threshold "
        "%(max_pct)s%% and below, from %(check_on)s)"
    ) % {"project": project.name, **numbers}
    found.append(IdleCheck("balance_q3", applies, flagged, numbers, _cite(text, min_yuan, max_pct, month), [min_yuan]))
    return found


MONTH_KEYS = (LARGE_MONTH, BALANCE_MONTH)


def _cite(text: str, *rules: PolicyValue) -> str:
    sources = list(dict.fromkeys(f"{r.cite()}，{r.source_status}" for r in rules if r.cite()))
    return f"{text}（{'；'.join(sources)}）" if sources else text
