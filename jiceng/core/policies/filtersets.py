"""One FilterSet for policies: list page, API and export."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.core.policies.models import Policy, PolicyValueType, SourceStatus


class PolicyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    key = django_filters.CharFilter(method="filter_key", label=_("Key (or key prefix ending in “.”)"))
    module = django_filters.CharFilter(method="filter_module", label=_("Module"))
    source_status = django_filters.ChoiceFilter(choices=SourceStatus.choices, label=_("Source status"))
    value_type = django_filters.ChoiceFilter(choices=PolicyValueType.choices, label=_("Value type"))
    area_code = django_filters.CharFilter(label=_("Area code (empty for national)"))

    class Meta:
        model = Policy
        fields = ["q", "key", "module", "source_status", "value_type", "area_code"]

    def filter_q(self, qs: QuerySet[Policy], name: str, value: str) -> QuerySet[Policy]:
        return qs.filter(Q(key__icontains=value) | Q(name__icontains=value) | Q(source_document__icontains=value))

    def filter_key(self, qs: QuerySet[Policy], name: str, value: str) -> QuerySet[Policy]:
        return qs.filter(key__startswith=value) if value.endswith(".") else qs.filter(key=value)

    def filter_module(self, qs: QuerySet[Policy], name: str, value: Any) -> QuerySet[Policy]:
        return qs.filter(key__startswith=f"{value}.")
