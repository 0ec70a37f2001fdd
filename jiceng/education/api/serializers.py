"""Serializers of the education registry (writes through the generic services until an app's own)."""

from __future__ import annotations

from jiceng.core.api.viewsets import ServiceModelSerializer
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


class SchoolYearSerializer(ServiceModelSerializer):
    class Meta:
        model = SchoolYear
        fields = ["id", "area", "year", "starts_on", "ends_on"]


class SchoolSerializer(ServiceModelSerializer):
    class Meta:
        model = School
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "area",
            "unit",
            "stage",
            "location",
            "address",
            "principal",
            "phone",
        ]


class CampusSerializer(ServiceModelSerializer):
    class Meta:
        model = Campus
        fields = ["id", "school", "name", "area", "address", "is_main"]


class EducationGroupSerializer(ServiceModelSerializer):
    class Meta:
        model = EducationGroup
        fields = [
            "id",
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


class GroupMembershipSerializer(ServiceModelSerializer):
    class Meta:
        model = GroupMembership
        fields = ["id", "group", "school", "role", "joined_on", "left_on"]


class TeacherSerializer(ServiceModelSerializer):
    class Meta:
        model = Teacher
        fields = [
            "id",
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


class SchoolClassSerializer(ServiceModelSerializer):
    class Meta:
        model = SchoolClass
        fields = ["id", "school", "year", "grade", "number", "head_teacher", "oversized_since", "cleared_on"]
        read_only_fields = ["oversized_since", "cleared_on"]


class StudentSerializer(ServiceModelSerializer):
    class Meta:
        model = Student
        fields = [
            "id",
            "person",
            "student_number",
            "area",
            "attending_school",
            "attendance_status",
            "attendance_checked_on",
            "is_registered_poor",
        ]


class EnrollmentSerializer(ServiceModelSerializer):
    class Meta:
        model = Enrollment
        fields = ["id", "student", "school", "school_class", "started_on", "reason", "ended_on", "end_reason"]
