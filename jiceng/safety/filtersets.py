"""One FilterSet per model of the supervision registry: list pages, API and exports."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.safety.models import (
    ChemicalRole,
    GuidanceLog,
    Installation,
    InstallationKind,
    ResidentSupervision,
    SafetyGrade,
    SafetyProfile,
    SafetySector,
)


class SafetySectorFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = SafetySector
        fields = ["q"]


class SafetyProfileFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    sector = filters.ModelChoiceFilter(queryset=SafetySector.objects.all(), label=_("supervision sector"))
    is_key = filters.BooleanFilter(field_name="enterprise__is_key", label=_("key enterprise"))
    chemical_role = filters.ChoiceFilter(choices=ChemicalRole.choices[1:], label=_("hazardous-chemical role"))
    safety_grade = filters.ChoiceFilter(choices=SafetyGrade.choices[1:], label=_("standardisation grade"))
    credit_code = filters.CharFilter(
        field_name="enterprise__credit_code", lookup_expr="iexact", label=_("unified social credit code")
    )

    class Meta:
        model = SafetyProfile
        fields = ["q", "area", "sector", "is_key", "chemical_role", "safety_grade", "credit_code"]


class InstallationFilterSet(filters.FilterSet):
    enterprise = filters.NumberFilter(field_name="enterprise_id", label=_("enterprise (id)"))
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    kind = filters.ChoiceFilter(choices=InstallationKind.choices, label=_("kind"))
    retrofit_required = filters.BooleanFilter(label=_("retrofit required"))
    retrofit_done = filters.BooleanFilter(
        field_name="retrofit_done_on", lookup_expr="isnull", exclude=True, label=_("retrofit completed")
    )
    informatised = filters.BooleanFilter(
        field_name="informatised_on", lookup_expr="isnull", exclude=True, label=_("informatised")
    )

    class Meta:
        model = Installation
        fields = ["q", "area", "enterprise", "kind", "retrofit_required", "retrofit_done", "informatised"]


class ResidentSupervisionFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    sector = filters.ModelChoiceFilter(queryset=SafetySector.objects.all(), label=_("supervision sector"))
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("current"))
    # ids, not dropdowns: a choice list would name enterprises and people outside the user's areas
    enterprise = filters.NumberFilter(field_name="enterprise_id", label=_("enterprise (id)"))
    supervisor = filters.NumberFilter(field_name="supervisor_id", label=_("supervisor (id)"))

    class Meta:
        model = ResidentSupervision
        fields = ["q", "area", "sector", "current", "enterprise", "supervisor"]


class GuidanceLogFilterSet(filters.FilterSet):
    supervision = filters.NumberFilter(field_name="supervision_id", label=_("resident supervision (id)"))
    q = filters.CharFilter(field_name="summary", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    visited_after = filters.DateFilter(field_name="visited_on", lookup_expr="gte", label=_("visited on or after"))
    visited_before = filters.DateFilter(field_name="visited_on", lookup_expr="lte", label=_("visited on or before"))

    class Meta:
        model = GuidanceLog
        fields = ["q", "area", "supervision", "visited_after", "visited_before"]
