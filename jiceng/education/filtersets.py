"""One FilterSet per model of the education registry: list pages, API and exports."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.education.choices import Employment, GroupKind, Location, SchoolStage, Subject
from jiceng.education.models import (
    Campus,
    EducationGroup,
    Enrollment,
    GroupMembership,
    School,
    SchoolClass,
    SchoolYear,
    Student,
    Teacher,
)


class SchoolYearFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = SchoolYear
        fields = ["area", "year"]


class SchoolFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    stage = filters.ChoiceFilter(choices=SchoolStage.choices, label=_("stage"))
    location = filters.ChoiceFilter(choices=Location.choices, label=_("location"))

    class Meta:
        model = School
        fields = ["q", "area", "stage", "location"]


class CampusFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    school = filters.NumberFilter(field_name="school_id", label=_("school (id)"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = Campus
        fields = ["q", "school", "area"]


class EducationGroupFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    kind = filters.ChoiceFilter(choices=GroupKind.choices, label=_("kind"))
    stage = filters.ChoiceFilter(choices=SchoolStage.choices, label=_("stage"))

    class Meta:
        model = EducationGroup
        fields = ["q", "area", "kind", "stage"]


class GroupMembershipFilterSet(filters.FilterSet):
    group = filters.NumberFilter(field_name="group_id", label=_("education group (id)"))
    school = filters.NumberFilter(field_name="school_id", label=_("school (id)"))
    current = filters.BooleanFilter(field_name="left_on", lookup_expr="isnull", label=_("current"))

    class Meta:
        model = GroupMembership
        fields = ["group", "school", "current"]


class TeacherFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="person__name", lookup_expr="icontains", label=_("Search"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    school = filters.NumberFilter(field_name="school_id", label=_("school (id)"))
    subject = filters.ChoiceFilter(choices=Subject.choices, label=_("subject"))
    employment = filters.ChoiceFilter(choices=Employment.choices, label=_("employment"))
    is_full_time = filters.BooleanFilter(label=_("full-time teacher"))
    location = filters.ChoiceFilter(field_name="school__location", choices=Location.choices, label=_("location"))

    class Meta:
        model = Teacher
        fields = ["q", "area", "school", "subject", "employment", "is_full_time", "location"]


class SchoolClassFilterSet(filters.FilterSet):
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    school = filters.NumberFilter(field_name="school_id", label=_("school (id)"))
    year = filters.NumberFilter(label=_("school year"))
    grade = filters.NumberFilter(label=_("grade"))

    class Meta:
        model = SchoolClass
        fields = ["area", "school", "year", "grade"]


class StudentFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="person__name", lookup_expr="icontains", label=_("Search"))
    student_number = filters.CharFilter(lookup_expr="iexact", label=_("student number"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))
    is_registered_poor = filters.BooleanFilter(label=_("registered poor student"))

    class Meta:
        model = Student
        fields = ["q", "student_number", "area", "is_registered_poor"]


class EnrollmentFilterSet(filters.FilterSet):
    student = filters.NumberFilter(field_name="student_id", label=_("student (id)"))
    school = filters.NumberFilter(field_name="school_id", label=_("school (id)"))
    school_class = filters.NumberFilter(field_name="school_class_id", label=_("class (id)"))
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("current"))

    class Meta:
        model = Enrollment
        fields = ["student", "school", "school_class", "current"]
