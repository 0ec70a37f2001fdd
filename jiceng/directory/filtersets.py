"""One FilterSet per model, shared by the list page, the API and the XLSX export."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.forms import DateInput
from django.utils.translation import gettext_lazy as _

from jiceng.core.scope import area_path_lookup
from jiceng.directory.models import (
    Area,
    AreaLevel,
    Enterprise,
    EnterpriseScale,
    Grid,
    Person,
    Sector,
    Sex,
    Unit,
    UnitKind,
)


class AreaSubtreeFilter(filters.CharFilter):
    """``?area=<code>``: rows whose area lies in the subtree of that division code."""

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return qs
        path = Area.objects.filter(code=value.strip()).values_list("path", flat=True).first()
        if path is None:
            return qs.none()
        return qs.filter(**{f"{area_path_lookup(qs.model)}__startswith": path})


class BaseFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    search_fields: tuple[str, ...] = ("name",)

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return qs
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return qs.filter(q)


class AreaFilterSet(BaseFilterSet):
    level = filters.ChoiceFilter(choices=AreaLevel.choices, label=_("level"))
    parent = filters.CharFilter(field_name="parent__code", label=_("parent (code)"))
    search_fields = ("name", "code")

    class Meta:
        model = Area
        fields = ["q", "area", "level", "parent", "kind"]


class UnitFilterSet(BaseFilterSet):
    kind = filters.ChoiceFilter(choices=UnitKind.choices, label=_("kind"))
    search_fields = ("name", "short_name")

    class Meta:
        model = Unit
        fields = ["q", "area", "kind"]


class PersonFilterSet(BaseFilterSet):
    sex = filters.ChoiceFilter(choices=Sex.choices, label=_("sex"))
    born_after = filters.DateFilter(
        field_name="birth_date",
        lookup_expr="gte",
        label=_("born on or after"),
        widget=DateInput(attrs={"type": "date"}),
    )
    born_before = filters.DateFilter(
        field_name="birth_date",
        lookup_expr="lte",
        label=_("born on or before"),
        widget=DateInput(attrs={"type": "date"}),
    )
    id_number = filters.CharFilter(field_name="id_number", lookup_expr="exact", label=_("resident ID number"))
    search_fields = ("name",)

    class Meta:
        model = Person
        fields = ["q", "area", "sex", "born_after", "born_before", "id_number"]


class EnterpriseFilterSet(BaseFilterSet):
    sector = filters.ChoiceFilter(choices=Sector.choices, label=_("sector"))
    scale = filters.ChoiceFilter(choices=EnterpriseScale.choices, label=_("scale"))
    is_key = filters.BooleanFilter(label=_("key enterprise"))
    credit_code = filters.CharFilter(
        field_name="credit_code", lookup_expr="iexact", label=_("unified social credit code")
    )
    search_fields = ("name", "credit_code")

    class Meta:
        model = Enterprise
        fields = ["q", "area", "sector", "scale", "is_key", "credit_code"]


class GridFilterSet(BaseFilterSet):
    search_fields = ("name", "code")

    class Meta:
        model = Grid
        fields = ["q", "area"]
