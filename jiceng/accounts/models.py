"""Users, roles and area-bounded grants.

A ``Role`` is a named set of Django permissions (``directory.view_person``…). A
``RoleGrant`` gives one user one role over one Area subtree. Everything a user may do
anywhere is the union of their grants; ``get_scope_paths(perm)`` answers "in which
subtrees" and is what ``core.scope.restrict()`` asks.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.models import AbstractUser, Permission
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel
from jiceng.core.scope import RestrictedQuerySet, minimal_paths
from jiceng.directory.models import Area


class Role(models.Model):
    """A named set of permissions, e.g. ``admin`` or ``directory_viewer``."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    permissions = models.ManyToManyField(Permission, verbose_name=_("permissions"), blank=True, related_name="+")
    is_builtin = models.BooleanField(_("built in"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class UserManager(DjangoUserManager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser, ScopedModel):
    """A person who signs in. What they see is bounded by the areas of their grants."""

    scope_area_field = "grants__area"
    scope_needs_distinct = True

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )

    audit_exclude = ("password", "last_login", "created_at", "updated_at")

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.username

    def _grant_paths(self) -> dict[str, list[str]]:
        cache: dict[str, list[str]] | None = getattr(self, "_scope_cache", None)
        if cache is None:
            by_perm: dict[str, set[str]] = defaultdict(set)
            if self.is_active and self.pk:
                rows = RoleGrant.objects.filter(user_id=self.pk).values_list(
                    "area__path", "role__permissions__content_type__app_label", "role__permissions__codename"
                )
                for path, app_label, codename in rows:
                    if app_label and codename:
                        by_perm[f"{app_label}.{codename}"].add(path)
            cache = {perm: minimal_paths(paths) for perm, paths in by_perm.items()}
            self._scope_cache = cache
        return cache

    def get_scope_paths(self, perm: str) -> list[str]:
        """Materialised paths of the Area subtrees where this user holds ``perm``."""
        return self._grant_paths().get(perm, [])

    def clear_scope_cache(self) -> None:
        self.__dict__.pop("_scope_cache", None)

    def get_all_permissions(self, obj: Any = None) -> set[str]:  # used by templates' ``perms``
        return set(self._grant_paths())

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_active and bool(self.get_scope_paths(perm))

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and any(p.startswith(f"{app_label}.") for p in self._grant_paths())

    @property
    def areas(self) -> list[Area]:
        return [g.area for g in self.grants.select_related("area").order_by("area__path")]


class RoleGrant(ScopedModel):
    """One user holds one role over one Area subtree."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="grants")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="grants")

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role", "area"], name="grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.area}"
