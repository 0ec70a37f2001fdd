"""One FilterSet per model of the staff app: list pages, API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.education.choices import Employment, Subject
from jiceng.education.staff.choices import AssignmentRole, Direction, PlanStatus
from jiceng.education.staff.models import (
    MentorPair,
    RecruitmentPost,
    RecruitmentRound,
    RotationAssignment,
    RotationPlan,
)


class RotationPlanFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    status = filters.ChoiceFilter(choices=PlanStatus.choices, label=_("status"))
    group = filters.NumberFilter(field_name="group", label=_("education group (id)"))
    county_only = filters.BooleanFilter(field_name="group", lookup_expr="isnull", label=_("county plans only"))

    class Meta:
        model = RotationPlan
        fields = ["q", "area", "year", "status", "group", "county_only"]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Every list carries ``assignment_count``."""
        return super().filter_queryset(queryset).annotate(assignment_count=Count("assignments"))


class RotationAssignmentFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="teacher__person__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    plan = filters.NumberFilter(field_name="plan", label=_("rotation plan (id)"))
    teacher = filters.NumberFilter(field_name="teacher", label=_("teacher (id)"))
    from_school = filters.NumberFilter(field_name="from_school", label=_("home school (id)"))
    to_school = filters.NumberFilter(field_name="to_school", label=_("host school (id)"))
    direction = filters.ChoiceFilter(choices=Direction.choices, label=_("direction"))
    role = filters.ChoiceFilter(choices=AssignmentRole.choices, label=_("role"))
    subject = filters.ChoiceFilter(choices=Subject.choices, label=_("subject"))
    status = filters.ChoiceFilter(field_name="plan__status", choices=PlanStatus.choices, label=_("plan status"))

    class Meta:
        model = RotationAssignment
        fields = ["q", "area", "plan", "teacher", "from_school", "to_school", "direction", "role", "subject", "status"]


class RecruitmentRoundFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = RecruitmentRound
        fields = ["q", "area", "year"]


class RecruitmentPostFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    recruitment_round = filters.NumberFilter(field_name="recruitment_round", label=_("recruitment round (id)"))
    school = filters.NumberFilter(field_name="school", label=_("school (id)"))
    subject = filters.ChoiceFilter(choices=Subject.choices, label=_("subject"))
    employment = filters.ChoiceFilter(choices=Employment.choices, label=_("employment"))

    class Meta:
        model = RecruitmentPost
        fields = ["area", "recruitment_round", "school", "subject", "employment"]


class MentorPairFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="mentee__person__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    school = filters.NumberFilter(field_name="school", label=_("school (id)"))
    group = filters.NumberFilter(field_name="group", label=_("education group (id)"))
    mentor = filters.NumberFilter(field_name="mentor", label=_("mentor (id)"))
    mentee = filters.NumberFilter(field_name="mentee", label=_("mentee (id)"))

    class Meta:
        model = MentorPair
        fields = ["q", "area", "school", "group", "mentor", "mentee"]
