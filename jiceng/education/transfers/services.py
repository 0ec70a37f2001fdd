"""Writes of transfers: the receiving school applies, the bureau approves (the move is made) or
rejects (the broken rules recorded), the school withdraws.

Every refusal of a rule is a ``GuardFailed`` (HTTP 409, ``guard_failed``) listing each broken rule
with its policy, numbers and source; nothing is written when one is raised. Plain bad input (a
missing class or date) is ``InvalidInput`` (400).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.scope import user_can
from jiceng.core.workflow import GuardFailed, Reason, TransitionRefused
from jiceng.core.workflow.services import apply_transition, list_refusals
from jiceng.education.choices import EnrollmentReason
from jiceng.education.models import SchoolClass
from jiceng.education.services import do_move
from jiceng.education.transfers import rules
from jiceng.education.transfers.choices import TransferState
from jiceng.education.transfers.models import Transfer

# The API's actions → the transition.
ACTIONS = {"approve": "approve", "reject": "reject", "withdraw": "withdraw"}
DECIDING = {"approve", "reject"}  # the bureau's decisions: approval rights at the policy's level


def transfer_data(data: Mapping[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The application's fields: the student's open enrollment and school, the receiving school."""
    student, to_class, on = data.get("student"), data.get("to_class"), data.get("on")
    if student is None:
        raise InvalidInput(_("Choose the student."), field="student")
    if to_class is None:
        raise InvalidInput(_("Choose the class the student would join."), field="to_class")
    if not isinstance(on, dt.date):
        raise InvalidInput(_("Give the transfer date."), field="on")
    current = rules.current_enrollment(student)
    return {
        "student": student,
        "to_class": to_class,
        "to_school": to_class.school,
        "area": to_class.school.area,
        "on": on,
        "applied_on": today,
        "from_enrollment": current,
        "from_school": current.school if current is not None else None,
    }


def application_refusals(data: Mapping[str, Any], *, today: dt.date | None = None) -> list[Reason]:
    """Every rule an application with ``data`` (student, to_class, on) would break now."""
    probe = Transfer(**transfer_data(data, today=today or timezone.localdate()))
    return rules.APPLY.reasons(probe)


def do_apply(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Transfer:
    """The receiving school applies to take ``student`` into ``to_class`` from ``on``.

    ``GuardFailed`` lists every rule the application breaks (cap, window, graduating year,
    registration, one pending application); nothing is written then."""
    today = timezone.localdate()
    prepared = transfer_data(data, today=today)
    with transaction.atomic():
        # a read is enough here: the bureau's approval reads every rule again under a lock
        reasons = rules.APPLY.reasons(Transfer(**prepared))
        if reasons:
            raise GuardFailed(reasons, transition="apply")
        user = acting_user if getattr(acting_user, "is_authenticated", False) else None
        return services.do_create(
            Transfer, data={**prepared, "applied_by": user}, acting_user=acting_user, comment=comment
        )


def transition_name(action: str) -> str:
    if action not in ACTIONS:
        raise InvalidInput(_("Unknown step “%(action)s”.") % {"action": action}, field="action")
    return ACTIONS[action]


def refusals(transfer: Transfer, action: str, *, acting_user: Any) -> list[Reason]:
    """What would stop ``action`` (approve, reject, withdraw) now (empty: it may proceed)."""
    name = transition_name(action)
    today = timezone.localdate()
    found = list_refusals(transfer, name, acting_user=acting_user, on=today)
    if name in DECIDING and acting_user is not None and user_can(acting_user, transfer, "approve_transfer"):
        reason = rules.approver_reason(transfer, acting_user, on=today)
        found = ([reason] if reason else []) + found
    return found


def _check_decider(transfer: Transfer, name: str, acting_user: Any, today: dt.date) -> None:
    if acting_user is None or name not in DECIDING:
        return
    if not user_can(acting_user, transfer, "approve_transfer"):
        raise PermissionRefused(_("You may not decide transfers here."))
    reason = rules.approver_reason(transfer, acting_user, on=today)
    if reason is not None:
        raise GuardFailed([reason], transition=name)


def do_decide(transfer: Transfer, *, action: str, acting_user: Any, note: str = "") -> Transfer:
    """Run ``action`` on a pending application (approve, reject, withdraw).

    - approve: every application rule is read again (sizes change); the approver holds approval
      rights at the policy's level; the student is moved (``education.services.do_move``: the open
      enrollment ends on the transfer date, one in the class opens the same day, the student's area
      and the classes' cap marks follow) and the handover deadline is set;
    - reject: the approver's level as for approval; the rules the application breaks now are
      recorded with the note;
    - withdraw: the receiving school takes its application back.
    """
    name = transition_name(action)
    today = timezone.localdate()
    _check_decider(transfer, name, acting_user, today)
    args: tuple[Any, ...]
    if name == "approve":
        due, _rule = rules.handover_due(transfer, today)
        args = (acting_user, note, due)
    elif name == "reject":
        found = rules.APPROVE.reasons(transfer, on=today) if transfer.is_pending else []
        if not found and not note.strip():
            raise InvalidInput(_("The application breaks no rule: give the reason for the rejection."), field="note")
        args = (acting_user, note, [rules.reason_record(reason) for reason in found])
    else:
        args = (acting_user, note)
    try:
        with transaction.atomic():
            if name == "approve":  # one approval at a time per class: the cap is read under the lock
                SchoolClass.objects.select_for_update(no_key=True).filter(pk=transfer.to_class_id).first()
            moved = cast(
                Transfer, apply_transition(transfer, name, acting_user=acting_user, comment=note, on=today, args=args)
            )
            if name == "approve":
                do_move(
                    moved.student,
                    moved.to_class,
                    on=moved.on,
                    reason=EnrollmentReason.TRANSFER,
                    acting_user=acting_user,
                    comment=_("Transfer #%(id)s approved") % {"id": moved.pk},
                )
    except TransitionRefused as exc:
        if isinstance(exc, GuardFailed):
            raise
        raise GuardFailed(exc.reasons, transition=name) from exc
    return moved


def do_approve(transfer: Transfer, *, acting_user: Any, note: str = "") -> Transfer:
    return do_decide(transfer, action="approve", acting_user=acting_user, note=note)


def do_reject(transfer: Transfer, *, acting_user: Any, note: str = "") -> Transfer:
    return do_decide(transfer, action="reject", acting_user=acting_user, note=note)


def do_withdraw(transfer: Transfer, *, acting_user: Any, note: str = "") -> Transfer:
    return do_decide(transfer, action="withdraw", acting_user=acting_user, note=note)


def is_pending(transfer: Transfer) -> bool:
    return transfer.status == TransferState.APPLIED
