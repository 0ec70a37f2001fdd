"""Serializers of the education registry (writes through the generic services until an app's own)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.education import services, sizes
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
    """A school; ``class_count`` and ``student_count`` count its classes of the current school year
    and its registered students (open enrollments)."""

    class_count = serializers.IntegerField(read_only=True, default=None)
    student_count = serializers.IntegerField(read_only=True, default=None)

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
            "class_count",
            "student_count",
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> School:
        return services.do_create_school(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> School:
        return services.do_update_school(instance, data=validated_data, acting_user=self._acting_user())


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
    """A school's membership of a group (``joined_on`` defaults to today); adding one beyond the
    county's maximum is refused (409)."""

    class Meta:
        model = GroupMembership
        fields = ["id", "group", "school", "role", "joined_on", "left_on"]
        extra_kwargs = {"joined_on": {"required": False}}

    def perform_create(self, validated_data: dict[str, Any]) -> GroupMembership:
        return services.do_add_group_member(data=validated_data, acting_user=self._acting_user())


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
    """A class with ``size`` (its open enrollments), ``cap`` (the class-size cap in force today for its
    school's area) and ``oversized`` (size over the cap)."""

    size = serializers.SerializerMethodField()
    cap = serializers.SerializerMethodField()
    oversized = serializers.SerializerMethodField()

    class Meta:
        model = SchoolClass
        fields = [
            "id",
            "school",
            "year",
            "grade",
            "number",
            "head_teacher",
            "size",
            "cap",
            "oversized",
            "oversized_since",
            "cleared_on",
        ]
        read_only_fields = ["oversized_since", "cleared_on"]

    def _caps(self) -> sizes.CapResolver:
        if "caps" not in self.context:
            self.context["caps"] = sizes.CapResolver(timezone.localdate())
        return self.context["caps"]  # type: ignore[no-any-return]

    def get_size(self, obj: SchoolClass) -> int:
        found = getattr(obj, "size", None)
        return int(found) if found is not None else sizes.class_size(obj)

    def get_cap(self, obj: SchoolClass) -> int | None:
        return self._caps().cap(obj.school)

    def get_oversized(self, obj: SchoolClass) -> bool:
        return self._caps().is_over(obj.school, self.get_size(obj))

    def perform_create(self, validated_data: dict[str, Any]) -> SchoolClass:
        return services.do_create_class(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> SchoolClass:
        return services.do_update_class(instance, data=validated_data, acting_user=self._acting_user())


class StudentSerializer(ServiceModelSerializer):
    """A student; ``school`` and ``class_id`` are those of the open enrollment (``null`` when none).
    ``student_number`` defaults to the lifelong number ``"G"`` + resident ID; ``area`` follows the
    registration."""

    school = serializers.SerializerMethodField()
    class_id = serializers.SerializerMethodField()
    student_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    area: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Student
        fields = [
            "id",
            "person",
            "student_number",
            "area",
            "school",
            "class_id",
            "attending_school",
            "attendance_status",
            "attendance_checked_on",
            "is_registered_poor",
        ]

    def _current(self, obj: Student) -> Any:
        found = getattr(obj, "open_enrollments", None)
        if found is None:
            return services.current_enrollment(obj)
        return found[0] if found else None

    def get_school(self, obj: Student) -> int | None:
        current = self._current(obj)
        return current.school_id if current else None

    def get_class_id(self, obj: Student) -> int | None:
        current = self._current(obj)
        return current.school_class_id if current else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "person" in attrs and attrs["person"] != self.instance.person:
            raise serializers.ValidationError({"person": ["A student record stays with its person."]})
        if self.instance is not None and attrs.get("student_number", self.instance.student_number) != (
            self.instance.student_number
        ):
            raise serializers.ValidationError({"student_number": ["A student number never changes."]})
        return attrs

    def perform_create(self, validated_data: dict[str, Any]) -> Student:
        return services.do_create_student(data=validated_data, acting_user=self._acting_user())


class EnrollmentSerializer(ServiceModelSerializer):
    class Meta:
        model = Enrollment
        fields = ["id", "student", "school", "school_class", "started_on", "reason", "ended_on", "end_reason"]
