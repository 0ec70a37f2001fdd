"""One FilterSet per model of the chemical registration: list pages, API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.safety.chemicals.models import ChemicalProduct, HazardClass, ProductScan, ScanStage
from jiceng.safety.models import ChemicalRole


class ChemicalProductFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    # ids, not choice lists: a <select> of every enterprise would list rows outside the user's areas
    enterprise = filters.NumberFilter(field_name="enterprise", label=_("enterprise (id)"))
    cas_number = filters.CharFilter(lookup_expr="iexact", label=_("CAS number"))
    un_number = filters.CharFilter(method="by_un", label=_("UN number"))
    hazard_class = filters.ChoiceFilter(choices=HazardClass.choices, method="by_hazard", label=_("GHS hazard class"))
    registered = filters.BooleanFilter(
        field_name="registered_on", lookup_expr="isnull", exclude=True, label=_("registered")
    )
    chemical_role = filters.ChoiceFilter(
        field_name="enterprise__safety_profile__chemical_role",
        choices=ChemicalRole.choices[1:],
        label=_("hazardous-chemical role"),
    )

    class Meta:
        model = ChemicalProduct
        fields = ["q", "area", "enterprise", "cas_number", "un_number", "hazard_class", "registered", "chemical_role"]

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(name__icontains=value) | Q(cas_number__icontains=value) | Q(enterprise__name__icontains=value)
        )

    def by_un(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        digits = value.strip().upper().removeprefix("UN").strip()
        return qs.filter(un_number=digits) if digits else qs

    def by_hazard(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # the stored list is ["flammable_liquid", …]: the quoted code matches one element on every backend
        return qs.filter(hazard_classes__icontains=f'"{value}"') if value else qs


class ProductScanFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="product__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    product = filters.NumberFilter(field_name="product", label=_("chemical product (id)"))
    stage = filters.ChoiceFilter(choices=ScanStage.choices, label=_("stage"))
    scanned_after = filters.IsoDateTimeFilter(field_name="scanned_at", lookup_expr="gte", label=_("scanned from"))
    scanned_before = filters.IsoDateTimeFilter(field_name="scanned_at", lookup_expr="lte", label=_("scanned until"))

    class Meta:
        model = ProductScan
        fields = ["q", "area", "product", "stage", "scanned_after", "scanned_before"]
