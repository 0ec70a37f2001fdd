"""The rectification rules (rules.md §6 事故隐患, 挂牌督办 + 五落实) as workflow guards and deadline policy.

Every number is a policy read with ``get_policy(key, area_path=<the hazard's area>, on=<the date of
the step>)``; every refusal is a ``Reason`` naming the rule, the numbers and the source.

- accept (reported → rectifying, 限期整改): an ordinary hazard's deadline is at most
  ``safety.rectification.general_workdays`` Chinese workdays after the order (default: exactly
  that); a major hazard needs its plan with each element of ``safety.rectification.major_five_in_place``
  (责任、措施、资金、时限、预案) and a supervising unit (挂牌督办), and the plan's deadline may not be
  later than ``safety.rectification.major_max_months`` after the hazard was found;
- submit (rectifying → submitted): at least ``safety.rectification.evidence_min_items`` evidence rows
  recorded since the rectification (re)started;
- close / reject (submitted → closed / rectifying, 复核 → 销号): a passed / failed verification
  recorded since the submission (``safety.rectification.verification_required``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from jiceng.core.dates import add_months
from jiceng.core.deadlines.calendar import add_workdays, provisional_years, workdays_between
from jiceng.core.deadlines.models import end_of_day, local_midnight
from jiceng.core.policies.services import PolicyValue, get_policy
from jiceng.core.workflow import Guard, GuardList, Reason, guard, policy_reason
from jiceng.core.workflow.guards import evaluation_date
from jiceng.safety.hazards.choices import FIVE_ELEMENTS

GENERAL_WORKDAYS = "safety.rectification.general_workdays"
MAJOR_MAX_MONTHS = "safety.rectification.major_max_months"
FIVE_IN_PLACE = "safety.rectification.major_five_in_place"
WARN_WORKDAYS = "safety.rectification.warn_workdays"
ESCALATE_WORKDAYS = "safety.rectification.escalate_workdays"
EVIDENCE_MIN_ITEMS = "safety.rectification.evidence_min_items"
VERIFICATION_REQUIRED = "safety.rectification.verification_required"
ONLINE_ENTRY_WORKDAYS = "safety.hazards.online_entry_workdays"
LISTING_WORKDAYS = "safety.rectification.major_listing_workdays"
RECORDING_MAX_MEGABYTES = "safety.enforcement.recording_max_megabytes"


def policy(key: str, obj: Any, on: dt.date) -> PolicyValue:
    """``key`` in force on ``on`` for the area of ``obj`` (a hazard, or anything with ``area``)."""
    area = getattr(obj, "area", None)
    return get_policy(key, area_path=area.path if area is not None else "", on=on)


# --- deadlines -----------------------------------------------------------------------------
def major_limit(hazard: Any, on: dt.date) -> tuple[dt.date, PolicyValue]:
    """The latest deadline a major hazard's plan may set: ``major_max_months`` after it was found."""
    rule = policy(MAJOR_MAX_MONTHS, hazard, on)
    return add_months(hazard.found_on, rule.value), rule


def ordinary_limit(hazard: Any, on: dt.date) -> tuple[dt.date, PolicyValue]:
    """The latest deadline of an ordinary hazard ordered on ``on``: ``general_workdays`` workdays later."""
    rule = policy(GENERAL_WORKDAYS, hazard, on)
    return add_workdays(on, rule.value), rule


def ordinary_deadline_refusal(hazard: Any, due_on: dt.date, on: dt.date) -> Reason | None:
    """A requested ordinary deadline later than the workday limit."""
    limit, rule = ordinary_limit(hazard, on)
    if due_on <= limit:
        return None
    return policy_reason(
        rule,
        _(
            "The deadline %(due)s is later than %(value)s workdays after the rectification order of %(on)s "
            "(at the latest %(limit)s)"
        ),
        due=due_on.isoformat(),
        on=on.isoformat(),
        limit=limit.isoformat(),
    )


def deadline_fields(hazard: Any, due_on: dt.date, *, on: dt.date, workdays: int | None) -> dict[str, Any]:
    """The deadline columns for a due date: warning ``warn_workdays`` before, escalation
    ``escalate_workdays`` after (each counted in Chinese workdays). ``deadline_provisional`` when a
    year between the order and the escalation has no official holiday schedule."""
    warn = policy(WARN_WORKDAYS, hazard, on).value
    escalate = policy(ESCALATE_WORKDAYS, hazard, on).value
    warn_on = add_workdays(due_on, -warn) if warn else None
    escalate_on = add_workdays(due_on, escalate) if escalate else None
    return {
        "due_on": due_on,
        "due_workdays": workdays,
        "due_at": end_of_day(due_on),
        "warn_at": local_midnight(warn_on) if warn_on else None,
        "escalate_at": end_of_day(escalate_on) if escalate_on else None,
        "deadline_provisional": bool(provisional_years(on, escalate_on or due_on)),
    }


def deadline_for(hazard: Any, *, on: dt.date, due_on: dt.date | None = None) -> tuple[dict[str, Any], list[Reason]]:
    """The deadline of a hazard accepted on ``on`` and what is wrong with it.

    Ordinary: ``due_on`` if given (at most the workday limit), else exactly ``general_workdays``
    workdays after ``on``. Major: the plan's deadline (its limits are the ``ACCEPT`` guards).
    """
    if hazard.severity == "major":
        plan = _plan(hazard)
        deadline = plan.deadline if plan is not None else None
        if deadline is None:
            return {}, []  # reported by the five-in-place guard
        return deadline_fields(hazard, deadline, on=on, workdays=None), []
    limit, rule = ordinary_limit(hazard, on)
    if due_on is None:
        return deadline_fields(hazard, limit, on=on, workdays=rule.value), []
    found = ordinary_deadline_refusal(hazard, due_on, on)
    if found is not None:
        return {}, [found]
    return deadline_fields(hazard, due_on, on=on, workdays=workdays_between(on, due_on)), []


def recompute_deadline(hazard: Any) -> dict[str, Any]:
    """Fresh deadline columns of an open hazard (the deadlines engine calls this when a holiday
    schedule is loaded): workday deadlines are recounted from the order date."""
    if hazard.due_on is None or hazard.accepted_on is None:
        return {}
    on = hazard.accepted_on
    due_on = add_workdays(on, hazard.due_workdays) if hazard.due_workdays else hazard.due_on
    fields = deadline_fields(hazard, due_on, on=on, workdays=hazard.due_workdays)
    return {k: v for k, v in fields.items() if k != "due_workdays"}


def entered_on_time(hazard: Any, entered_on: dt.date) -> bool:
    """Whether the finding was entered online within ``online_entry_workdays`` of ``found_on``."""
    rule = policy(ONLINE_ENTRY_WORKDAYS, hazard, hazard.found_on)
    return entered_on <= add_workdays(hazard.found_on, rule.value)


# --- accept: the five-in-place plan and the major deadline -------------------------------------
def required_elements(rule: PolicyValue) -> list[str]:
    return [name.strip() for name in str(rule.value).split(",") if name.strip()]


def element_present(plan: Any, name: str) -> bool:
    if plan is None:
        return False
    if name == "responsibility":
        return bool(plan.responsible_person.strip())
    if name == "measures":
        return bool(plan.measures.strip())
    if name == "funds":
        return plan.funds_yuan is not None and Decimal(plan.funds_yuan) > 0
    if name == "deadline":
        return plan.deadline is not None
    if name == "contingency_plan":
        return bool(plan.contingency_plan.strip())
    return True  # an element this version does not know is not checked


def _plan(hazard: Any) -> Any:
    try:
        return hazard.plan
    except ObjectDoesNotExist:
        return None


class FiveInPlace(Guard):
    """A major hazard is accepted only with each element of its plan in place (五落实) and a
    supervising unit named (挂牌督办): one reason per missing element."""

    name = "five_in_place"

    def reasons(self, obj: Any, *, on: dt.date | None = None) -> list[Reason]:
        if obj.severity != "major":
            return []
        on = on or evaluation_date()
        rule = policy(FIVE_IN_PLACE, obj, on)
        plan = _plan(obj)
        found = [
            policy_reason(
                rule,
                _("The major hazard's rectification plan lacks its %(element)s; the five must be in place"),
                element=str(FIVE_ELEMENTS.get(name, name)),
            )
            for name in required_elements(rule)
            if not element_present(plan, name)
        ]
        if plan is None or not plan.supervising_unit.strip():
            found.append(
                policy_reason(
                    rule, _("No supervising unit is named; a major hazard is listed for supervision with one")
                )
            )
        return found

    def check(self, obj: Any, *, on: dt.date) -> Reason | None:
        found = self.reasons(obj, on=on)
        return found[0] if found else None


@guard
def major_deadline_within_limit(hazard: Any, *, on: dt.date) -> Reason | None:
    if hazard.severity != "major":
        return None
    plan = _plan(hazard)
    if plan is None or plan.deadline is None:
        return None  # reported by the five-in-place guard
    limit, rule = major_limit(hazard, on)
    if plan.deadline <= limit:
        return None
    return policy_reason(
        rule,
        _(
            "The plan's deadline %(deadline)s is more than %(value)s months after the hazard was found on "
            "%(found)s (at the latest %(limit)s)"
        ),
        deadline=plan.deadline.isoformat(),
        found=hazard.found_on.isoformat(),
        limit=limit.isoformat(),
    )


@guard
def major_deadline_not_past(hazard: Any, *, on: dt.date) -> Reason | None:
    if hazard.severity != "major":
        return None
    plan = _plan(hazard)
    if plan is None or plan.deadline is None or plan.deadline >= on:
        return None
    return policy_reason(
        policy(FIVE_IN_PLACE, hazard, on),
        _("The plan's deadline %(deadline)s is before the rectification order of %(on)s"),
        deadline=plan.deadline.isoformat(),
        on=on.isoformat(),
    )


# --- submit, close, reject --------------------------------------------------------------------
@guard
def evidence_recorded(hazard: Any, *, on: dt.date) -> Reason | None:
    rule = policy(EVIDENCE_MIN_ITEMS, hazard, on)
    count = hazard.evidence.filter(round=hazard.rectification_round).count()
    if count >= rule.value:
        return None
    return policy_reason(
        rule,
        _("%(count)d piece(s) of rectification evidence recorded since the rectification started; at least %(value)s"),
        count=count,
    )


def _verification(hazard: Any, *, passed: bool, on: dt.date) -> Reason | None:
    rule = policy(VERIFICATION_REQUIRED, hazard, on)
    if not rule.value:
        return None
    if hazard.verifications.filter(passed=passed, round=hazard.rectification_round).exists():
        return None
    message = (
        _("No passed verification is recorded since the rectification was submitted on %(submitted)s")
        if passed
        else _("No failed verification is recorded since the rectification was submitted on %(submitted)s")
    )
    return policy_reason(rule, message, submitted=hazard.submitted_on.isoformat() if hazard.submitted_on else "?")


@guard
def verification_passed(hazard: Any, *, on: dt.date) -> Reason | None:
    return _verification(hazard, passed=True, on=on)


@guard
def verification_failed(hazard: Any, *, on: dt.date) -> Reason | None:
    return _verification(hazard, passed=False, on=on)


ACCEPT = GuardList("safety_hazards.accept", [FiveInPlace(), major_deadline_within_limit, major_deadline_not_past])
SUBMIT = GuardList("safety_hazards.submit", [evidence_recorded])
CLOSE = GuardList("safety_hazards.close", [verification_passed])
REJECT = GuardList("safety_hazards.reject", [verification_failed])
