"""Serializers of catchment allocation (writes through ``jiceng.education.allocation.services``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from jiceng.core.api.fields import ScopedSlugRelatedField
from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.directory.models import Area
from jiceng.education.allocation import services
from jiceng.education.allocation.choices import EntryGrade, RunMode
from jiceng.education.allocation.models import AllocationRun, CatchmentZone, EnrolmentPlan, IntakeRecord, Placement


class CatchmentZoneSerializer(ServiceModelSerializer):
    """A catchment zone: ``schools`` and ``villages`` (village-level areas) are ids."""

    area = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all())

    class Meta:
        model = CatchmentZone
        fields = ["id", "name", "area", "kind", "grade", "schools", "villages", "notes"]

    def perform_create(self, validated_data: dict[str, Any]) -> CatchmentZone:
        return services.do_create_zone(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> CatchmentZone:
        return services.do_update_zone(instance, data=validated_data, acting_user=self._acting_user())


class EnrolmentPlanSerializer(ServiceModelSerializer):
    """Planned classes of a school's entry grade; ``capacity`` = planned classes × the class-size cap
    in force for the school's area (``cap``)."""

    school_name = serializers.CharField(source="school.name", read_only=True)
    capacity = serializers.SerializerMethodField()

    class Meta:
        model = EnrolmentPlan
        fields = ["id", "school", "school_name", "year", "grade", "planned_classes", "capacity", "notes"]

    def get_capacity(self, plan: EnrolmentPlan) -> int | None:
        return services.plan_capacity_or_none(plan)

    def perform_create(self, validated_data: dict[str, Any]) -> EnrolmentPlan:
        return services.do_create_plan(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> EnrolmentPlan:
        return services.do_update_plan(instance, data=validated_data, acting_user=self._acting_user())


class IntakeRecordSerializer(ServiceModelSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)

    class Meta:
        model = IntakeRecord
        fields = ["id", "school", "school_name", "year", "grade", "admitted", "source"]

    def perform_create(self, validated_data: dict[str, Any]) -> IntakeRecord:
        return services.do_create_intake(data=validated_data, acting_user=self._acting_user())


class ApplicantSerializer(serializers.Serializer):
    """One applicant: ``student`` or ``person`` (id), or ``name`` with ``home_area`` (id or code)."""

    student = serializers.IntegerField(required=False, allow_null=True)
    person = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    home_area = serializers.JSONField(required=False, help_text="village id or 12-digit code")
    preferences = serializers.ListField(child=serializers.IntegerField(), required=False)
    is_policy_care = serializers.BooleanField(required=False, default=False)
    sibling_schools = serializers.ListField(child=serializers.IntegerField(), required=False)
    teacher_parent_schools = serializers.ListField(child=serializers.IntegerField(), required=False)


class AllocationRunSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    is_what_if = serializers.BooleanField(read_only=True)

    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "name",
            "area",
            "year",
            "grade",
            "mode",
            "seed",
            "state",
            "base_run",
            "is_what_if",
            "capacity_overrides",
            "zone_overrides",
            "diversions",
            "capacity_snapshot",
            "zones_snapshot",
            "school_figures",
            "max_preferences",
            "tier_order",
            "applicant_count",
            "placed_count",
            "unplaced_count",
            "elapsed_ms",
            "published_at",
            "notes",
        ]
        read_only_fields = fields


class AllocationRunCreateSerializer(serializers.Serializer):
    """A new run: ``area`` (code) with ``year``, ``grade`` and ``applicants``; or ``base_run`` (a
    what-if: its cohort and seed with the overrides given)."""

    area = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all(), required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    grade = serializers.ChoiceField(choices=EntryGrade.values, required=False)
    base_run = serializers.PrimaryKeyRelatedField(queryset=AllocationRun.objects.all(), required=False)
    applicants = ApplicantSerializer(many=True, required=False)
    seed = serializers.IntegerField(required=False, min_value=0, max_value=2**62)
    mode = serializers.ChoiceField(choices=RunMode.values, required=False)
    capacity_overrides = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False)
    zone_overrides = serializers.DictField(required=False)
    diversions = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()), required=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    notes = serializers.CharField(required=False, allow_blank=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        base = fields["base_run"]
        base.queryset = (
            AllocationRun.objects.restrict(user, "view") if user is not None else AllocationRun.objects.none()
        )  # type: ignore[attr-defined]
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("base_run") is None:
            missing = [name for name in ("area", "year", "grade", "applicants") if attrs.get(name) in (None, [])]
            if missing:
                raise serializers.ValidationError({name: ["This field is required."] for name in missing})
        return attrs


class PlacementSerializer(serializers.ModelSerializer):
    """One applicant's result: ``school`` (null: unplaced), ``choice`` (1-based preference),
    ``tier``, ``lottery``, ``via`` and ``passed_over`` (each preference above that did not admit
    them: ``reason`` "full" with ``cutoff_tier``/``cutoff_lottery`` of the last admitted, or "no_seats")."""

    home_area = serializers.CharField(source="home_area.code", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True, default=None)

    class Meta:
        model = Placement
        fields = [
            "id",
            "index",
            "name",
            "person",
            "student",
            "home_area",
            "preferences",
            "is_policy_care",
            "sibling_schools",
            "teacher_parent_schools",
            "lottery",
            "school",
            "school_name",
            "choice",
            "tier",
            "via",
            "passed_over",
        ]
        read_only_fields = fields


class CompareRowSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    name = serializers.CharField()
    before = serializers.IntegerField(allow_null=True)
    after = serializers.IntegerField(allow_null=True)
    tier = serializers.IntegerField(allow_null=True)
    via = serializers.CharField()


class TransitionCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)
