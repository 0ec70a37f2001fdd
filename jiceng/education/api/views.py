"""API of the education registry: ``/api/v1/education/schools/``, ``classes/``, ``students/`` …"""

from __future__ import annotations

from jiceng.core.api.viewsets import ScopedModelViewSet
from jiceng.education import filtersets as f
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
    queryset = SchoolClass.objects.select_related("school")
    serializer_class = s.SchoolClassSerializer
    filterset_class = f.SchoolClassFilterSet


class StudentViewSet(ScopedModelViewSet):
    queryset = Student.objects.select_related("person")
    serializer_class = s.StudentSerializer
    filterset_class = f.StudentFilterSet


class EnrollmentViewSet(ScopedModelViewSet):
    queryset = Enrollment.objects.select_related("student", "school_class")
    serializer_class = s.EnrollmentSerializer
    filterset_class = f.EnrollmentFilterSet
