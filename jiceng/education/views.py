"""Registry pages of the education module: school years, schools, campuses, groups and their members,
teachers, classes, students and enrollments (one ``ModelViews`` declaration each)."""

from __future__ import annotations

import django_tables2 as tables
from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.core.views import ModelViews
from jiceng.education import filtersets as f
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

DATE = forms.DateInput(attrs={"type": "date"})


def date_widgets(*names: str) -> dict[str, forms.Widget]:
    return dict.fromkeys(names, DATE)


# --- school years ------------------------------------------------------------------------------
class SchoolYearTable(tables.Table):
    year = tables.Column(linkify=True)

    class Meta:
        model = SchoolYear
        fields = ("year", "area", "starts_on", "ends_on")


class SchoolYearForm(forms.ModelForm):
    class Meta:
        model = SchoolYear
        fields = ["area", "year", "starts_on", "ends_on"]
        widgets = date_widgets("starts_on", "ends_on")


class SchoolYearViews(ModelViews):
    model = SchoolYear
    filterset = f.SchoolYearFilterSet
    table = SchoolYearTable
    form = SchoolYearForm
    url_plural = "school-years"
    select_related = ["area"]
    detail_fields = ["area", "year", "starts_on", "ends_on"]


# --- schools -----------------------------------------------------------------------------------
class SchoolTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = School
        fields = ("name", "area", "stage", "location", "principal")


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "short_name", "code", "area", "unit", "stage", "location", "address", "principal", "phone"]


class SchoolViews(ModelViews):
    model = School
    filterset = f.SchoolFilterSet
    table = SchoolTable
    form = SchoolForm
    select_related = ["area"]
    detail_fields = ["name", "short_name", "code", "area", "unit", "stage", "location", "address", "principal", "phone"]


class CampusTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Campus
        fields = ("name", "school", "area", "is_main")


class CampusForm(forms.ModelForm):
    class Meta:
        model = Campus
        fields = ["school", "name", "area", "address", "is_main"]


class CampusViews(ModelViews):
    model = Campus
    filterset = f.CampusFilterSet
    table = CampusTable
    form = CampusForm
    url_plural = "campuses"
    select_related = ["school", "area"]
    detail_fields = ["school", "name", "area", "address", "is_main"]


# --- groups ------------------------------------------------------------------------------------
class EducationGroupTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = EducationGroup
        fields = ("name", "kind", "stage", "lead_school", "area", "formed_on")


class EducationGroupForm(forms.ModelForm):
    class Meta:
        model = EducationGroup
        fields = [
            "name",
            "kind",
            "area",
            "lead_school",
            "stage",
            "formed_on",
            "dissolved_on",
            "head_principal",
            "notes",
        ]
        widgets = date_widgets("formed_on", "dissolved_on")


class EducationGroupViews(ModelViews):
    model = EducationGroup
    filterset = f.EducationGroupFilterSet
    table = EducationGroupTable
    form = EducationGroupForm
    url_plural = "groups"
    select_related = ["area", "lead_school"]
    detail_fields = [
        "name",
        "kind",
        "area",
        "lead_school",
        "stage",
        "formed_on",
        "dissolved_on",
        "head_principal",
        "notes",
    ]


class GroupMembershipTable(tables.Table):
    school = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = GroupMembership
        fields = ("group", "school", "role", "joined_on", "left_on")


class GroupMembershipForm(forms.ModelForm):
    class Meta:
        model = GroupMembership
        fields = ["group", "school", "role", "joined_on", "left_on"]
        widgets = date_widgets("joined_on", "left_on")


class GroupMembershipViews(ModelViews):
    model = GroupMembership
    filterset = f.GroupMembershipFilterSet
    table = GroupMembershipTable
    form = GroupMembershipForm
    url_plural = "group-members"
    select_related = ["group", "school"]
    detail_fields = ["group", "school", "area", "role", "joined_on", "left_on"]


# --- teachers ----------------------------------------------------------------------------------
class TeacherTable(tables.Table):
    person = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("teacher"))

    class Meta:
        model = Teacher
        fields = ("person", "school", "subject", "is_full_time", "employment", "is_backbone")


class TeacherForm(forms.ModelForm):
    class Meta:
        model = Teacher
        fields = [
            "person",
            "school",
            "subject",
            "is_full_time",
            "employment",
            "hired_on",
            "is_backbone",
            "is_middle_manager",
            "left_on",
        ]
        widgets = date_widgets("hired_on", "left_on")


class TeacherViews(ModelViews):
    model = Teacher
    filterset = f.TeacherFilterSet
    table = TeacherTable
    form = TeacherForm
    select_related = ["person", "school"]
    detail_fields = [
        "person",
        "school",
        "area",
        "subject",
        "is_full_time",
        "employment",
        "hired_on",
        "is_backbone",
        "is_middle_manager",
        "left_on",
    ]


# --- classes, students, enrollments -------------------------------------------------------------
class SchoolClassTable(tables.Table):
    label = tables.Column(accessor="name", verbose_name=_("class"), linkify=True, orderable=False)

    class Meta:
        model = SchoolClass
        fields = ("label", "school", "year", "grade", "head_teacher", "oversized_since", "cleared_on")


class SchoolClassForm(forms.ModelForm):
    class Meta:
        model = SchoolClass
        fields = ["school", "year", "grade", "number", "head_teacher"]


class SchoolClassViews(ModelViews):
    model = SchoolClass
    filterset = f.SchoolClassFilterSet
    table = SchoolClassTable
    form = SchoolClassForm
    url_plural = "classes"
    select_related = ["school", "head_teacher__person"]
    detail_fields = ["school", "year", "grade", "number", "head_teacher", "oversized_since", "cleared_on"]


class StudentTable(tables.Table):
    person = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("student"))

    class Meta:
        model = Student
        fields = ("person", "student_number", "area", "attendance_status", "is_registered_poor")


class StudentForm(forms.ModelForm):
    class Meta:
        model = Student
        fields = ["person", "student_number", "area", "is_registered_poor"]


class StudentViews(ModelViews):
    model = Student
    filterset = f.StudentFilterSet
    table = StudentTable
    form = StudentForm
    select_related = ["person", "area"]
    detail_fields = [
        "person",
        "student_number",
        "area",
        "attending_school",
        "attendance_status",
        "attendance_checked_on",
        "is_registered_poor",
    ]


class EnrollmentTable(tables.Table):
    student = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = Enrollment
        fields = ("student", "school", "school_class", "started_on", "reason", "ended_on", "end_reason")


class EnrollmentForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ["student", "school", "school_class", "started_on", "reason"]
        widgets = date_widgets("started_on")


class EnrollmentViews(ModelViews):
    model = Enrollment
    filterset = f.EnrollmentFilterSet
    table = EnrollmentTable
    form = EnrollmentForm
    select_related = ["student__person", "school", "school_class"]
    detail_fields = ["student", "school", "school_class", "area", "started_on", "reason", "ended_on", "end_reason"]
