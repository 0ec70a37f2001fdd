"""One FilterSet per model of catchment allocation: list pages, API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.education.allocation.choices import EntryGrade, PlacementVia, RunMode, RunState, ZoneKind
from jiceng.education.allocation.models import AllocationRun, CatchmentZone, EnrolmentPlan, IntakeRecord, Placement


class CatchmentZoneFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    kind = filters.ChoiceFilter(choices=ZoneKind.choices, label=_("kind"))
    grade = filters.ChoiceFilter(choices=EntryGrade.choices, label=_("entry grade"))
    school = filters.NumberFilter(field_name="schools", label=_("school (id)"))

    class Meta:
        model = CatchmentZone
        fields = ["q", "area", "kind", "grade", "school"]

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return qs.filter(Q(name__icontains=value)) if value else qs


class EnrolmentPlanFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="school__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    year = filters.NumberFilter(label=_("school year"))
    grade = filters.ChoiceFilter(choices=EntryGrade.choices, label=_("entry grade"))
    school = filters.NumberFilter(field_name="school", label=_("school (id)"))

    class Meta:
        model = EnrolmentPlan
        fields = ["q", "area", "year", "grade", "school"]


class AllocationRunFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    year = filters.NumberFilter(label=_("school year"))
    grade = filters.ChoiceFilter(choices=EntryGrade.choices, label=_("entry grade"))
    state = filters.ChoiceFilter(choices=RunState.choices, label=_("state"))
    mode = filters.ChoiceFilter(choices=RunMode.choices, label=_("mode"))
    is_what_if = filters.BooleanFilter(field_name="base_run", lookup_expr="isnull", exclude=True, label=_("what-if"))

    class Meta:
        model = AllocationRun
        fields = ["q", "area", "year", "grade", "state", "mode", "is_what_if"]


class PlacementFilterSet(filters.FilterSet):
    """The results of a run: by school placed, tier, how placed, or the unplaced."""

    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    school = filters.NumberFilter(field_name="school", label=_("school (id)"))
    tier = filters.NumberFilter(label=_("tier"))
    via = filters.ChoiceFilter(choices=PlacementVia.choices, label=_("placed by"))
    unplaced = filters.BooleanFilter(field_name="school", lookup_expr="isnull", label=_("unplaced"))

    class Meta:
        model = Placement
        fields = ["q", "school", "tier", "via", "unplaced"]


class IntakeRecordFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="school__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    year = filters.NumberFilter(label=_("year"))
    grade = filters.ChoiceFilter(choices=EntryGrade.choices, label=_("entry grade"))
    school = filters.NumberFilter(field_name="school", label=_("school (id)"))
    location = filters.CharFilter(field_name="school__location", label=_("location"))

    class Meta:
        model = IntakeRecord
        fields = ["q", "area", "year", "grade", "school", "location"]
