"""Running transitions: every guard, the permission by area scope, a row lock, the log and the audit.

``run_transition(obj, "approve", acting_user=user, comment="…")`` is what a module's
``do_*`` service calls. It returns the saved (reloaded) object; ``obj`` itself is refreshed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from jiceng.core import audit
from jiceng.core.errors import PermissionRefused
from jiceng.core.models import AuditAction
from jiceng.core.scope import object_area_path, user_can
from jiceng.core.workflow.guards import (
    ConcurrentTransitionError,
    Reason,
    TransitionRefused,
    _evaluation_date,
    condition_reasons,
    evaluation_date,
)
from jiceng.core.workflow.models import TransitionLog


def _meta(model: type[models.Model], transition_name: str) -> Any:
    method = getattr(model, transition_name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{model.__name__}.{transition_name} is not a transition")
    return meta


def state_of(obj: models.Model, transition_name: str) -> str:
    return str(getattr(obj, _meta(type(obj), transition_name).field.attname))


def check_permission(obj: models.Model, transition: Any, acting_user: Any) -> bool:
    """Deny by default: a transition without a permission is for the system (``acting_user=None``) only."""
    if acting_user is None:
        return True
    permission = transition.permission
    if not permission:
        return False
    if callable(permission):
        return bool(permission(obj, acting_user))
    return user_can(acting_user, obj, str(permission).split(".", 1)[-1])


def list_refusals(
    obj: models.Model, transition_name: str, *, acting_user: Any, on: dt.date | None = None, system: bool = False
) -> list[Reason]:
    """Every reason the transition would be refused now (empty: it may proceed).

    ``system=True`` skips the permission check (the guards still apply).
    """
    on = on or evaluation_date()
    meta = _meta(type(obj), transition_name)
    current = str(getattr(obj, meta.field.attname))
    transition = meta.get_transition(current)
    if transition is None:
        return [
            Reason(
                message=_("“%(name)s” is not possible from state “%(state)s”.")
                % {"name": transition_name, "state": current}
            )
        ]
    reasons: list[Reason] = []
    if not system and not check_permission(obj, transition, acting_user):
        reasons.append(Reason(message=_("You do not have permission to do this.")))
        return reasons
    for condition in transition.conditions:
        reasons.extend(condition_reasons(condition, obj, on))
    return reasons


def available_transitions(obj: models.Model, field: str, *, acting_user: Any) -> list[str]:
    """Names of the transitions ``acting_user`` may run now (guards included)."""
    getter = getattr(obj, f"get_available_{field}_transitions")
    return [t.name for t in getter() if not list_refusals(obj, t.name, acting_user=acting_user)]


def apply_transition(
    obj: models.Model,
    transition_name: str,
    *,
    acting_user: Any,
    comment: str = "",
    attachments: Sequence[Any] = (),
    on: dt.date | None = None,
    args: Iterable[Any] = (),
    system: bool = False,
) -> models.Model:
    """The body of ``run_transition`` for callers already inside a transaction (no durable block).

    ``system=True``: the engine itself moves the object on a fact (e.g. an alert's condition
    cleared when someone completed the underlying task) — no permission check on
    ``acting_user``, who is still recorded as the actor. Guards still apply.
    """
    on = on or evaluation_date()
    model = type(obj)
    meta = _meta(model, transition_name)
    attname = meta.field.attname
    with transaction.atomic(savepoint=False):
        locked = model._base_manager.select_for_update(no_key=True).get(pk=obj.pk)
        seen = getattr(obj, attname)
        if getattr(locked, attname) != seen:
            raise ConcurrentTransitionError(
                _("The record was changed by someone else (now “%(state)s”); reload and try again.")
                % {"state": getattr(locked, attname)}
            )
        transition = meta.get_transition(str(seen))
        if not system and transition is not None and not check_permission(locked, transition, acting_user):
            raise PermissionRefused(_("You do not have permission to do this."))
        reasons = list_refusals(locked, transition_name, acting_user=acting_user, on=on, system=system)
        if reasons:
            raise TransitionRefused(reasons, transition=transition_name)
        before = audit.snapshot(locked)
        token = _evaluation_date.set(on)
        try:
            getattr(locked, transition_name)(*args)
        finally:
            _evaluation_date.reset(token)
        after = audit.snapshot(locked)
        changed = [
            f.name
            for f in model._meta.concrete_fields
            if f.attname in after and after[f.attname] != before.get(f.attname)
        ]
        if hasattr(locked, "updated_at"):
            changed.append("updated_at")
        try:
            locked.save(update_fields=changed or [meta.field.name])
        except ConcurrentTransition as exc:
            raise ConcurrentTransitionError(_("The record was changed by someone else; reload and try again.")) from exc
        log_transition(
            locked,
            transition_name,
            source=str(seen),
            target=str(getattr(locked, attname)),
            acting_user=acting_user,
            comment=comment,
            attachments=attachments,
        )
        audit.record(AuditAction.TRANSITION, locked, actor=acting_user, before=before, after=after, comment=comment)
    # a model without FSMModelMixin cannot reload a protected field: the caller uses the return value
    with contextlib.suppress(AttributeError):
        obj.refresh_from_db()
    return locked


def run_transition(
    obj: models.Model,
    transition_name: str,
    *,
    acting_user: Any,
    comment: str = "",
    attachments: Sequence[Any] = (),
    on: dt.date | None = None,
) -> models.Model:
    """Run ``transition_name`` on ``obj`` as ``acting_user`` (``None``: the system) in one durable transaction.

    Raises ``TransitionRefused`` listing every failed guard, ``PermissionRefused`` when the user
    lacks the transition's permission over the object's area, ``ConcurrentTransitionError``
    when the state moved since ``obj`` was read. Writes a ``TransitionLog`` and an audit entry.
    """
    with transaction.atomic(durable=True):
        return apply_transition(
            obj, transition_name, acting_user=acting_user, comment=comment, attachments=attachments, on=on
        )


def log_transition(
    obj: models.Model,
    transition_name: str,
    *,
    source: str,
    target: str,
    acting_user: Any,
    comment: str = "",
    attachments: Sequence[Any] = (),
) -> TransitionLog:
    """Write one log row (also used for non-FSM moves such as an alert's escalation)."""
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        transition=transition_name,
        source_state=source,
        target_state=target,
        actor=actor,
        actor_repr=actor.get_username() if actor else "system",
        comment=comment,
        attachments=[str(a) for a in attachments],
        area_path=object_area_path(obj),
    )


def list_transitions(obj: models.Model) -> models.QuerySet[TransitionLog]:
    """The transitions of ``obj``, oldest first (the caller has already checked access to ``obj``)."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
