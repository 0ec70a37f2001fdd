"""Guards: the conditions of a transition, each answering ``None`` (passes) or a ``Reason``.

A guard is also a plain django-fsm condition (``guard(obj) -> bool``), so it can sit in
``@transition(conditions=[...])``; ``run_transition`` asks every guard for its reason, so a
refusal lists *all* failed rules, each with its policy key, value and source.

    class TrainingLongEnough(Guard):
        def check(self, obj, *, on):
            policy = get_policy("party.activist_training_months", area_path=obj.area_path, on=on)
            months = months_between(obj.activist_on, on)
            if months >= policy.value:
                return None
            return policy_reason(policy, "入党积极分子培养期不足一年：自 %(start)s 起仅 %(months)d 个月",
                                 start=obj.activist_on, months=months)
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone

from jiceng.core.errors import DomainError

# The date guards evaluate on while ``run_transition`` runs (django-fsm calls conditions without arguments).
_evaluation_date: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("workflow_on", default=None)


def evaluation_date() -> dt.date:
    return _evaluation_date.get() or timezone.localdate()


@dataclass(frozen=True)
class Reason:
    """Why a guard refused: the message (rule, numbers, source), the policy key, its value and source."""

    message: str
    policy_key: str = ""
    value: Any = None
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["value"] is not None and not isinstance(data["value"], bool | int | float | str):
            data["value"] = str(data["value"])
        return data

    def __str__(self) -> str:
        return self.message


def policy_reason(policy: Any, message: str, **numbers: Any) -> Reason:
    """A ``Reason`` citing ``policy`` (a ``PolicyValue``): ``message % numbers`` then ``（source）``.

    ``numbers`` may use ``%(value)s``/``%(unit)s`` for the policy's own number.
    """
    params = {"value": policy.value, "unit": policy.unit, **numbers}
    text = message % params if params else message
    source = policy.cite()
    if source:
        text = f"{text}（{source}）"
    return Reason(message=text, policy_key=policy.key, value=policy.value, source=source)


class Guard:
    """One condition of a transition. Subclasses implement ``check``."""

    name = ""

    def check(self, obj: Any, *, on: dt.date) -> Reason | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def reason(self, obj: Any, *, on: dt.date | None = None) -> Reason | None:
        return self.check(obj, on=on or evaluation_date())

    def reasons(self, obj: Any, *, on: dt.date | None = None) -> list[Reason]:
        """Every failed rule of this guard (one at most; ``GuardList`` collects several)."""
        found = self.reason(obj, on=on)
        return [] if found is None else [found]

    def __call__(self, obj: Any) -> bool:  # the django-fsm condition protocol
        return not self.reasons(obj)

    def __repr__(self) -> str:
        return f"<Guard {self.name or type(self).__name__}>"


class FunctionGuard(Guard):
    def __init__(self, func: Callable[..., Reason | None]) -> None:
        self.func = func
        self.name = func.__name__
        self.__name__ = func.__name__

    def check(self, obj: Any, *, on: dt.date) -> Reason | None:
        return self.func(obj, on=on)


class GuardList(Guard):
    """An extensible set of guards in one condition slot: modules and deployments ``add`` to it.

    ``run_transition`` reports the reason of every member that fails.
    """

    def __init__(self, name: str, guards: list[Guard] | None = None) -> None:
        self.name = name
        self.guards: list[Guard] = list(guards or [])

    def add(self, member: Guard) -> Guard:
        self.guards.append(member)
        return member

    def remove(self, member: Guard) -> None:
        self.guards.remove(member)

    def check(self, obj: Any, *, on: dt.date) -> Reason | None:
        found = self.reasons(obj, on=on)
        return found[0] if found else None

    def reasons(self, obj: Any, *, on: dt.date | None = None) -> list[Reason]:
        return [r for member in self.guards for r in member.reasons(obj, on=on)]


def guard(func: Callable[..., Reason | None]) -> Guard:
    """Turn ``def f(obj, *, on) -> Reason | None`` into a ``Guard``."""
    return FunctionGuard(func)


def condition_reasons(condition: Any, obj: Any, on: dt.date) -> list[Reason]:
    """Why a transition condition fails (plain boolean conditions get a generic reason)."""
    if isinstance(condition, Guard):
        return condition.reasons(obj, on=on)
    if condition(obj):
        return []
    name = getattr(condition, "__name__", repr(condition))
    return [Reason(message=f"Condition not met: {name}")]


class TransitionRefused(DomainError):
    """A transition was refused; ``reasons`` lists every failed guard (nothing was written)."""

    code = "transition_refused"
    status = 400

    def __init__(self, reasons: list[Reason], *, transition: str = "") -> None:
        self.reasons = list(reasons)
        self.transition = transition
        message = "；".join(r.message for r in self.reasons) or "Transition refused."
        super().__init__(message)

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        data["reasons"] = [r.as_dict() for r in self.reasons]
        return data


class GuardFailed(TransitionRefused):
    """A module's rule refused an action (HTTP 409, code ``guard_failed``): ``reasons`` names each rule
    with its policy key, numbers and source. Nothing was written."""

    code = "guard_failed"
    status = 409

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "reasons": [
                {"policy": r.policy_key, "message": r.message, "value": r.as_dict()["value"], "source": r.source}
                for r in self.reasons
            ],
        }


class ConcurrentTransitionError(DomainError):
    """Somebody else moved the object first; reload and try again."""

    code = "concurrent_transition"
    status = 409
