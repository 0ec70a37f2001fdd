"""One FilterSet per model of hazardous work: list pages, API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.safety.permits.choices import PermitLevel, PermitState, WorkType
from jiceng.safety.permits.models import OperationReport, WorkPermit
from jiceng.safety.permits.services import is_covered_q


class OperationReportFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    # an id, not a choice list: a <select> of every enterprise would list rows outside the user's areas
    enterprise = filters.NumberFilter(field_name="enterprise", label=_("enterprise (id)"))
    work_type = filters.ChoiceFilter(choices=WorkType.choices, label=_("work type"))
    starts_after = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte", label=_("starting from"))
    starts_before = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt", label=_("starting before"))

    class Meta:
        model = OperationReport
        fields = ["q", "area", "enterprise", "work_type", "starts_after", "starts_before"]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Every list (page, API, export) carries ``is_covered``: a permit covers the work."""
        return super().filter_queryset(queryset).annotate(is_covered=is_covered_q())

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(location__icontains=value) | Q(enterprise__name__icontains=value))


class WorkPermitFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    enterprise = filters.NumberFilter(field_name="enterprise", label=_("enterprise (id)"))
    work_type = filters.ChoiceFilter(choices=WorkType.choices, label=_("work type"))
    level = filters.ChoiceFilter(choices=PermitLevel.choices[1:], label=_("permit level"))
    state = filters.ChoiceFilter(choices=PermitState.choices, label=_("state"))
    valid_on = filters.IsoDateTimeFilter(method="valid_at", label=_("valid at"))

    class Meta:
        model = WorkPermit
        fields = ["q", "area", "enterprise", "work_type", "level", "state", "valid_on"]

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(location__icontains=value) | Q(enterprise__name__icontains=value) | Q(number__icontains=value)
        )

    def valid_at(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return qs.filter(valid_from__lte=value, valid_until__gt=value) if value else qs
