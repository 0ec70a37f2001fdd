"""Core models: the base every domain model inherits, and the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import RestrictedManager


class TimeStampedModel(models.Model):
    """Creation and last-change timestamps (UTC; shown in Asia/Shanghai)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ScopedModel(TimeStampedModel):
    """A model whose rows belong to an Area and are read through ``restrict()``.

    Subclasses set ``scope_area_field`` to the name of their Area foreign key (``"area"`` by
    default) or a lookup path (``"village__township"``); the Area model sets ``None``.
    ``audit_exclude`` lists fields kept out of the audit snapshots.
    """

    scope_area_field: str | None = "area"
    scope_needs_distinct = False
    audit_exclude: tuple[str, ...] = ("created_at", "updated_at")

    objects = RestrictedManager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        opts = self._meta
        return reverse(f"{opts.app_label}:{opts.model_name}_detail", args=[self.pk])


class AreaFromMixin(models.Model):
    """For rows whose Area is another row's (a member's is their organisation's, an inspection's is its
    enterprise's): ``area`` is copied from ``<area_from>.area`` on every save, so that scope is one
    indexed prefix match with no join, and moving the row to another owner moves its scope too."""

    area_from: str = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.area_id = getattr(self, self.area_from).area_id  # type: ignore[attr-defined]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "area" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "area"]
        super().save(*args, **kwargs)


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    TRANSITION = "transition", _("transition")


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes: the rows are a ledger (audit log, points ledger)."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError(self.model.append_only_message)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(self.model.append_only_message)


class AppendOnlyModel(models.Model):
    """A row that is written once and never changed or deleted (corrections are new rows)."""

    append_only_message = "These rows are append-only."

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError(self.append_only_message)


class SubjectReference(models.Model):
    """A reference to an object of any module (content type + id), with its label and area path copied
    in so that engines can scope and list it without importing the module (``scope_path_field``)."""

    scope_path_field = "area_path"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("object id"), max_length=64)
    subject_repr = models.CharField(_("subject"), max_length=200)
    area_path = models.CharField(_("area path"), max_length=255, db_index=True)

    class Meta:
        abstract = True


class AuditEntry(AppendOnlyModel):
    """One create, update or delete of one object: who, when, from which request, before/after.

    Append-only for everybody: the model refuses updates and deletes, and database triggers
    (migration 0002) refuse them for raw SQL too.
    """

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("actor"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    area_path = models.CharField(_("area path"), max_length=255, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    append_only_message = "The audit log is append-only."

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field whose value differs."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
