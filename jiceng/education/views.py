"""Registry pages of the education module: school years, schools, campuses, groups and their members,
teachers, classes, students and enrollments (one ``ModelViews`` declaration each)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.views import ModelViews
from jiceng.directory.dashboard import parent_in_scope, scope_root
from jiceng.education import filtersets as f
from jiceng.education import selectors, services, sizes
from jiceng.education.choices import Location, SchoolStage
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
    detail_template = "education/school_detail.html"

    @classmethod
    def create(cls, form: Any, user: Any) -> School:
        return services.do_create_school(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> School:
        return services.do_update_school(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        """The school's classes of the latest school year with size and cap, its campuses and groups."""
        today = timezone.localdate()
        years = list(obj.classes.values_list("year", flat=True).distinct().order_by("-year")[:1])
        year = years[0] if years else selectors.school_year_of(today)
        caps = sizes.CapResolver(today)
        classes = selectors.annotate_caps(
            list(
                selectors.sized_classes(user, on=today, filters={"school": obj, "year": year}).order_by(
                    "grade", "number"
                )
            ),
            caps,
        )
        return {
            "year": year,
            "classes": classes,
            "cap": caps.policy(obj),
            "students": sum(c.size for c in classes),
            "campuses": obj.campuses.restrict(user, "view").select_related("area"),
            "memberships": obj.group_memberships.restrict(user, "view").select_related("group"),
            "teachers": obj.teachers.restrict(user, "view").filter(left_on__isnull=True).count(),
        }


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
    detail_template = "education/educationgroup_detail.html"

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        """Current members with their campuses, the county's member limits and what breaks them."""
        today = timezone.localdate()
        members = list(obj.current_members(today).select_related("school__area").order_by("role", "school__name"))
        school_ids = [m.school_id for m in members]
        campuses = Campus.objects.restrict(user, "view").filter(school_id__in=school_ids).select_related("school")
        low, high = services.member_limits(obj, today)
        return {
            "members": members,
            "member_count": services.member_count(obj, today),
            "campuses": campuses,
            "limit_min": low,
            "limit_max": high,
            "problems": services.group_check(obj, today),
        }

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

    @classmethod
    def create(cls, form: Any, user: Any) -> GroupMembership:
        return services.do_add_group_member(data=form.cleaned_data, acting_user=user)

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
    detail_template = "education/teacher_detail.html"
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
    select_related = ["school__area", "head_teacher__person"]
    detail_template = "education/schoolclass_detail.html"

    @classmethod
    def create(cls, form: Any, user: Any) -> SchoolClass:
        return services.do_create_class(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: Any, user: Any) -> SchoolClass:
        return services.do_update_class(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        """The class's students (open enrollments), its size against the cap and the national band."""
        today = timezone.localdate()
        caps = sizes.CapResolver(today)
        enrollments = list(
            Enrollment.objects.restrict(user, "view")
            .filter(school_class=obj, ended_on__isnull=True)
            .select_related("student__person", "student__attending_school")
            .order_by("student__person__name")
        )
        size = sizes.class_size(obj)
        return {
            "enrollments": enrollments,
            "size": size,
            "cap": caps.policy(obj.school),
            "band": caps.band(obj.school, size),
            "over": caps.is_over(obj.school, size),
        }

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

    @classmethod
    def create(cls, form: Any, user: Any) -> Student:
        return services.do_create_student(data=form.cleaned_data, acting_user=user)

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


# --- the oversized-class dashboard (E07) and the registration checks (E08) ------------------------
class ClassSizeFilterForm(forms.Form):
    year = forms.IntegerField(label=_("school year"), required=False)
    stage = forms.ChoiceField(label=_("stage"), choices=[("", "—"), *SchoolStage.choices], required=False)
    location = forms.ChoiceField(label=_("location"), choices=[("", "—"), *Location.choices], required=False)
    only = forms.ChoiceField(
        label=_("show"),
        choices=[
            ("", _("every grade")),
            ("over", _("over the cap")),
            ("at_cap", _("at the cap or over")),
            ("cleared", _("cleared")),
        ],
        required=False,
    )


@login_required
def class_sizes(request: HttpRequest) -> HttpResponse:
    """Class sizes by school and grade against the cap (``?area=<code>&year=&stage=&location=&only=``)."""
    perm = "education.view_schoolclass"
    root = scope_root(request, perm)
    if root is None:
        raise PermissionDenied
    today = timezone.localdate()
    form = ClassSizeFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or selectors.school_year_of(today)
    filters: dict[str, Any] = {"area__path__startswith": root.path, "year": year}
    if data.get("stage"):
        filters["school__stage"] = data["stage"]
    if data.get("location"):
        filters["school__location"] = data["location"]
    board = selectors.class_size_board(request.user, on=today, filters=filters)
    rows = board["rows"]
    only = data.get("only")
    if only == "over":
        rows = [r for r in rows if r.over]
    elif only == "at_cap":
        rows = [r for r in rows if r.cap is not None and r.size >= r.cap]
    elif only == "cleared":
        rows = [r for r in rows if r.cleared_on]
    context = {
        "root": root,
        "up": parent_in_scope(root, request.user, perm),
        "form": form,
        "year": year,
        "rows": rows,
        "totals": board["totals"],
        "cap": sizes.area_cap_policy(root, today),
        "bands": sizes.band_limits(root.path, today),
        "query": request.GET.urlencode(),
    }
    return render(request, "education/class_sizes.html", context)


@login_required
def registry_checks(request: HttpRequest) -> HttpResponse:
    """Registration work items (人籍分离, 空挂学籍, duplicates, overlapping enrollments) in an area."""
    perm = "education.view_student"
    root = scope_root(request, perm)
    if root is None:
        raise PermissionDenied
    findings = selectors.integrity_findings(request.user, area_path=root.path)
    kind = request.GET.get("kind", "")
    shown = [x for x in findings if x.kind == kind] if kind else findings
    counts = {k: sum(1 for x in findings if x.kind == k) for k in ("elsewhere", "absent", "duplicate", "overlap")}
    context = {
        "root": root,
        "up": parent_in_scope(root, request.user, perm),
        "findings": shown,
        "counts": counts,
        "kind": kind,
        "schools": selectors.findings_by_school(findings),
    }
    return render(request, "education/registry_checks.html", context)
