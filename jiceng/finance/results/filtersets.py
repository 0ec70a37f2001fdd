"""One FilterSet per model of the results app: list pages, API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.finance.results.choices import (
    FindingKind,
    FindingStatus,
    IdleFundRule,
    Recommendation,
    TargetCategory,
    TargetDirection,
)
from jiceng.finance.results.models import (
    Finding,
    FindingResponse,
    IdleFundWarning,
    MonitoringReport,
    PerformanceTarget,
    ReviewNote,
    TargetReport,
)


class PerformanceTargetFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="indicator", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    project = filters.NumberFilter(field_name="project", label=_("project (id)"))
    department = filters.NumberFilter(field_name="project__unit", label=_("department (id)"))
    year = filters.NumberFilter(field_name="project__year", label=_("year"))
    category = filters.ChoiceFilter(choices=TargetCategory.choices, label=_("category"))
    direction = filters.ChoiceFilter(choices=TargetDirection.choices, label=_("direction"))

    class Meta:
        model = PerformanceTarget
        fields = ["q", "area", "project", "department", "year", "category", "direction"]


class TargetReportFilterSet(filters.FilterSet):
    target = filters.NumberFilter(field_name="target", label=_("target (id)"))
    project = filters.NumberFilter(field_name="target__project", label=_("project (id)"))
    reported_after = filters.DateFilter(field_name="reported_on", lookup_expr="gte", label=_("reported on or after"))
    reported_before = filters.DateFilter(field_name="reported_on", lookup_expr="lte", label=_("reported on or before"))

    class Meta:
        model = TargetReport
        fields = ["target", "project", "reported_after", "reported_before"]


class FindingFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="text", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    project = filters.NumberFilter(field_name="project", label=_("project (id)"))
    department = filters.NumberFilter(field_name="department", label=_("department (id)"))
    kind = filters.ChoiceFilter(choices=FindingKind.choices, label=_("kind"))
    status = filters.ChoiceFilter(choices=FindingStatus.choices, label=_("status"))
    year = filters.NumberFilter(field_name="issued_on", lookup_expr="year", label=_("year issued"))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("overdue"))

    class Meta:
        model = Finding
        fields = ["q", "area", "project", "department", "kind", "status", "year", "overdue"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None:
            return queryset
        overdue = {"status": FindingStatus.ISSUED, "due_on__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)


class FindingResponseFilterSet(filters.FilterSet):
    finding = filters.NumberFilter(field_name="finding", label=_("finding (id)"))

    class Meta:
        model = FindingResponse
        fields = ["finding"]


class IdleFundWarningFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="project__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    rule = filters.ChoiceFilter(choices=IdleFundRule.choices, label=_("rule"))
    year = filters.NumberFilter(field_name="scanned_on", lookup_expr="year", label=_("year"))
    department = filters.NumberFilter(field_name="project__unit", label=_("department (id)"))
    has_finding = filters.BooleanFilter(
        field_name="finding", lookup_expr="isnull", exclude=True, label=_("turned into a finding")
    )

    class Meta:
        model = IdleFundWarning
        fields = ["q", "area", "rule", "year", "department", "has_finding"]


class MonitoringReportFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    year = filters.NumberFilter(field_name="year", label=_("year"))

    class Meta:
        model = MonitoringReport
        fields = ["area", "year"]


class ReviewNoteFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="text", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    for_year = filters.NumberFilter(field_name="for_year", label=_("for the budget of year"))
    department = filters.NumberFilter(field_name="department", label=_("department (id)"))
    recommendation = filters.ChoiceFilter(choices=Recommendation.choices, label=_("recommendation"))

    class Meta:
        model = ReviewNote
        fields = ["q", "area", "for_year", "department", "recommendation"]
