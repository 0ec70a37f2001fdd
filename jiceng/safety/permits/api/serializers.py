"""Serializers of hazardous work (writes through ``jiceng.safety.permits.services``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.safety.permits import services
from jiceng.safety.permits.choices import PermitState
from jiceng.safety.permits.models import OperationReport, WorkPermit


class OperationReportSerializer(ServiceModelSerializer):
    """A reported hazardous operation; ``is_covered``: an approved permit was valid when it started."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    is_covered = serializers.SerializerMethodField()

    class Meta:
        model = OperationReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "area",
            "work_type",
            "location",
            "starts_at",
            "ends_at",
            "workers",
            "description",
            "is_covered",
        ]

    def get_is_covered(self, report: OperationReport) -> bool:
        found = getattr(report, "is_covered", None)
        return bool(found) if found is not None else services.covering_permits(report).exists()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "enterprise" in attrs and attrs["enterprise"] != self.instance.enterprise:
            raise serializers.ValidationError({"enterprise": ["A report stays with its enterprise."]})
        return attrs

    def perform_create(self, validated_data: dict[str, Any]) -> OperationReport:
        return services.do_create_report(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> OperationReport:
        return services.do_update_report(instance, data=validated_data, acting_user=self._acting_user())


class WorkPermitSerializer(ServiceModelSerializer):
    """A special-work permit. ``level`` is computed (hot work: ``hot_work_level``; height: from
    ``height_m``; lifting: from ``load_t``); ``valid_until`` may be left out to take the longest
    window the validity policy allows; ``state`` moves only through ``…/{id}/transition/``."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    valid_until = serializers.DateTimeField(required=False, allow_null=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = WorkPermit
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "area",
            "number",
            "work_type",
            "hot_work_level",
            "blind_plate_mode",
            "height_m",
            "load_t",
            "is_special_power",
            "level",
            "location",
            "content",
            "workers",
            "applicant",
            "guardian",
            "valid_from",
            "valid_until",
            "state",
            "approved_at",
            "started_at",
            "closed_at",
        ]
        read_only_fields = ["level", "approved_at", "started_at", "closed_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "enterprise" in attrs and attrs["enterprise"] != self.instance.enterprise:
            raise serializers.ValidationError({"enterprise": ["A permit stays with its enterprise."]})
        return attrs

    def perform_create(self, validated_data: dict[str, Any]) -> WorkPermit:
        return services.do_create_permit(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> WorkPermit:
        return services.do_update_permit(instance, data=validated_data, acting_user=self._acting_user())


class PermitTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=[s.value for s in PermitState if s != PermitState.DRAFT])
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RefusalSerializer(serializers.Serializer):
    policy = serializers.CharField(help_text="policy key (empty for a plain fact)")
    message = serializers.CharField()
    source = serializers.CharField()


class RefusalsSerializer(serializers.Serializer):
    to = serializers.CharField()
    reasons = RefusalSerializer(many=True)


class DistributionRowSerializer(serializers.Serializer):
    operations = serializers.IntegerField()
    workers = serializers.IntegerField()
    covered = serializers.IntegerField()
    uncovered = serializers.IntegerField(help_text="started with no approved permit covering it")


class DistributionAreaSerializer(DistributionRowSerializer):
    area = serializers.CharField(allow_null=True, help_text="child area code (null: rows of the area itself)")
    name = serializers.CharField()


class DistributionTypeSerializer(DistributionRowSerializer):
    work_type = serializers.CharField()
    label = serializers.CharField()


class DistributionEnterpriseSerializer(DistributionRowSerializer):
    enterprise = serializers.IntegerField()
    name = serializers.CharField()


class DistributionSerializer(serializers.Serializer):
    area = serializers.CharField()
    totals = DistributionRowSerializer()
    areas = DistributionAreaSerializer(many=True)
    work_types = DistributionTypeSerializer(many=True)
    enterprises = DistributionEnterpriseSerializer(many=True)
