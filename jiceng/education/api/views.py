"""API of the education registry: ``/api/v1/education/schools/``, ``classes/``, ``students/`` …"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.viewsets import ScopedModelViewSet
from jiceng.directory.dashboard import scope_root
from jiceng.education import filtersets as f
from jiceng.education import selectors, sizes
from jiceng.education.api import serializers as s
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


class SchoolYearViewSet(ScopedModelViewSet):
    queryset = SchoolYear.objects.select_related("area")
    serializer_class = s.SchoolYearSerializer
    filterset_class = f.SchoolYearFilterSet


class SchoolViewSet(ScopedModelViewSet):
    queryset = School.objects.select_related("area")
    serializer_class = s.SchoolSerializer
    filterset_class = f.SchoolFilterSet

    def get_queryset(self) -> Any:
        year = selectors.school_year_of(timezone.localdate())
        students = (
            Enrollment.objects.filter(school=OuterRef("pk"), ended_on__isnull=True)
            .order_by()
            .values("school")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            super()
            .get_queryset()
            .annotate(
                class_count=Count("classes", filter=Q(classes__year=year)),
                student_count=Coalesce(Subquery(students, output_field=IntegerField()), 0),
            )
        )


class CampusViewSet(ScopedModelViewSet):
    queryset = Campus.objects.select_related("school")
    serializer_class = s.CampusSerializer
    filterset_class = f.CampusFilterSet


class EducationGroupViewSet(ScopedModelViewSet):
    queryset = EducationGroup.objects.select_related("lead_school")
    serializer_class = s.EducationGroupSerializer
    filterset_class = f.EducationGroupFilterSet


class GroupMembershipViewSet(ScopedModelViewSet):
    queryset = GroupMembership.objects.select_related("group", "school")
    serializer_class = s.GroupMembershipSerializer
    filterset_class = f.GroupMembershipFilterSet


class TeacherViewSet(ScopedModelViewSet):
    queryset = Teacher.objects.select_related("person", "school")
    serializer_class = s.TeacherSerializer
    filterset_class = f.TeacherFilterSet


class SchoolClassViewSet(ScopedModelViewSet):
    """Classes with ``size``, ``cap`` and ``oversized`` (the cap resolved once per school area)."""

    queryset = sizes.with_sizes(SchoolClass.objects.select_related("school__area"))
    serializer_class = s.SchoolClassSerializer
    filterset_class = f.SchoolClassFilterSet


class StudentViewSet(ScopedModelViewSet):
    """Students with the ``school`` and ``class_id`` of their open enrollment (prefetched)."""

    queryset = Student.objects.select_related("person").prefetch_related(selectors.open_enrollments())
    serializer_class = s.StudentSerializer
    filterset_class = f.StudentFilterSet


class EnrollmentViewSet(ScopedModelViewSet):
    queryset = Enrollment.objects.select_related("student", "school_class")
    serializer_class = s.EnrollmentSerializer
    filterset_class = f.EnrollmentFilterSet


class RegistryFindingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["elsewhere", "absent", "duplicate", "overlap"],
        help_text="elsewhere 人籍分离, absent 空挂学籍, duplicate (same name and birth date), overlap",
    )
    student = serializers.IntegerField(source="student.pk")
    student_number = serializers.CharField(source="student.student_number")
    name = serializers.CharField(source="student.person.name")
    school = serializers.IntegerField(source="school.pk", allow_null=True, default=None)
    message = serializers.CharField()


class SchoolCountSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    name = serializers.CharField()
    elsewhere = serializers.IntegerField()
    absent = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    overlap = serializers.IntegerField()


class RegistryChecksSerializer(serializers.Serializer):
    area = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    schools = SchoolCountSerializer(many=True)
    findings = RegistryFindingSerializer(many=True)


class RegistryChecksView(APIView):
    """Registration work items (E08) among the students the caller may view: ``?area=<code>`` narrows
    to an area subtree."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("area", str)], responses=RegistryChecksSerializer)
    def get(self, request: Request) -> Response:
        root = scope_root(request, "education.view_student")
        if root is None:
            raise PermissionDenied
        area_path = root.path
        findings = selectors.integrity_findings(request.user, area_path=area_path)
        kinds = ["elsewhere", "absent", "duplicate", "overlap"]
        counts = {k: sum(1 for x in findings if x.kind == k) for k in kinds}
        schools = [
            {"school": school.pk, "name": school.name, **{k: c.get(k, 0) for k in kinds}}
            for school, c in selectors.findings_by_school(findings)
        ]
        data = {"area": root.code, "counts": counts, "schools": schools, "findings": findings}
        return Response(RegistryChecksSerializer(data).data)
