"""Budget performance monitoring (预算绩效运行监控, catalogue B01–B04; issue 7).

- ``BudgetProject``: one budget line of a department (``unit``) for a year, with its budget type
  (四本预算), funding source, expenditure kind and initial budget; ``area`` is copied from the unit.
  Whether it is monitored is computed by the scope rules (``rules.scope_decision``), never stored.
- The execution side, each row dated: ``BudgetAdjustment`` (追加/调整/调减, signed amount),
  ``Disbursement`` (拨付), ``Spending`` (actual spending, with its declared economic-class purpose and
  its ``AssetPurchase`` lines) and ``CarryOverForecast`` (预计结转结余). Only rows dated on or before
  a date count for that date, so every figure is reproducible for a past date.
- ``AssetStandard``: the allocation standard (配置标准) of an asset item, a maximum unit price of an
  Area (applies downwards, like a policy), with its source.
- ``KeyMark``: a department marks a project as key (重点项目) by one or more criteria, with a note.

Child rows are scoped through their project's area.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import AreaFromMixin, ScopedModel
from jiceng.core.scope import DownwardQuerySet
from jiceng.finance.choices import (
    AdjustmentKind,
    BudgetType,
    EconomicClass,
    ExpenditureKind,
    FundingSource,
    TransferLevel,
)

CENT = Decimal("0.01")


def money_field(verbose_name: Any, **kw: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **kw)


def split_purposes(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip()]


class BudgetProject(AreaFromMixin, ScopedModel):
    """One budget line (预算项目) of a budget unit for a year."""

    area_from = "unit"

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("project code"), max_length=50, blank=True)
    unit = models.ForeignKey(
        "directory.Unit", verbose_name=_("department"), on_delete=models.PROTECT, related_name="budget_projects"
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="budget_projects",
        editable=False,
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    budget_type = models.CharField(_("budget type"), max_length=20, choices=BudgetType.choices)
    funding_source = models.CharField(_("funding source"), max_length=12, choices=FundingSource.choices)
    transfer_level = models.CharField(
        _("transfer from"), max_length=12, choices=TransferLevel.choices, blank=True, default=""
    )
    expenditure_kind = models.CharField(
        _("expenditure kind"), max_length=12, choices=ExpenditureKind.choices, default=ExpenditureKind.PROJECT
    )
    budget = money_field(_("initial budget (yuan)"), validators=[MinValueValidator(Decimal("0.00"))])
    major = models.BooleanField(
        _("major project"),
        default=False,
        help_text=_("A major project; with a county department it is a county-level major project."),
    )
    incremental_policy = models.BooleanField(
        _("incremental policy"),
        default=False,
        help_text=_("A policy adopted during the budget year (it is watched from its adoption date)."),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    allowed_purposes = models.CharField(
        _("allowed purposes"),
        max_length=200,
        blank=True,
        help_text=_("Economic classes the spending may declare, comma-separated (e.g. 502,503); empty: any."),
    )
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("budget project")
        verbose_name_plural = _("budget projects")
        ordering = ["-year", "unit__name", "name"]
        indexes = [models.Index(fields=["area", "year"], name="finance_project_area_year")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "name"], name="finance_project_unique_name"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="finance_project_budget_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"

    @property
    def purposes(self) -> list[str]:
        return split_purposes(self.allowed_purposes)

    def clean_fields(self, exclude: Any = None) -> None:
        if self.unit_id is not None:  # ``area`` follows the unit (set on save, needed by validation)
            self.area_id = self.unit.area_id
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.funding_source == FundingSource.TRANSFER and not self.transfer_level:
            errors["transfer_level"] = _("A special transfer names the level it comes from.")
        if self.funding_source != FundingSource.TRANSFER and self.transfer_level:
            errors["transfer_level"] = _("Only a special transfer has a transfer level.")
        if self.adopted_on and self.year and self.adopted_on.year != self.year:
            errors["adopted_on"] = _("The adoption date lies inside the project year.")
        if self.incremental_policy and not self.adopted_on:
            errors["adopted_on"] = _("An incremental policy has the date it was adopted.")
        bad = [p for p in self.purposes if p not in EconomicClass.values]
        if bad:
            errors["allowed_purposes"] = _("Unknown economic classes: %(codes)s.") % {"codes": ", ".join(bad)}
        if self.budget is not None:
            self.budget = Decimal(self.budget).quantize(CENT)
        if errors:
            raise ValidationError(errors)


class ProjectRowBase(ScopedModel):
    """A dated row of a project (its area is the project's)."""

    scope_area_field = "project__area"

    on = models.DateField(_("date"))
    amount = money_field(_("amount (yuan)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    positive_amount = True

    class Meta:
        abstract = True
        ordering = ["on", "pk"]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        project = getattr(self, "project", None) if self.project_id else None  # type: ignore[attr-defined]
        if self.amount is not None:
            self.amount = Decimal(self.amount).quantize(CENT)
            if self.positive_amount and self.amount <= 0:
                errors["amount"] = _("The amount is more than zero.")
        if project is not None and isinstance(self.on, dt.date) and self.on.year != project.year:
            errors["on"] = _("The date lies inside the project year %(year)s.") % {"year": project.year}
        if errors:
            raise ValidationError(errors)


class BudgetAdjustment(ProjectRowBase):
    """A budget addition (追加, > 0), reduction (调减, < 0) or adjustment (调整, ±, not zero)."""

    project = models.ForeignKey(
        BudgetProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="adjustments"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AdjustmentKind.choices, default=AdjustmentKind.ADDITION)

    positive_amount = False

    class Meta(ProjectRowBase.Meta):
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")

    def __str__(self) -> str:
        return f"{self.project.name} {self.on} {self.amount}"

    def clean(self) -> None:
        super().clean()
        if self.amount is None:
            return
        if self.kind == AdjustmentKind.ADDITION and self.amount <= 0:
            raise ValidationError({"amount": _("An addition is more than zero.")})
        if self.kind == AdjustmentKind.REDUCTION and self.amount >= 0:
            raise ValidationError({"amount": _("A reduction is entered as a negative amount.")})
        if self.amount == 0:
            raise ValidationError({"amount": _("An adjustment is not zero.")})


class Disbursement(ProjectRowBase):
    """Funds disbursed (拨付) to the project on a date."""

    project = models.ForeignKey(
        BudgetProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="disbursements"
    )

    class Meta(ProjectRowBase.Meta):
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.project.name} {self.on} {self.amount}"


class Spending(ProjectRowBase):
    """Actual spending (实际支出) of the project on a date, with its declared economic class."""

    project = models.ForeignKey(
        BudgetProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="spendings"
    )
    purpose = models.CharField(
        _("declared purpose"), max_length=4, choices=EconomicClass.choices, blank=True, default=""
    )

    class Meta(ProjectRowBase.Meta):
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        indexes = [models.Index(fields=["project", "on"], name="finance_spending_project_on")]

    def __str__(self) -> str:
        return f"{self.project.name} {self.on} {self.amount}"


class CarryOverForecast(ProjectRowBase):
    """A forecast of the year-end carry-over (预计结转结余) made on a date; the latest one counts."""

    project = models.ForeignKey(
        BudgetProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="carry_overs"
    )

    class Meta(ProjectRowBase.Meta):
        verbose_name = _("carry-over forecast")
        verbose_name_plural = _("carry-over forecasts")

    def __str__(self) -> str:
        return f"{self.project.name} {self.on} {self.amount}"


class AssetStandardQuerySet(DownwardQuerySet):
    """Standards apply downwards: a county's standard governs its departments and townships."""


class AssetStandard(ScopedModel):
    """The allocation standard (资产配置标准) of one asset item: its maximum unit price."""

    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="asset_standards"
    )
    item = models.CharField(_("item"), max_length=100)
    max_unit_price = money_field(_("maximum unit price (yuan)"), validators=[MinValueValidator(Decimal("0.01"))])
    source_document = models.CharField(_("source document"), max_length=300)
    source_status = models.CharField(_("source status"), max_length=20, default="unverified")
    effective_from = models.DateField(_("effective from"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = AssetStandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset allocation standard")
        verbose_name_plural = _("asset allocation standards")
        ordering = ["item", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["area", "item", "effective_from"], name="finance_asset_standard_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} ≤ {self.max_unit_price}"


class AssetPurchase(ScopedModel):
    """An asset bought with a spending line: item, quantity and unit price."""

    scope_area_field = "spending__project__area"

    spending = models.ForeignKey(
        Spending, verbose_name=_("spending"), on_delete=models.CASCADE, related_name="asset_purchases"
    )
    item = models.CharField(_("item"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = money_field(_("unit price (yuan)"), validators=[MinValueValidator(Decimal("0.01"))])
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("asset purchase")
        verbose_name_plural = _("asset purchases")
        ordering = ["spending", "pk"]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"


class KeyMark(ScopedModel):
    """A department marks one of its projects as key (重点项目), by one or more criteria."""

    scope_area_field = "project__area"

    project = models.ForeignKey(
        BudgetProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="key_marks"
    )
    marked_on = models.DateField(_("marked on"))
    key_policy = models.BooleanField(_("key policy"), default=False)
    major_project = models.BooleanField(_("major project"), default=False)
    findings = models.BooleanField(_("audit or inspection findings"), default=False)
    low_performance = models.BooleanField(_("low performance"), default=False)
    weak_management = models.BooleanField(_("weak management"), default=False)
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    CRITERIA = ("key_policy", "major_project", "findings", "low_performance", "weak_management")

    class Meta:
        verbose_name = _("key mark")
        verbose_name_plural = _("key marks")
        ordering = ["project__unit__name", "project__name"]
        constraints = [models.UniqueConstraint(fields=["project"], name="finance_keymark_one_per_project")]

    def __str__(self) -> str:
        return f"{self.project.name}"

    @property
    def criteria(self) -> list[str]:
        return [name for name in self.CRITERIA if getattr(self, name)]

    def clean(self) -> None:
        if not self.criteria:
            raise ValidationError({"key_policy": _("Mark at least one criterion.")})
        if self.project_id and self.marked_on and self.marked_on.year != self.project.year:
            raise ValidationError(
                {"marked_on": _("The date lies inside the project year %(year)s.") % {"year": self.project.year}}
            )
