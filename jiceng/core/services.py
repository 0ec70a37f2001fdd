"""Generic write services: create, update and delete with validation, scope conformance and audit.

Domain apps call these from their own ``do_*`` functions (or use them directly for plain
registries). Each is one transaction: validate → write → audit → re-check scope. If the
object would end up outside the writer's area subtree, everything is rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.errors import OutOfScope, PermissionRefused
from jiceng.core.models import AuditAction
from jiceng.core.scope import permission_name, user_can, user_scope_paths

M = TypeVar("M", bound=models.Model)


def _is_system(acting_user: Any) -> bool:
    """Commands, jobs and the demo builder act as the system (``acting_user=None``)."""
    return acting_user is None


def check_conformance(obj: models.Model, acting_user: Any, action: str) -> None:
    """Refuse (and so roll back) a write that leaves ``obj`` outside the writer's scope."""
    if _is_system(acting_user):
        return
    if not user_can(acting_user, obj, action):
        raise OutOfScope(_("This record would be outside the areas you manage; nothing was saved."))


def check_permission(model: type[models.Model], acting_user: Any, action: str) -> None:
    if _is_system(acting_user):
        return
    if not user_scope_paths(acting_user, permission_name(model, action)):
        raise PermissionRefused(_("You do not have permission to do this."))


def protected_fields(model: type[models.Model]) -> list[str]:
    """Fields ``full_clean`` must leave alone: protected FSM states change only through transitions."""
    return [f.name for f in model._meta.concrete_fields if getattr(f, "protected", False)]


def _assign(obj: models.Model, data: Mapping[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Set plain fields on ``obj``; return the changed concrete field names and the m2m values."""
    changed: list[str] = []
    m2m: dict[str, Any] = {}
    m2m_names = {f.name for f in obj._meta.many_to_many}
    for name, value in data.items():
        if name in m2m_names:
            m2m[name] = value
            continue
        field: Any = obj._meta.get_field(name)
        if field.is_relation:
            new_raw = value.pk if isinstance(value, models.Model) else value
            if obj.pk is None or getattr(obj, field.attname) != new_raw:
                setattr(obj, field.name, value)
                changed.append(field.name)
            continue
        if getattr(obj, field.attname) != value:
            setattr(obj, field.attname, value)
            changed.append(field.name)
    return changed, m2m


def do_create(model: type[M], *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> M:
    """Create one ``model`` row from ``data`` (field name → value)."""
    check_permission(model, acting_user, "add")
    with transaction.atomic():
        obj = model()
        _, m2m = _assign(obj, data)
        obj.full_clean(exclude=protected_fields(model))
        obj.save()
        for name, value in m2m.items():
            getattr(obj, name).set(value)
        check_conformance(obj, acting_user, "add")
        audit.record(AuditAction.CREATE, obj, actor=acting_user, after=audit.snapshot(obj), comment=comment)
    return obj


def do_update(obj: M, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> M:
    """Update ``obj`` with ``data``; saves only the changed fields and audits before/after."""
    model = type(obj)
    check_permission(model, acting_user, "change")
    with transaction.atomic():
        locked = model._base_manager.select_for_update(no_key=True).get(pk=obj.pk)
        check_conformance(locked, acting_user, "change")  # it must be ours before, not only after
        before = audit.snapshot(locked)
        changed, m2m = _assign(locked, data)
        locked.full_clean(exclude=protected_fields(model))
        derived = [f for f in getattr(locked, "derived_fields", ()) if f not in changed]
        if changed:
            locked.save(
                update_fields=[*changed, *derived, "updated_at"]
                if hasattr(locked, "updated_at")
                else [*changed, *derived]
            )
        for name, value in m2m.items():
            getattr(locked, name).set(value)
        check_conformance(locked, acting_user, "change")
        after = audit.snapshot(locked)
        if after != before:
            audit.record(AuditAction.UPDATE, locked, actor=acting_user, before=before, after=after, comment=comment)
    return locked


def do_delete(obj: models.Model, *, acting_user: Any, comment: str = "") -> None:
    """Delete ``obj`` and audit its last state. Protected references raise a clear error."""
    check_permission(type(obj), acting_user, "delete")
    with transaction.atomic():
        check_conformance(obj, acting_user, "delete")
        before = audit.snapshot(obj)
        audit.record(AuditAction.DELETE, obj, actor=acting_user, before=before, comment=comment)
        try:
            obj.delete()
        except models.ProtectedError as exc:
            names = sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
            raise ValidationError(
                _("Other records still refer to this one (%(names)s); remove or reassign them first."),
                code="protected",
                params={"names": ", ".join(names)},
            ) from exc


def do_bulk_create(
    model: type[M],
    objs: Iterable[M],
    *,
    acting_user: Any,
    comment: str = "",
    batch_size: int = 2000,
    validate: bool = True,
) -> list[M]:
    """Insert many rows at once with one audit entry each (imports, demo data).

    Rows are validated before anything is written; the caller wraps the call in its own
    transaction when it must be atomic with other writes.
    """
    check_permission(model, acting_user, "add")
    objs = list(objs)
    if validate:
        exclude = protected_fields(model)
        for obj in objs:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        created: list[M] = model._default_manager.bulk_create(objs, batch_size=batch_size)
        if created and created[0].pk is None:  # backends that cannot return ids
            raise RuntimeError("bulk_create must return primary keys for auditing")
        if not _is_system(acting_user):
            for obj in created:
                check_conformance(obj, acting_user, "add")
        audit.record_bulk_create(created, actor=acting_user, comment=comment, batch_size=batch_size)
    return created
