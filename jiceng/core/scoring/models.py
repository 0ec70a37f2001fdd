"""Scoring: indicator sets with weights, scores by source and period, and an append-only points ledger.

Subjects belong to other modules (a cadre, a branch, a school…): they are referenced generically
(content type + id) with the subject's area path denormalised for scope.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import AppendOnlyModel, AppendOnlyQuerySet, ScopedModel, SubjectReference


class PeriodKind(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class ScoreSource(models.TextChoices):
    SELF = "self", _("self-assessment")
    ORGANISATION = "organisation", _("organisation")
    SYSTEM = "system", _("system-derived")


class IndicatorSet(models.Model):
    """A scoring sheet: indicators with weights, how sources combine, grade bands and the top-grade quota.

    ``source_weights`` ({"self": 0.2, "organisation": 0.8}), ``grade_bands`` ([{"grade": "excellent",
    "label": "优秀", "min": 90}, …], highest first), ``tie_break`` (ordered keys: a source name, or
    ``"submitted_at"``) and the quota (``top_grade_quota``, or the policy ``quota_policy`` when set)
    are data, each with the document they come from.
    """

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    source_weights = models.JSONField(_("source weights"), default=dict)
    grade_bands = models.JSONField(_("grade bands"), default=list)
    top_grade = models.CharField(_("top grade"), max_length=32, blank=True)
    top_grade_quota = models.DecimalField(_("top-grade quota"), max_digits=5, decimal_places=4, null=True, blank=True)
    quota_policy = models.CharField(_("quota policy key"), max_length=120, blank=True)
    tie_break = models.JSONField(_("tie-break order"), default=list)
    source_document = models.CharField(_("source document"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2, default=Decimal(100))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["indicator_set", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Score(SubjectReference, ScopedModel):
    """One indicator's score for one subject, period and source."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores")
    period = models.CharField(_("period"), max_length=10, help_text=_("2026, 2026-Q3 or 2026-11"))
    source = models.CharField(_("source"), max_length=16, choices=ScoreSource.choices)
    value = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "content_type", "object_id", "period", "source"], name="score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_repr} {self.indicator.code} {self.period} {self.value}"


class PointsEntryQuerySet(AppendOnlyQuerySet):
    def restrict(self, user: Any, action: str = "view") -> Any:
        from jiceng.core.scope import RestrictedQuerySet

        return RestrictedQuerySet.restrict(self, user, action)  # type: ignore[arg-type]

    def balance(self) -> Decimal:
        return self.aggregate(total=models.Sum("points"))["total"] or Decimal(0)


class PointsEntry(AppendOnlyModel, SubjectReference):
    """One append-only line of a points ledger (笑脸积分 and the like).

    Points are never edited: an upheld appeal or a correction writes a reversal entry (``reverses``)
    with the opposite points, so every balance is the plain SQL sum of the ledger.
    """

    scope_area_field = None
    append_only_message = "The points ledger is append-only; write a reversal entry instead."

    rule_key = models.CharField(_("rule"), max_length=120)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    period = models.CharField(_("period"), max_length=10)
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    reason = models.TextField(_("reason"), blank=True)

    objects = models.Manager.from_queryset(PointsEntryQuerySet)()

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "period"])]

    def __str__(self) -> str:
        return f"{self.subject_repr} {self.rule_key} {self.points:+}"
