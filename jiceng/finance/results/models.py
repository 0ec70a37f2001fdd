"""Monitoring results (预算绩效运行监控的目标监控与结果应用, catalogue B02 target side and B05; issue 7).

- ``PerformanceTarget`` (绩效目标): one indicator of a ``finance.BudgetProject`` — category (产出·数量/
  质量/时效/成本, 效益·经济/社会/可持续, 满意度), name, target value, unit, direction, optional weight —
  and its dated ``TargetReport`` rows (value achieved, forecast year-end value). Whether a target
  deviates on a date is computed (``rules.deviation``), never stored, so it is reproducible.
- ``Finding`` (监控发现的问题): issued by the finance bureau to the project's department through a
  rectification case (issued → responded → closed; a rejected response goes back to issued), with a
  deadline in Chinese workdays (``DeadlineMixin``, scanned by the deadlines engine) and corrective
  measures (纠偏). Its ``FindingResponse`` rows are the department's answers, one per round.
- ``IdleFundWarning`` (闲置资金预警): a project flagged by a scan on a date under one local rule, with
  the numbers; it can be turned into a finding.
- ``MonitoringReport``: the period report (1–7月 style) of an Area: its figures frozen on generation.
- ``ReviewNote``: a note carried into next year's budget review (结果作为以后年度预算安排的参考).

Rows of a project copy its area (``AreaFromMixin``); child rows are scoped through their parent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from jiceng.core.deadlines.models import DeadlineMixin, DeadlineState, deadline_indexes
from jiceng.core.models import AreaFromMixin, ScopedModel
from jiceng.core.workflow.guards import evaluation_date
from jiceng.finance.results import rules
from jiceng.finance.results.choices import (
    FindingKind,
    FindingStatus,
    IdleFundRule,
    Measure,
    Recommendation,
    TargetCategory,
    TargetDirection,
)

VALUE = {"max_digits": 18, "decimal_places": 4}


class CopiedAreaMixin(AreaFromMixin):
    """``AreaFromMixin`` that also copies the area before validation (``full_clean`` in the services)."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        source_id = getattr(self, f"{self.area_from}_id", None)
        if source_id is not None and getattr(self, "area_id", None) is None:
            self.area_id = getattr(self, self.area_from).area_id  # type: ignore[attr-defined]
        super().clean_fields(exclude=exclude)


def area_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name=related_name, editable=False
    )


class PerformanceTarget(CopiedAreaMixin, ScopedModel):
    """One performance indicator (绩效指标) of a project, with its target value and direction."""

    area_from = "project"

    project = models.ForeignKey(
        "finance.BudgetProject", verbose_name=_("project"), on_delete=models.CASCADE, related_name="targets"
    )
    area = area_field("performance_targets")
    category = models.CharField(_("category"), max_length=20, choices=TargetCategory.choices)
    indicator = models.CharField(_("indicator"), max_length=200)
    target_value = models.DecimalField(_("target value"), **VALUE)
    unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=TargetDirection.choices, default=TargetDirection.HIGHER
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("performance target")
        verbose_name_plural = _("performance targets")
        ordering = ["project", "category", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["project", "indicator"], name="fin_results_target_unique"),
            models.CheckConstraint(condition=Q(weight__isnull=True) | Q(weight__gt=0), name="fin_results_weight_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.project.name}"

    def clean(self) -> None:
        if self.direction != TargetDirection.HIGHER and self.target_value is not None and self.target_value < 0:
            raise ValidationError({"target_value": _("A target value is not negative.")})


class TargetReport(ScopedModel):
    """A dated progress report of one target: the value achieved so far and the forecast year-end value."""

    scope_area_field = "target__area"

    target = models.ForeignKey(
        PerformanceTarget, verbose_name=_("target"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("reported on"))
    achieved = models.DecimalField(_("value achieved"), **VALUE)
    forecast = models.DecimalField(_("forecast year-end value"), **VALUE)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("target progress report")
        verbose_name_plural = _("target progress reports")
        ordering = ["target", "reported_on"]
        constraints = [models.UniqueConstraint(fields=["target", "reported_on"], name="fin_results_report_once")]

    def __str__(self) -> str:
        return f"{self.target.indicator} · {self.reported_on}"

    def get_absolute_url(self) -> str:
        return self.target.get_absolute_url()


class IdleFundWarning(CopiedAreaMixin, ScopedModel):
    """A project flagged by the idle-fund scan on a date under one rule, with the numbers it rests on."""

    area_from = "project"

    project = models.ForeignKey(
        "finance.BudgetProject", verbose_name=_("project"), on_delete=models.CASCADE, related_name="idle_warnings"
    )
    area = area_field("idle_fund_warnings")
    rule = models.CharField(_("rule"), max_length=16, choices=IdleFundRule.choices)
    scanned_on = models.DateField(_("scanned on"))
    numbers = models.JSONField(_("numbers"), default=dict)
    explanation = models.TextField(_("explanation"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("idle-fund warning")
        verbose_name_plural = _("idle-fund warnings")
        ordering = ["-scanned_on", "project"]
        constraints = [models.UniqueConstraint(fields=["project", "rule"], name="fin_results_idle_once")]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} · {self.project.name}"


class Finding(ConcurrentTransitionMixin, DeadlineMixin, CopiedAreaMixin, ScopedModel):
    """A finding issued by the finance bureau to the project's department (整改通知): kind, text, the
    numbers it rests on, the measures decided, a deadline of ``finance.findings.response_workdays``
    Chinese workdays. ``status`` moves only through the transitions below (``services.do_transition``)."""

    area_from = "project"

    project = models.ForeignKey(
        "finance.BudgetProject", verbose_name=_("project"), on_delete=models.PROTECT, related_name="findings"
    )
    area = area_field("findings")
    department = models.ForeignKey(
        "directory.Unit", verbose_name=_("department"), on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    text = models.TextField(_("finding"))
    numbers = models.JSONField(_("numbers"), default=dict, blank=True)
    measures = models.JSONField(_("measures"), default=list, blank=True)
    target = models.ForeignKey(
        PerformanceTarget,
        verbose_name=_("target"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    warning = models.OneToOneField(
        IdleFundWarning,
        verbose_name=_("idle-fund warning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="finding",
    )
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = FSMField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.ISSUED, protected=True
    )
    due_on = models.DateField(_("response due on"), editable=False)
    due_workdays = models.PositiveSmallIntegerField(_("workdays allowed"), editable=False)
    round = models.PositiveSmallIntegerField(_("response round"), default=1, editable=False)
    responded_on = models.DateField(_("responded on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closing_note = models.TextField(_("closing note"), blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-issued_on", "-id"]
        permissions = [("close_finding", "Can close a finding or reject its response (the finance bureau)")]
        indexes = [
            *deadline_indexes("fin_finding"),
            models.Index(fields=["status", "kind"], name="fin_finding_status_kind"),
            models.Index(fields=["due_on"], condition=~Q(status="closed"), name="fin_finding_open_due"),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 40 else f"{self.text[:40]}…"
        return f"{self.get_kind_display()} · {text}"

    def clean_fields(self, exclude: Any = None) -> None:
        super().clean_fields(exclude={*(exclude or ()), "status"})  # protected: transitions only

    def clean(self) -> None:
        unknown = [m for m in (self.measures or []) if m not in Measure.values]
        if unknown:
            raise ValidationError({"measures": _("Unknown measures: %(m)s.") % {"m": ", ".join(map(str, unknown))}})
        if self.target_id and self.project_id and self.target.project_id != self.project_id:
            raise ValidationError({"target": _("The target belongs to another project.")})

    def measure_labels(self) -> list[str]:
        return [str(Measure(m).label) for m in self.measures or [] if m in Measure.values]

    def is_overdue(self, on: dt.date | None = None) -> bool:
        """Past its deadline without a response (a response sent back counts as none)."""
        on = on or timezone.localdate()
        return self.status == FindingStatus.ISSUED and self.due_on < on

    # --- the rectification case (run through services.do_transition) ------------------------
    @transition(
        field=status,
        source=FindingStatus.ISSUED,
        target=FindingStatus.RESPONDED,
        conditions=[rules.RESPOND],
        permission="change",
    )
    def respond(self) -> None:
        """The department answers (反馈整改情况); the response row is written by the service."""
        self.responded_on = evaluation_date()

    @transition(
        field=status,
        source=FindingStatus.RESPONDED,
        target=FindingStatus.CLOSED,
        conditions=[rules.CLOSE],
        permission="close_finding",
    )
    def close(self, note: str = "") -> None:
        """The bureau accepts the response and closes the case (办结)."""
        self.closed_on = evaluation_date()
        self.closing_note = note
        self.deadline_state = DeadlineState.DONE

    @transition(
        field=status,
        source=FindingStatus.RESPONDED,
        target=FindingStatus.ISSUED,
        conditions=[rules.REJECT],
        permission="close_finding",
    )
    def reject(self) -> None:
        """The response is not accepted: back to issued (the deadline keeps running)."""
        self.round += 1
        self.responded_on = None


class FindingResponse(ScopedModel):
    """The department's answer in one round (整改反馈), and whether the bureau rejected it. A fact."""

    scope_area_field = "finding__area"

    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="responses")
    round = models.PositiveSmallIntegerField(_("response round"))
    text = models.TextField(_("response"))
    responded_on = models.DateField(_("responded on"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("finding response")
        verbose_name_plural = _("finding responses")
        ordering = ["finding", "round"]
        constraints = [models.UniqueConstraint(fields=["finding", "round"], name="fin_results_response_round")]

    def __str__(self) -> str:
        return f"{self.finding} · {self.round}"

    def get_absolute_url(self) -> str:
        return self.finding.get_absolute_url()


class MonitoringReport(ScopedModel):
    """The monitoring report of an Area for a period (Jan 1 – ``period_end``, e.g. 1–7月): the figures
    computed from the rows dated up to ``period_end``, frozen in ``figures`` when generated."""

    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="monitoring_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_end = models.DateField(_("period ends on"))
    title = models.CharField(_("title"), max_length=200)
    figures = models.JSONField(_("figures"), default=dict, editable=False)
    generated_at = models.DateTimeField(_("generated at"), default=timezone.now, editable=False)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["-period_end", "area__path"]
        constraints = [models.UniqueConstraint(fields=["area", "period_end"], name="fin_results_report_period")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_end and self.year and self.period_end.year != self.year:
            raise ValidationError({"period_end": _("The period ends inside the report year.")})


class ReviewNote(CopiedAreaMixin, ScopedModel):
    """A note for a department's (or one project's) budget in ``for_year`` (下年度预算安排的参考)."""

    area_from = "department"

    department = models.ForeignKey(
        "directory.Unit", verbose_name=_("department"), on_delete=models.PROTECT, related_name="review_notes"
    )
    area = area_field("review_notes")
    project = models.ForeignKey(
        "finance.BudgetProject",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_notes",
    )
    for_year = models.PositiveSmallIntegerField(_("for the budget of year"))
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices)
    amount = models.DecimalField(_("amount concerned (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("note"))
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")
        ordering = ["-for_year", "department__name", "id"]

    def __str__(self) -> str:
        subject = self.project.name if self.project_id else str(self.department)
        return f"{self.for_year} · {subject} · {self.get_recommendation_display()}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.project_id and self.department_id and self.project.unit_id != self.department_id:
            errors["project"] = _("The project belongs to another department.")
        if self.project_id and self.for_year and self.for_year != self.project.year + 1:
            errors["for_year"] = _("A note on a project of %(year)s is for the budget of %(next)s.") % {
                "year": self.project.year,
                "next": self.project.year + 1,
            }
        if self.finding_id and self.project_id and self.finding.project_id != self.project_id:
            errors["finding"] = _("The finding is about another project.")
        if self.amount is not None and self.amount < Decimal("0"):
            errors["amount"] = _("The amount is not negative.")
        if errors:
            raise ValidationError(errors)
