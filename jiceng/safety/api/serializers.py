"""Serializers of the supervision registry (writes through ``jiceng.safety.services``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.safety import services
from jiceng.safety.models import GuidanceLog, Installation, ResidentSupervision, SafetyProfile, SafetySector


class SafetySectorSerializer(ServiceModelSerializer):
    class Meta:
        model = SafetySector
        fields = ["id", "code", "name", "order"]


class SafetyProfileSerializer(ServiceModelSerializer):
    """An enterprise under supervision: the shared enterprise's identity and the bureau's profile."""

    name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    is_key = serializers.BooleanField(source="enterprise.is_key", read_only=True)

    class Meta:
        model = SafetyProfile
        fields = [
            "id",
            "enterprise",
            "name",
            "credit_code",
            "area",
            "is_key",
            "sector",
            "chemical_role",
            "safety_grade",
            "grade_awarded_on",
            "grade_expires_on",
            "is_deep_well_casting",
            "has_explosive_dust",
            "principal",
            "safety_manager",
            "safety_manager_phone",
            "employees",
        ]
        read_only_fields = ["grade_expires_on"]

    def perform_create(self, validated_data: dict[str, Any]) -> SafetyProfile:
        return services.do_create_profile(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> SafetyProfile:
        return services.do_update_profile(instance, data=validated_data, acting_user=self._acting_user())


class InstallationSerializer(ServiceModelSerializer):
    class Meta:
        model = Installation
        fields = ["id", "enterprise", "name", "kind", "retrofit_required", "retrofit_done_on", "informatised_on"]

    def perform_create(self, validated_data: dict[str, Any]) -> Installation:
        return services.do_create_installation(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> Installation:
        return services.do_update_installation(instance, data=validated_data, acting_user=self._acting_user())


class ResidentSupervisionSerializer(ServiceModelSerializer):
    class Meta:
        model = ResidentSupervision
        fields = ["id", "enterprise", "supervisor", "sector", "unit", "started_on", "ended_on"]

    def perform_create(self, validated_data: dict[str, Any]) -> ResidentSupervision:
        return services.do_create_resident_supervision(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> ResidentSupervision:
        return services.do_update_resident_supervision(instance, data=validated_data, acting_user=self._acting_user())


class GuidanceLogSerializer(ServiceModelSerializer):
    class Meta:
        model = GuidanceLog
        fields = ["id", "supervision", "visited_on", "summary", "rules_improved", "trainings_held"]

    def perform_create(self, validated_data: dict[str, Any]) -> GuidanceLog:
        return services.do_record_guidance(data=validated_data, acting_user=self._acting_user())
