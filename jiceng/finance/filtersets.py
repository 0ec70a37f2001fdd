"""FilterSets of the finance pages and API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.finance import rules
from jiceng.finance.choices import AdjustmentKind, BudgetType, EconomicClass, ExpenditureKind, FundingSource
from jiceng.finance.models import (
    AssetPurchase,
    AssetStandard,
    BudgetAdjustment,
    BudgetProject,
    CarryOverForecast,
    Disbursement,
    KeyMark,
    Spending,
)


def filter_monitored(queryset: QuerySet, name: str, value: Any) -> QuerySet:
    if value is None:
        return queryset
    pairs = list(queryset.order_by().values_list("area__path", "year").distinct())
    q = rules.monitored_q(pairs)
    return queryset.filter(q) if value else queryset.exclude(q)


def filter_key(queryset: QuerySet, name: str, value: Any) -> QuerySet:
    if value is None:
        return queryset
    return queryset.filter(key_marks__isnull=not value).distinct()


class BudgetProjectFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    year = filters.NumberFilter(label=_("year"))
    budget_type = filters.ChoiceFilter(choices=BudgetType.choices, label=_("budget type"))
    funding_source = filters.ChoiceFilter(choices=FundingSource.choices, label=_("funding source"))
    expenditure_kind = filters.ChoiceFilter(choices=ExpenditureKind.choices, label=_("expenditure kind"))
    unit = filters.NumberFilter(field_name="unit_id", label=_("department (id)"))
    major = filters.BooleanFilter(label=_("major project"))
    incremental_policy = filters.BooleanFilter(label=_("incremental policy"))
    monitored = filters.BooleanFilter(method=filter_monitored, label=_("monitored"))
    key = filters.BooleanFilter(method=filter_key, label=_("marked key by the department"))

    class Meta:
        model = BudgetProject
        fields = [
            "q",
            "area",
            "year",
            "budget_type",
            "funding_source",
            "expenditure_kind",
            "unit",
            "major",
            "incremental_policy",
            "monitored",
            "key",
        ]


class RowFilterSet(filters.FilterSet):
    project = filters.NumberFilter(field_name="project_id", label=_("project (id)"))
    on_after = filters.DateFilter(field_name="on", lookup_expr="gte", label=_("from"))
    on_before = filters.DateFilter(field_name="on", lookup_expr="lte", label=_("until"))


class BudgetAdjustmentFilterSet(RowFilterSet):
    kind = filters.ChoiceFilter(choices=AdjustmentKind.choices, label=_("kind"))

    class Meta:
        model = BudgetAdjustment
        fields = ["project", "kind", "on_after", "on_before"]


class DisbursementFilterSet(RowFilterSet):
    class Meta:
        model = Disbursement
        fields = ["project", "on_after", "on_before"]


class SpendingFilterSet(RowFilterSet):
    purpose = filters.ChoiceFilter(choices=EconomicClass.choices, label=_("declared purpose"))

    class Meta:
        model = Spending
        fields = ["project", "purpose", "on_after", "on_before"]


class CarryOverForecastFilterSet(RowFilterSet):
    class Meta:
        model = CarryOverForecast
        fields = ["project", "on_after", "on_before"]


class AssetStandardFilterSet(filters.FilterSet):
    item = filters.CharFilter(lookup_expr="icontains", label=_("item"))

    class Meta:
        model = AssetStandard
        fields = ["item"]


class AssetPurchaseFilterSet(filters.FilterSet):
    spending = filters.NumberFilter(field_name="spending_id", label=_("spending (id)"))
    project = filters.NumberFilter(field_name="spending__project_id", label=_("project (id)"))

    class Meta:
        model = AssetPurchase
        fields = ["spending", "project"]


class KeyMarkFilterSet(filters.FilterSet):
    unit = filters.NumberFilter(field_name="project__unit_id", label=_("department (id)"))
    year = filters.NumberFilter(field_name="project__year", label=_("year"))

    class Meta:
        model = KeyMark
        fields = ["unit", "year"]
