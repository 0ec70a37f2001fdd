"""Policies: every regulatory threshold as an effective-dated, area-scoped, sourced row.

A ``Policy`` row says "from ``effective_from`` until ``effective_to`` (exclusive), in the
Area whose materialised path is ``area_path`` and everything below it, ``key`` is
``value``", and where that number comes from. The empty path is national. Core must not
import the directory app, so the Area is stored as its code and path (no foreign key).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel
from jiceng.core.scope import RestrictedQuerySet, permission_name, user_scope_paths

KEY_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$",
    _("A policy key is dotted lower-case words, e.g. education.class_size_cap."),
    code="invalid_policy_key",
)
PATH_VALIDATOR = RegexValidator(
    r"^(\d{12}/)*$", _("An area path is a run of 12-digit codes each followed by “/”."), code="invalid_area_path"
)


class PolicyValueType(models.TextChoices):
    INTEGER = "integer", _("integer")
    DECIMAL = "decimal", _("decimal")
    PERCENTAGE = "percentage", _("percentage")
    DURATION_DAYS = "duration_days", _("duration in days")
    DURATION_WORKDAYS = "duration_workdays", _("duration in workdays")
    DURATION_MONTHS = "duration_months", _("duration in months")
    ENUM = "enum", _("choice")
    BOOLEAN = "boolean", _("yes/no")
    TEXT = "text", _("text")


INTEGER_TYPES = {
    PolicyValueType.INTEGER,
    PolicyValueType.DURATION_DAYS,
    PolicyValueType.DURATION_WORKDAYS,
    PolicyValueType.DURATION_MONTHS,
}
DECIMAL_TYPES = {PolicyValueType.DECIMAL, PolicyValueType.PERCENTAGE}
TRUE_TEXTS = {"true", "1", "yes"}
FALSE_TEXTS = {"false", "0", "no"}


class SourceStatus(models.TextChoices):
    NATIONAL = "national", _("national")
    LOCAL = "local", _("local")
    SEED = "seed", _("seed article")
    UNVERIFIED = "unverified", _("unverified")


def convert_value(value_type: str, raw: Any, allowed_values: list[str] | None = None) -> Any:
    """The typed value of ``raw`` (text, number or bool) for ``value_type``; ``ValidationError`` if it is not one."""
    text = str(raw).strip() if not isinstance(raw, bool) else ("true" if raw else "false")
    try:
        if value_type in INTEGER_TYPES:
            number = decimal.Decimal(text)
            if number != number.to_integral_value():
                raise ValueError
            result: Any = int(number)
            if value_type != PolicyValueType.INTEGER and result < 0:
                raise ValueError
            return result
        if value_type in DECIMAL_TYPES:
            number = decimal.Decimal(text)
            if not number.is_finite():
                raise ValueError
            number = number.normalize()
            # 50, not 5E+1: whole numbers keep their digits (they are printed in refusals)
            return number.quantize(decimal.Decimal(1)) if number == number.to_integral_value() else number
        if value_type == PolicyValueType.BOOLEAN:
            if text.lower() in TRUE_TEXTS:
                return True
            if text.lower() in FALSE_TEXTS:
                return False
            raise ValueError
        if value_type == PolicyValueType.ENUM:
            if text not in (allowed_values or []):
                raise ValidationError(
                    _("“%(value)s” is not one of the allowed values: %(allowed)s."),
                    code="invalid_choice",
                    params={"value": text, "allowed": ", ".join(allowed_values or [])},
                )
            return text
        if value_type == PolicyValueType.TEXT:
            return text
    except (ValueError, decimal.InvalidOperation) as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid %(type)s."),
            code="invalid_value",
            params={
                "value": text,
                "type": PolicyValueType(value_type).label if value_type in PolicyValueType.values else value_type,
            },
        ) from exc
    raise ValidationError(_("Unknown value type “%(type)s”."), code="invalid_value_type", params={"type": value_type})


def canonical_text(value_type: str, typed: Any) -> str:
    """The stored text of a typed value: ``55``, ``0.5``, ``true``."""
    if isinstance(typed, bool):
        return "true" if typed else "false"
    if isinstance(typed, decimal.Decimal):
        return format(typed, "f")
    return str(typed)


class PolicyQuerySet(RestrictedQuerySet):
    """Policies apply downwards: a row for an Area governs that Area's whole subtree.

    ``restrict(user, "view")`` therefore returns every row that applies to one of the user's
    areas — national rows, rows of their ancestors, their own areas and their subtrees —
    while ``change``/``delete``/``add`` return only rows inside the user's subtrees
    (national rows are changed by ``loadpolicies`` from the reviewed seed file, never in the
    UI). A user cannot edit the rule that binds them from above.
    """

    def restrict(self, user: Any, action: str = "view") -> PolicyQuerySet:
        paths = user_scope_paths(user, permission_name(self.model, action))
        if not paths:
            return self.none()
        q = Q()
        for path in paths:
            q |= Q(area_path__startswith=path)
            if action == "view":
                q |= Q(area_path__in=ancestor_paths(path))
        return self.filter(q)

    def in_effect(self, on: dt.date) -> PolicyQuerySet:
        return self.filter(Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gt=on)))

    def applicable_to(self, area_path: str) -> PolicyQuerySet:
        """Rows whose area is ``area_path`` or one of its ancestors (national included)."""
        return self.filter(area_path__in=ancestor_paths(area_path))


def ancestor_paths(area_path: str) -> list[str]:
    """``a/b/`` → ``["", "a/", "a/b/"]``: the path itself and every ancestor, national first."""
    parts = [p for p in area_path.split("/") if p]
    return ["", *("".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts)))]


class Policy(ScopedModel):
    """One rule as data: key, typed value, unit, Area scope, effective dates and source.

    No two rows for the same key and Area overlap in time (``clean()`` and, on PostgreSQL,
    an exclusion constraint). Changing a number is done by closing the current row
    (``effective_to``) and adding its successor, so the history stays readable; every edit
    is also in the audit log.
    """

    scope_area_field = None
    scope_path_field = "area_path"

    key = models.CharField(_("key"), max_length=100, validators=[KEY_VALIDATOR], db_index=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("What the number is, e.g. 班额上限."))
    value_type = models.CharField(_("value type"), max_length=20, choices=PolicyValueType.choices)
    value = models.CharField(_("value"), max_length=500, help_text=_("Stored as text, checked against the value type."))
    allowed_values = models.JSONField(_("allowed values"), default=list, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    area_code = models.CharField(_("area code"), max_length=12, blank=True, help_text=_("Empty for national rules."))
    area_path = models.CharField(_("area path"), max_length=255, blank=True, validators=[PATH_VALIDATOR])
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective to"),
        null=True,
        blank=True,
        help_text=_("First day on which the row no longer applies; empty = open."),
    )
    source_document = models.CharField(_("source document"), max_length=300)
    source_article = models.CharField(_("source article"), max_length=200, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_status = models.CharField(_("source status"), max_length=16, choices=SourceStatus.choices)
    notes = models.TextField(_("notes"), blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["key", "area_path", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "area_path", "effective_from"], name="policy_unique_start"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="policy_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["key", "area_path", "effective_from"], name="policy_lookup")]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}{self.unit} ({self.area_code or 'national'}, {self.effective_from})"

    @property
    def typed_value(self) -> Any:
        return convert_value(self.value_type, self.value, self.allowed_values)

    def is_in_effect(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.value_type:
            try:
                typed = convert_value(self.value_type, self.value, self.allowed_values)
                self.value = canonical_text(self.value_type, typed)
            except ValidationError as exc:
                errors["value"] = exc
        if self.value_type == PolicyValueType.ENUM and not self.allowed_values:
            errors["allowed_values"] = _("A choice policy needs its list of allowed values.")
        if bool(self.area_code) != bool(self.area_path) or (
            self.area_code and not self.area_path.endswith(f"{self.area_code}/")
        ):
            errors["area_path"] = _("The area path must end with the area code (both empty for national rules).")
        if self.effective_from and self.effective_to and self.effective_to <= self.effective_from:
            errors["effective_to"] = _("The end date must be after the start date.")
        if errors:
            raise ValidationError(errors)
        self.check_overlap()

    def overlapping(self) -> models.QuerySet[Policy]:
        """Other rows for the same key and Area whose period meets this one's."""
        qs = Policy.objects.filter(key=self.key, area_path=self.area_path).exclude(pk=self.pk)
        if self.effective_to is not None:
            qs = qs.filter(effective_from__lt=self.effective_to)
        return qs.filter(Q(effective_to__isnull=True) | Q(effective_to__gt=self.effective_from))

    def check_overlap(self) -> None:
        if not (self.key and self.effective_from):
            return
        other = self.overlapping().order_by("effective_from").first()
        if other is not None:
            raise ValidationError(
                _(
                    "“%(key)s” already has a value for this area from %(start)s to %(end)s; close that row "
                    "(effective to) before adding another one."
                ),
                code="policy_overlap",
                params={"key": self.key, "start": other.effective_from, "end": other.effective_to or "—"},
            )
