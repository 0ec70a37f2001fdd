"""Writing the audit log: snapshots of objects and one entry per change, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from jiceng.core.context import get_request_id
from jiceng.core.models import AuditAction, AuditEntry
from jiceng.core.scope import object_area_path


def _json_value(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or None  # the stored file's name, not its bytes
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of ``obj`` as JSON-ready data (foreign keys by id)."""
    exclude = set(getattr(obj, "audit_exclude", ()))
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.attname] = _json_value(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        if field.name in exclude or obj.pk is None:
            continue
        data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_repr": "system"}
    return {"actor": actor, "actor_repr": actor.get_username()}


def _entry(
    action: str,
    obj: models.Model,
    *,
    actor: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    comment: str = "",
    request_id: str | None = None,
    content_type: ContentType | None = None,
) -> AuditEntry:
    return AuditEntry(
        action=action,
        content_type=content_type or ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        area_path=object_area_path(obj),
        before=before,
        after=after,
        comment=comment,
        request_id=request_id or get_request_id(),
        **_actor_fields(actor),
    )


def record(
    action: str,
    obj: models.Model,
    *,
    actor: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    comment: str = "",
) -> AuditEntry:
    """Write one audit entry. Call inside the transaction that made the change."""
    entry = _entry(action, obj, actor=actor, before=before, after=after, comment=comment)
    entry.save()
    return entry


def record_bulk_create(objs: Iterable[models.Model], *, actor: Any, comment: str = "", batch_size: int = 2000) -> int:
    """One ``create`` entry per object, inserted in batches (imports and demo data)."""
    objs = list(objs)
    if not objs:
        return 0
    content_type = ContentType.objects.get_for_model(objs[0])
    request_id = get_request_id()
    entries = [
        _entry(
            AuditAction.CREATE,
            obj,
            actor=actor,
            before=None,
            after=snapshot(obj),
            comment=comment,
            request_id=request_id,
            content_type=content_type,
        )
        for obj in objs
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """Every audit entry of ``obj``, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
