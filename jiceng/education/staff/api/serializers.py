"""Serializers of the staff app (writes through ``jiceng.education.staff.services``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from jiceng.core.api.fields import ScopedPrimaryKeyRelatedField
from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.education.models import School
from jiceng.education.staff import services
from jiceng.education.staff.models import (
    MentorPair,
    RecruitmentPost,
    RecruitmentRound,
    RotationAssignment,
    RotationPlan,
)


class RotationPlanSerializer(ServiceModelSerializer):
    """An exchange plan; ``status`` moves only through ``…/{id}/approve/``, assignments are generated
    through ``…/{id}/generate/`` or edited under ``/rotation-assignments/``."""

    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_code = serializers.CharField(write_only=True, required=False)
    status = serializers.CharField(read_only=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    assignment_count = serializers.SerializerMethodField()

    class Meta:
        model = RotationPlan
        fields = [
            "id",
            "name",
            "area",
            "area_code",
            "group",
            "year",
            "starts_on",
            "ends_on",
            "status",
            "seed",
            "generated_at",
            "approved_at",
            "notes",
            "assignment_count",
        ]
        read_only_fields = ["seed", "generated_at", "approved_at"]

    def get_assignment_count(self, plan: RotationPlan) -> int:
        found = getattr(plan, "assignment_count", None)
        return int(found) if found is not None else plan.assignments.count()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from jiceng.directory.models import Area

        code = attrs.pop("area_code", None)
        if code is not None:
            area = Area.objects.restrict(self._acting_user(), "view").filter(code=code).first()
            if area is None:
                raise serializers.ValidationError({"area_code": ["No such area."]})
            attrs["area"] = area
        if self.instance is None and "area" not in attrs and attrs.get("group") is None:
            raise serializers.ValidationError({"area_code": ["Give the county's area code or an education group."]})
        return {k: v for k, v in attrs.items() if v not in (None, "") or k == "group"}

    def perform_create(self, validated_data: dict[str, Any]) -> RotationPlan:
        return services.do_create_plan(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> RotationPlan:
        return services.do_update_plan(instance, data=validated_data, acting_user=self._acting_user())


class RotationAssignmentSerializer(ServiceModelSerializer):
    """One teacher of a plan; ``from_school``, ``subject`` and ``direction`` follow from the teacher
    and the host school; edits are the bureau's adjustments (``adjusted_by_bureau``)."""

    teacher_name = serializers.CharField(source="teacher.person.name", read_only=True)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    role = serializers.CharField(required=False, allow_blank=True)
    to_school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)

    class Meta:
        model = RotationAssignment
        fields = [
            "id",
            "plan",
            "teacher",
            "teacher_name",
            "subject",
            "from_school",
            "to_school",
            "to_campus",
            "direction",
            "role",
            "starts_on",
            "ends_on",
            "adjusted_by_bureau",
        ]
        read_only_fields = ["subject", "from_school", "direction", "adjusted_by_bureau"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "plan" in attrs and attrs["plan"] != self.instance.plan:
            raise serializers.ValidationError({"plan": ["An assignment stays in its plan."]})
        return attrs

    def perform_create(self, validated_data: dict[str, Any]) -> RotationAssignment:
        data = dict(validated_data)
        plan = data.pop("plan")
        return services.do_add_assignment(plan, data=data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> RotationAssignment:
        data = {k: v for k, v in validated_data.items() if k != "plan"}
        return services.do_update_assignment(instance, data=data, acting_user=self._acting_user())


class GenerateSerializer(serializers.Serializer):
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


class ApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RecruitmentRoundSerializer(ServiceModelSerializer):
    totals = serializers.SerializerMethodField()

    class Meta:
        model = RecruitmentRound
        fields = ["id", "name", "area", "year", "announced_on", "notes", "totals"]

    def get_totals(self, round_: RecruitmentRound) -> dict[str, int]:
        from jiceng.education.staff.selectors import round_totals

        request = self.context.get("request")
        return round_totals(getattr(request, "user", None), round_)


class RecruitmentPostSerializer(ServiceModelSerializer):
    class Meta:
        model = RecruitmentPost
        fields = ["id", "recruitment_round", "school", "subject", "employment", "posts", "hired"]


class MentorPairSerializer(ServiceModelSerializer):
    mentor_name = serializers.CharField(source="mentor.person.name", read_only=True)
    mentee_name = serializers.CharField(source="mentee.person.name", read_only=True)

    class Meta:
        model = MentorPair
        fields = [
            "id",
            "mentor",
            "mentor_name",
            "mentee",
            "mentee_name",
            "school",
            "group",
            "starts_on",
            "ends_on",
            "notes",
        ]
        read_only_fields = ["school"]

    def perform_create(self, validated_data: dict[str, Any]) -> MentorPair:
        return services.do_create_mentor_pair(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> MentorPair:
        return services.do_update_mentor_pair(instance, data=validated_data, acting_user=self._acting_user())
