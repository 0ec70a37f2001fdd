"""Scoped reads shared by every app: fetch one object the user may act on, or 404."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from jiceng.core.errors import NotFound

M = TypeVar("M", bound=models.Model)


def access_object(
    user: Any, model: type[M], lookup: dict[str, Any], action: str = "view", queryset: models.QuerySet[M] | None = None
) -> M:
    """The object matching ``lookup`` if ``user`` may ``action`` it; ``NotFound`` otherwise."""
    qs: Any = queryset if queryset is not None else model._default_manager.all()
    try:
        found: M = qs.restrict(user, action).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(str(model._meta.verbose_name)) from exc
    return found
