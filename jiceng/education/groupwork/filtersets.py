"""One FilterSet per group-work model: list pages, API and exports."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.education.choices import Subject
from jiceng.education.groupwork.choices import FundUse, ProjectKind, ProjectStatus, ResearchDayKind, ResourceKind
from jiceng.education.groupwork.models import (
    BuildingProject,
    CourseResource,
    DiagnosisVisit,
    FundAllocation,
    FundSpending,
    GroupPlan,
    ResearchDay,
)


class GroupPlanFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    group = filters.NumberFilter(field_name="group_id", label=_("education group (id)"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = GroupPlan
        fields = ["q", "group", "area", "year"]


class DiagnosisVisitFilterSet(filters.FilterSet):
    group = filters.NumberFilter(field_name="group_id", label=_("education group (id)"))
    visited_school = filters.NumberFilter(field_name="visited_school_id", label=_("visited school (id)"))
    subject = filters.ChoiceFilter(
        field_name="subjects", lookup_expr="icontains", choices=Subject.choices, label=_("subject")
    )
    year = filters.NumberFilter(field_name="visited_on", lookup_expr="year", label=_("year"))
    open_follow_up = filters.BooleanFilter(
        field_name="follow_up_done_on", lookup_expr="isnull", label=_("follow-up open")
    )

    class Meta:
        model = DiagnosisVisit
        fields = ["group", "visited_school", "subject", "year", "open_follow_up"]


class ResearchDayFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="topic", lookup_expr="icontains", label=_("Search"))
    group = filters.NumberFilter(field_name="group_id", label=_("education group (id)"))
    kind = filters.ChoiceFilter(choices=ResearchDayKind.choices, label=_("kind"))
    year = filters.NumberFilter(field_name="held_on", lookup_expr="year", label=_("year"))

    class Meta:
        model = ResearchDay
        fields = ["q", "group", "kind", "year"]


class CourseResourceFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    group = filters.NumberFilter(field_name="group_id", label=_("education group (id)"))
    school = filters.NumberFilter(field_name="school_id", label=_("school (id)"))
    kind = filters.ChoiceFilter(choices=ResourceKind.choices, label=_("kind"))
    subject = filters.ChoiceFilter(choices=Subject.choices, label=_("subject"))

    class Meta:
        model = CourseResource
        fields = ["q", "group", "school", "kind", "subject", "grade"]


class FundAllocationFilterSet(filters.FilterSet):
    group = filters.NumberFilter(field_name="group_id", label=_("education group (id)"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = FundAllocation
        fields = ["group", "area", "year"]


class FundSpendingFilterSet(filters.FilterSet):
    allocation = filters.NumberFilter(field_name="allocation_id", label=_("allocation (id)"))
    group = filters.NumberFilter(field_name="allocation__group_id", label=_("education group (id)"))
    use = filters.ChoiceFilter(choices=FundUse.choices, label=_("use"))
    year = filters.NumberFilter(field_name="spent_on", lookup_expr="year", label=_("year"))

    class Meta:
        model = FundSpending
        fields = ["allocation", "group", "use", "year"]


class BuildingProjectFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    kind = filters.ChoiceFilter(choices=ProjectKind.choices, label=_("kind"))
    status = filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("status"))
    year_from = filters.NumberFilter(field_name="planning_year", lookup_expr="gte", label=_("planning year from"))
    year_to = filters.NumberFilter(field_name="planning_year", lookup_expr="lte", label=_("planning year to"))

    class Meta:
        model = BuildingProject
        fields = ["q", "area", "kind", "status", "planning_year", "year_from", "year_to", "programme"]
