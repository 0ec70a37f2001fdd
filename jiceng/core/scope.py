"""Central scope enforcement: every scoped model's default manager restricts by area subtree.

A scoped model declares where its area is (``scope_area_field``; ``None`` for the Area model
itself). Users answer ``get_scope_paths(perm)`` with the materialised paths of the Area
subtrees in which they hold ``perm`` (see ``accounts.models.User``). ``restrict()`` turns
those paths into one ``path LIKE 'prefix%'`` condition per subtree, so a list shows the
subtree only and a detail outside it matches nothing: a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

ACTIONS = ("view", "add", "change", "delete")


def permission_name(model: type[models.Model], action: str) -> str:
    """``directory.view_person`` for (Person, "view"); custom actions pass through as codenames."""
    opts = model._meta
    if action in ACTIONS:
        return f"{opts.app_label}.{action}_{opts.model_name}"
    return f"{opts.app_label}.{action}"


def area_path_lookup(model: type[models.Model]) -> str:
    """The ORM lookup that reaches the materialised area path of ``model`` rows.

    Models that cannot hold an Area foreign key (core engines) store the path in a column
    named by ``scope_path_field``.
    """
    path_field = getattr(model, "scope_path_field", None)
    if path_field:
        return str(path_field)
    field = getattr(model, "scope_area_field", None)
    if field is None:
        return "path"
    return f"{field}__path"


def minimal_paths(paths: Iterable[str]) -> list[str]:
    """Drop every path that lies inside another one: ``[a/, a/b/]`` → ``[a/]``."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return sorted(result)


def scope_q(model: type[models.Model], paths: Iterable[str]) -> Q:
    lookup = f"{area_path_lookup(model)}__startswith"
    q = Q()
    for path in paths:
        q |= Q(**{lookup: path})
    return q


def user_scope_paths(user: Any, perm: str) -> list[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    return list(user.get_scope_paths(perm))


class RestrictedQuerySet(models.QuerySet[Any]):
    """The default queryset of every scoped model."""

    def restrict(self, user: Any | AnonymousUser, action: str = "view") -> RestrictedQuerySet:
        paths = user_scope_paths(user, permission_name(self.model, action))
        if not paths:
            return self.none()
        qs = self.filter(scope_q(self.model, paths))
        if getattr(self.model, "scope_needs_distinct", False):
            qs = qs.distinct()
        return qs

    def in_subtree(self, area_path: str) -> RestrictedQuerySet:
        """Rows whose area lies in the subtree rooted at ``area_path``."""
        return self.filter(**{f"{area_path_lookup(self.model)}__startswith": area_path})


def ancestor_paths(path: str) -> list[str]:
    """``a/b/`` → ``["a/", "a/b/"]``: the path itself and its ancestors."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class DownwardQuerySet(RestrictedQuerySet):
    """Rows that apply downwards (a city's campaign, a county's school calendar or education group):
    ``restrict(user, "view")`` also returns the rows of the ancestors of the user's areas, so a
    township sees the county's row it takes part in; ``add``/``change``/``delete`` only those
    inside the user's subtrees."""

    def restrict(self, user: Any | AnonymousUser, action: str = "view") -> RestrictedQuerySet:
        paths = user_scope_paths(user, permission_name(self.model, action))
        if not paths:
            return self.none()
        lookup = area_path_lookup(self.model)
        q = Q()
        for path in paths:
            q |= Q(**{f"{lookup}__startswith": path})
            if action == "view":
                q |= Q(**{f"{lookup}__in": ancestor_paths(path)})
        return self.filter(q)


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    pass


def object_area_path(obj: models.Model) -> str:
    """The materialised area path of one object (empty when it has none)."""
    path_field = getattr(type(obj), "scope_path_field", None)
    if path_field:
        return getattr(obj, path_field, "") or ""
    field = getattr(type(obj), "scope_area_field", None)
    if field is None:
        return getattr(obj, "path", "") or ""
    target: Any = obj
    for part in field.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return ""
        if hasattr(target, "all"):  # a many-valued relation: scope by its first member
            target = target.first()
            if target is None:
                return ""
    return getattr(target, "path", "") or ""


def user_can(user: Any, obj: models.Model, action: str = "view") -> bool:
    """Whether ``user`` holds ``action`` on ``obj`` by area scope (no database query for the grant).

    Rows of the whole installation (``installation_wide = True``: reference tables such as supervision
    sectors) have no Area: holding the permission anywhere is enough for them."""
    paths = user_scope_paths(user, permission_name(type(obj), action))
    if getattr(type(obj), "installation_wide", False):
        return bool(paths)
    path = object_area_path(obj)
    return bool(path) and any(path.startswith(p) for p in paths)
