"""Serializers of the hazard ledger (every write through ``jiceng.safety.hazards.services``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.safety.hazards import services
from jiceng.safety.hazards.choices import HazardStatus, RecordingKind
from jiceng.safety.hazards.models import (
    CampaignTarget,
    Hazard,
    Inspection,
    InspectionRecording,
    RectificationEvidence,
    RectificationPlan,
    SafetyCampaign,
    TargetGroup,
    Verification,
)


class SafetyCampaignSerializer(ServiceModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = SafetyCampaign
        fields = [
            "id",
            "name",
            "kind",
            "area",
            "area_code",
            "organiser",
            "starts_on",
            "ends_on",
            "rounds",
            "key_sectors",
            "measures",
            "description",
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> SafetyCampaign:
        return services.do_create_safety_campaign(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> SafetyCampaign:
        return services.do_update_safety_campaign(instance, data=validated_data, acting_user=self._acting_user())


class TargetGroupSerializer(ServiceModelSerializer):
    targets = serializers.IntegerField(source="targets.count", read_only=True)

    class Meta:
        model = TargetGroup
        fields = [
            "id",
            "campaign",
            "name",
            "template",
            "checklist_campaign",
            "is_deep_well_casting",
            "has_explosive_dust",
            "chemical_roles",
            "sectors",
            "key_enterprises_only",
            "due_on",
            "assigned_at",
            "targets",
        ]
        read_only_fields = ["checklist_campaign", "assigned_at"]

    def perform_create(self, validated_data: dict[str, Any]) -> TargetGroup:
        campaign = validated_data.pop("campaign")
        return services.do_add_target_group(campaign, data=validated_data, acting_user=self._acting_user())


class CampaignTargetSerializer(ServiceModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    checklist_complete = serializers.SerializerMethodField()

    class Meta:
        model = CampaignTarget
        fields = ["id", "campaign", "group", "enterprise", "enterprise_name", "area", "run", "checklist_complete"]

    def get_checklist_complete(self, obj: CampaignTarget) -> bool | None:
        return None if obj.run_id is None else obj.run.completed_at is not None


class InspectionSerializer(ServiceModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "area",
            "campaign",
            "round",
            "kind",
            "inspected_on",
            "officers",
            "summary",
            "recorded_by",
        ]
        read_only_fields = ["recorded_by"]

    def perform_create(self, validated_data: dict[str, Any]) -> Inspection:
        return services.do_record_inspection(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> Inspection:
        return services.do_update_inspection(instance, data=validated_data, acting_user=self._acting_user())


class InspectionRecordingSerializer(ServiceModelSerializer):
    """Upload with multipart ``inspection``, ``kind``, ``file``, ``recorded_at``, ``recorded_by``;
    ``download`` is the scoped URL of the file."""

    file = serializers.FileField(write_only=True)
    download = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=RecordingKind.choices)

    class Meta:
        model = InspectionRecording
        fields = [
            "id",
            "inspection",
            "kind",
            "file",
            "download",
            "original_name",
            "content_type",
            "size_bytes",
            "sha256",
            "recorded_at",
            "recorded_by",
            "uploaded_by",
        ]
        read_only_fields = ["original_name", "content_type", "size_bytes", "sha256", "uploaded_by"]

    def get_download(self, obj: InspectionRecording) -> str:
        return reverse("safety-hazards-recording-file", args=[obj.pk])

    def perform_create(self, validated_data: dict[str, Any]) -> InspectionRecording:
        return services.do_attach_recording(
            validated_data["inspection"],
            kind=validated_data["kind"],
            upload=validated_data["file"],
            recorded_at=validated_data["recorded_at"],
            recorded_by=validated_data["recorded_by"],
            acting_user=self._acting_user(),
        )


class HazardSerializer(ServiceModelSerializer):
    """A hazard; ``status`` and the deadline change only through ``…/{id}/transition/``."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    status = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "area",
            "severity",
            "status",
            "description",
            "inspection",
            "campaign",
            "checklist_item",
            "found_on",
            "entered_at",
            "entered_on_time",
            "accepted_on",
            "due_on",
            "overdue",
            "deadline_state",
            "submitted_on",
            "closed_on",
            "listed_on",
            "delisted_on",
        ]
        read_only_fields = [
            "entered_at",
            "entered_on_time",
            "accepted_on",
            "due_on",
            "deadline_state",
            "submitted_on",
            "closed_on",
            "listed_on",
            "delisted_on",
        ]

    def get_overdue(self, obj: Hazard) -> bool:
        return obj.is_overdue(timezone.localdate())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "enterprise" in attrs and attrs["enterprise"] != self.instance.enterprise:
            raise serializers.ValidationError({"enterprise": ["A hazard stays with its enterprise."]})
        return attrs

    def perform_create(self, validated_data: dict[str, Any]) -> Hazard:
        return services.do_report_hazard(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> Hazard:
        validated_data.pop("enterprise", None)
        return services.do_update_hazard(instance, data=validated_data, acting_user=self._acting_user())


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=HazardStatus.choices)
    on = serializers.DateField(required=False)
    due_on = serializers.DateField(required=False, help_text="ordinary hazards: the deadline (default: the limit)")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RectificationPlanSerializer(ServiceModelSerializer):
    """A major hazard's five-in-place plan; created or corrected while the hazard is ``reported``."""

    class Meta:
        model = RectificationPlan
        fields = [
            "id",
            "hazard",
            "responsible_person",
            "responsible_unit",
            "measures",
            "funds_yuan",
            "deadline",
            "contingency_plan",
            "supervising_unit",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "hazard" in attrs and attrs["hazard"] != self.instance.hazard:
            raise serializers.ValidationError({"hazard": ["A plan stays with its hazard."]})
        return attrs

    def perform_create(self, validated_data: dict[str, Any]) -> RectificationPlan:
        hazard = validated_data.pop("hazard")
        if RectificationPlan.objects.filter(hazard=hazard).exists():
            raise serializers.ValidationError({"hazard": ["This hazard already has a plan; update it instead."]})
        return services.do_save_plan(hazard, data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> RectificationPlan:
        validated_data.pop("hazard", None)
        return services.do_save_plan(instance.hazard, data=validated_data, acting_user=self._acting_user())


class RectificationEvidenceSerializer(ServiceModelSerializer):
    file = serializers.FileField(write_only=True, required=False)
    download = serializers.SerializerMethodField()

    class Meta:
        model = RectificationEvidence
        fields = [
            "id",
            "hazard",
            "description",
            "file",
            "download",
            "original_name",
            "content_type",
            "sha256",
            "recorded_at",
            "recorded_by",
        ]
        read_only_fields = ["original_name", "content_type", "sha256", "recorded_at", "recorded_by"]

    def get_download(self, obj: RectificationEvidence) -> str | None:
        return reverse("safety_hazards:evidence_file", args=[obj.pk]) if obj.file else None

    def perform_create(self, validated_data: dict[str, Any]) -> RectificationEvidence:
        return services.do_record_evidence(
            validated_data["hazard"],
            description=validated_data["description"],
            upload=validated_data.get("file"),
            acting_user=self._acting_user(),
        )


class VerificationSerializer(ServiceModelSerializer):
    """Recording a verification moves the hazard: passed → closed (销号), failed → rectifying."""

    class Meta:
        model = Verification
        fields = ["id", "hazard", "officer", "officer_name", "verified_on", "passed", "notes", "recorded_at"]
        read_only_fields = ["officer", "officer_name", "recorded_at"]

    def perform_create(self, validated_data: dict[str, Any]) -> Verification:
        return services.do_verify(
            validated_data["hazard"],
            passed=validated_data["passed"],
            notes=validated_data.get("notes", ""),
            on=validated_data["verified_on"],
            acting_user=self._acting_user(),
        )
