"""The special-work rules (GB 30871-2022, GB/T 3608-2008; rules.md §6) as policies and guards.

Every number is a policy read for the enterprise's area on the day the work starts:

- levels: work at height is class I–IV by its height in metres (``safety.permit.height_*``),
  lifting level 1–3 by its load in tonnes (``safety.permit.lifting_*``); hot work's level
  (special, 1, 2) is chosen by the enterprise from the place of the work;
- validity: special and level-1 hot work ``safety.permit.hot_work_special_hours``, level-2 hot
  work ``safety.permit.hot_work_level2_hours``, confined space
  ``safety.permit.confined_space_hours``, work at height ``safety.permit.height_days``,
  temporary power ``safety.permit.temporary_power_days`` (``…_special_days`` in special
  circumstances); the standard sets no single limit for blind plate, lifting, excavation and
  road closure permits, so their requested window is taken as it is;
- approval: ``safety.permit.approver_level.<type>_<level>`` (else ``.<type>``, else
  ``.default``) names the lowest area level (county, township…) at which an approver must hold
  ``approve_workpermit`` over the enterprise's area.

Each check answers ``None`` or a ``Reason`` with the rule, the numbers and the source.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy
from jiceng.core.scope import user_scope_paths
from jiceng.core.workflow import GuardList, Reason, guard, policy_reason
from jiceng.directory.models import LEVEL_ORDER, AreaLevel
from jiceng.safety.permits.choices import HotWorkLevel, PermitLevel, WorkType

HOT_WORK_SPECIAL_HOURS = "safety.permit.hot_work_special_hours"  # core seed: special and level 1
HOT_WORK_LEVEL2_HOURS = "safety.permit.hot_work_level2_hours"  # core seed
CONFINED_SPACE_HOURS = "safety.permit.confined_space_hours"
HEIGHT_DAYS = "safety.permit.height_days"
TEMPORARY_POWER_DAYS = "safety.permit.temporary_power_days"
TEMPORARY_POWER_SPECIAL_DAYS = "safety.permit.temporary_power_special_days"
HOUR_POLICIES = {HOT_WORK_SPECIAL_HOURS, HOT_WORK_LEVEL2_HOURS, CONFINED_SPACE_HOURS}
DAY_POLICIES = {HEIGHT_DAYS, TEMPORARY_POWER_DAYS, TEMPORARY_POWER_SPECIAL_DAYS}

HEIGHT_MIN_M = "safety.permit.height_min_m"
HEIGHT_CLASS1_MAX_M = "safety.permit.height_class1_max_m"
HEIGHT_CLASS2_MAX_M = "safety.permit.height_class2_max_m"
HEIGHT_CLASS3_MAX_M = "safety.permit.height_class3_max_m"
LIFTING_LEVEL1_ABOVE_T = "safety.permit.lifting_level1_above_t"
LIFTING_LEVEL3_BELOW_T = "safety.permit.lifting_level3_below_t"

APPROVER_LEVEL_PREFIX = "safety.permit.approver_level."
PERMIT_REQUIRED = "safety.permit.required"
APPROVE_PERMISSION = "safety_permits.approve_workpermit"


# --- where and when a permit's rules are read ---------------------------------------------------
def area_path(permit: Any) -> str:
    enterprise = getattr(permit, "enterprise", None)
    return enterprise.area.path if enterprise is not None else ""


def work_day(permit: Any) -> dt.date:
    """The date whose policies govern the permit: the day its window starts (Asia/Shanghai)."""
    start = getattr(permit, "valid_from", None)
    return timezone.localtime(start).date() if start else timezone.localdate()


def policy(key: str, permit: Any, on: dt.date | None = None) -> PolicyValue:
    return get_policy(key, area_path=area_path(permit), on=on or work_day(permit))


# --- levels --------------------------------------------------------------------------------------
def height_class(height: Decimal, permit: Any) -> tuple[str, Reason | None]:
    """GB/T 3608-2008: class I 2 ≤ h ≤ 5 m, II 5 < h ≤ 15 m, III 15 < h ≤ 30 m, IV h > 30 m."""
    minimum = policy(HEIGHT_MIN_M, permit)
    if height < minimum.value:
        return PermitLevel.NONE, policy_reason(
            minimum,
            _("A working height of %(height)s m is below %(value)s m: this is not work at height"),
            height=height,
        )
    for key, level in (
        (HEIGHT_CLASS1_MAX_M, PermitLevel.HEIGHT_I),
        (HEIGHT_CLASS2_MAX_M, PermitLevel.HEIGHT_II),
        (HEIGHT_CLASS3_MAX_M, PermitLevel.HEIGHT_III),
    ):
        if height <= policy(key, permit).value:
            return level, None
    return PermitLevel.HEIGHT_IV, None


def lifting_level(load: Decimal, permit: Any) -> str:
    """GB 30871-2022: level 1 m > 100 t, level 2 40 t ≤ m ≤ 100 t, level 3 m < 40 t."""
    if load > policy(LIFTING_LEVEL1_ABOVE_T, permit).value:
        return PermitLevel.LEVEL1
    if load < policy(LIFTING_LEVEL3_BELOW_T, permit).value:
        return PermitLevel.LEVEL3
    return PermitLevel.LEVEL2


def compute_level(permit: Any) -> tuple[str, list[Reason]]:
    """The permit's level from its type-specific input, and the rules that input breaks."""
    if permit.work_type == WorkType.HOT_WORK:
        return str(permit.hot_work_level or ""), []
    if permit.work_type == WorkType.HEIGHT and permit.height_m is not None:
        level, reason = height_class(Decimal(permit.height_m), permit)
        return level, [reason] if reason else []
    if permit.work_type == WorkType.LIFTING and permit.load_t is not None:
        return lifting_level(Decimal(permit.load_t), permit), []
    return PermitLevel.NONE, []


# --- validity -----------------------------------------------------------------------------------
def validity_key(permit: Any) -> str | None:
    """The policy that caps the permit's window (``None``: the standard sets no single limit)."""
    if permit.work_type == WorkType.HOT_WORK:
        if permit.hot_work_level == HotWorkLevel.LEVEL2:
            return HOT_WORK_LEVEL2_HOURS
        return HOT_WORK_SPECIAL_HOURS if permit.hot_work_level else None
    if permit.work_type == WorkType.TEMPORARY_POWER:
        return TEMPORARY_POWER_SPECIAL_DAYS if permit.is_special_power else TEMPORARY_POWER_DAYS
    return {WorkType.CONFINED_SPACE: CONFINED_SPACE_HOURS, WorkType.HEIGHT: HEIGHT_DAYS}.get(permit.work_type)


def validity_policy(permit: Any) -> PolicyValue | None:
    key = validity_key(permit)
    return policy(key, permit) if key else None


def as_timedelta(rule: PolicyValue) -> dt.timedelta:
    if rule.key in HOUR_POLICIES:
        return dt.timedelta(hours=rule.value)
    if rule.key in DAY_POLICIES:
        return dt.timedelta(days=rule.value)
    raise ValueError(f"{rule.key} is not a permit validity")


def longest_window(permit: Any) -> dt.timedelta | None:
    rule = validity_policy(permit)
    return as_timedelta(rule) if rule else None


def describe_length(length: dt.timedelta) -> str:
    """``80 h 30 min`` / ``8 d 1 h``: a window's length in hours (and days when long)."""
    minutes = int(length.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = ([_("%(n)d d") % {"n": days}] if days else []) + [_("%(n)d h") % {"n": hours}]
    if minutes:
        parts.append(_("%(n)d min") % {"n": minutes})
    return " ".join(parts)


def window_reason(permit: Any) -> Reason | None:
    """The requested window may not be longer than the validity policy of the permit's type and level."""
    rule = validity_policy(permit)
    if rule is None or permit.valid_from is None or permit.valid_until is None:
        return None
    length = permit.valid_until - permit.valid_from
    if length <= as_timedelta(rule):
        return None
    return policy_reason(
        rule,
        _(
            "The requested window %(start)s – %(end)s is %(length)s long; a %(kind)s permit is valid for "
            "at most %(value)s %(unit)s"
        ),
        start=f"{timezone.localtime(permit.valid_from):%Y-%m-%d %H:%M}",
        end=f"{timezone.localtime(permit.valid_until):%Y-%m-%d %H:%M}",
        length=describe_length(length),
        kind=kind_label(permit),
    )


def kind_label(permit: Any) -> str:
    """``level 2 hot work`` / ``work at height`` / ``temporary power (special circumstances)``."""
    if permit.work_type == WorkType.HOT_WORK and permit.hot_work_level:
        return str(HotWorkLevel(permit.hot_work_level).label)
    label = str(WorkType(permit.work_type).label)
    if permit.work_type == WorkType.TEMPORARY_POWER and permit.is_special_power:
        return _("%(kind)s (special circumstances)") % {"kind": label}
    return label


def rule_reasons(permit: Any) -> list[Reason]:
    """Every rule the permit's inputs break (its level input and its window)."""
    reasons = compute_level(permit)[1]
    found = window_reason(permit)
    return [*reasons, found] if found else reasons


# --- approval by level --------------------------------------------------------------------------
def approver_policy(permit: Any, on: dt.date) -> PolicyValue:
    """``approver_level.<type>_<level>``, else ``.<type>``, else ``.default`` — the first in force."""
    keys = [f"{permit.work_type}_{permit.level.lower()}"] if permit.level else []
    keys += [str(permit.work_type), "default"]
    for key in keys[:-1]:
        try:
            return policy(APPROVER_LEVEL_PREFIX + key, permit, on)
        except PolicyMissing:
            continue
    return policy(APPROVER_LEVEL_PREFIX + keys[-1], permit, on)


def level_depth(level: str) -> int:
    """province 1, city 2, county 3, township 4, village 5 (segments of an area path)."""
    return LEVEL_ORDER.index(AreaLevel(level)) + 1


def approver_reason(permit: Any, user: Any, *, on: dt.date) -> Reason | None:
    """The approver must hold ``approve_workpermit`` over the enterprise's area at the area level
    the policy names for the permit's type and level, or higher."""
    rule = approver_policy(permit, on)
    required = level_depth(rule.value)
    path = area_path(permit)
    held = [p for p in user_scope_paths(user, APPROVE_PERMISSION) if path.startswith(p)]
    best = min((p.count("/") for p in held), default=None)
    if best is not None and best <= required:
        return None
    held_label = (
        _("%(level)s level") % {"level": AreaLevel(LEVEL_ORDER[best - 1]).label} if best else _("no approval rights")
    )
    return policy_reason(
        rule,
        _(
            "A %(kind)s permit%(level)s is approved by staff holding approval rights at %(required)s level or "
            "above; yours over this enterprise: %(held)s"
        ),
        kind=kind_label(permit),
        level=f"（{permit.get_level_display()}）" if permit.level else "",
        required=AreaLevel(rule.value).label,
        held=held_label,
    )


# --- guards of the workflow ---------------------------------------------------------------------
class InputsWithinRules(GuardList):
    """Every broken rule of the permit's inputs (one reason each), re-read when it moves on."""

    def reasons(self, obj: Any, *, on: dt.date | None = None) -> list[Reason]:
        return rule_reasons(obj)


@guard
def window_not_over(permit: Any, *, on: dt.date) -> Reason | None:
    if permit.valid_until > timezone.now():
        return None
    return Reason(
        message=_("The permit's window ended at %(end)s.")
        % {"end": f"{timezone.localtime(permit.valid_until):%Y-%m-%d %H:%M}"}
    )


@guard
def inside_window(permit: Any, *, on: dt.date) -> Reason | None:
    now = timezone.now()
    if permit.valid_from <= now < permit.valid_until:
        return None
    return Reason(
        message=_("Work may start only inside the permit's window %(start)s – %(end)s.")
        % {
            "start": f"{timezone.localtime(permit.valid_from):%Y-%m-%d %H:%M}",
            "end": f"{timezone.localtime(permit.valid_until):%Y-%m-%d %H:%M}",
        }
    )


SUBMIT = GuardList("safety.permit.submit", [InputsWithinRules("safety.permit.inputs"), window_not_over])
APPROVE = GuardList("safety.permit.approve", [InputsWithinRules("safety.permit.inputs"), window_not_over])
START = GuardList("safety.permit.start", [inside_window])
