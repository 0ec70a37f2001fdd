"""Serializers of safety training and publicity (writes through ``jiceng.safety.training.services``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.directory.models import mask_id_number
from jiceng.safety.training import services
from jiceng.safety.training.models import (
    Broadcast,
    CertificateCheck,
    Exam,
    PublicityActivity,
    PublicServiceAd,
    SpotTest,
    SpotTestResult,
    TrainingCampaign,
    TrainingSession,
)
from jiceng.safety.training.selectors import may_see_id_numbers


class RateField(serializers.ReadOnlyField):
    """A percentage as an exact string (``"96.5"``), ``null`` without a denominator."""

    def to_representation(self, value: Any) -> Any:
        return None if value is None else str(value)


class TrainingCampaignSerializer(ServiceModelSerializer):
    class Meta:
        model = TrainingCampaign
        fields = ["id", "name", "kind", "starts_on", "ends_on", "description"]

    def perform_create(self, validated_data: dict[str, Any]) -> TrainingCampaign:
        return services.do_create_campaign(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> TrainingCampaign:
        return services.do_update_campaign(instance, data=validated_data, acting_user=self._acting_user())


class TrainingSessionSerializer(ServiceModelSerializer):
    """A training session; ``attendees`` (person ids) name who attended, when known."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "area",
            "campaign",
            "held_on",
            "topic",
            "kind",
            "trainer",
            "hours",
            "participants",
            "attendees",
        ]
        extra_kwargs = {"attendees": {"required": False}, "participants": {"required": False}}

    def perform_create(self, validated_data: dict[str, Any]) -> TrainingSession:
        return services.do_create_training(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> TrainingSession:
        return services.do_update_training(instance, data=validated_data, acting_user=self._acting_user())


class ExamSerializer(ServiceModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    pass_rate = RateField()

    class Meta:
        model = Exam
        fields = [
            "id",
            "enterprise",
            "area",
            "campaign",
            "session",
            "held_on",
            "title",
            "candidates",
            "passed",
            "pass_rate",
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> Exam:
        return services.do_create_exam(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> Exam:
        return services.do_update_exam(instance, data=validated_data, acting_user=self._acting_user())


class SpotTestSerializer(ServiceModelSerializer):
    """A spot test; ``pass_mark`` is the policy in force on the test day, ``pass_rate`` passed ÷ tested."""

    area = serializers.CharField(source="area.code", read_only=True)
    pass_rate = RateField()

    class Meta:
        model = SpotTest
        fields = [
            "id",
            "enterprise",
            "area",
            "campaign",
            "tested_on",
            "officer",
            "unit",
            "subject",
            "tested",
            "passed",
            "pass_mark",
            "pass_rate",
            "notes",
        ]
        read_only_fields = ["pass_mark"]

    def perform_create(self, validated_data: dict[str, Any]) -> SpotTest:
        return services.do_create_spot_test(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> SpotTest:
        return services.do_update_spot_test(instance, data=validated_data, acting_user=self._acting_user())


class SpotTestResultSerializer(ServiceModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = SpotTestResult
        fields = ["id", "spot_test", "employee", "employee_name", "score", "passed"]
        read_only_fields = ["passed"]

    def perform_create(self, validated_data: dict[str, Any]) -> SpotTestResult:
        return services.do_record_result(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> SpotTestResult:
        return services.do_update_result(instance, data=validated_data, acting_user=self._acting_user())


class CertificateCheckSerializer(ServiceModelSerializer):
    """A certificate check; ``result`` is derived. ``holder_id_number`` is masked without
    ``directory.view_id_number`` over the check's Area."""

    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = CertificateCheck
        fields = [
            "id",
            "enterprise",
            "area",
            "campaign",
            "checked_on",
            "inspector",
            "holder",
            "holder_name",
            "holder_id_number",
            "kind",
            "operation_type",
            "certificate_number",
            "issuing_authority",
            "issued_on",
            "valid_until",
            "found_in_register",
            "holder_matches",
            "result",
            "notes",
        ]
        read_only_fields = ["result"]
        extra_kwargs = {"valid_until": {"required": False}}

    def to_representation(self, instance: CertificateCheck) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not may_see_id_numbers(getattr(request, "user", None), instance):
            data["holder_id_number"] = mask_id_number(instance.holder_id_number)
        return data

    def perform_create(self, validated_data: dict[str, Any]) -> CertificateCheck:
        return services.do_create_certificate_check(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> CertificateCheck:
        return services.do_update_certificate_check(instance, data=validated_data, acting_user=self._acting_user())


class PublicityActivitySerializer(ServiceModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = PublicityActivity
        fields = [
            "id",
            "target",
            "area",
            "area_code",
            "enterprise",
            "campaign",
            "held_on",
            "title",
            "organiser",
            "venue",
            "participants",
            "ad",
            "summary",
        ]
        extra_kwargs = {"area": {"required": False}}

    def perform_create(self, validated_data: dict[str, Any]) -> PublicityActivity:
        return services.do_create_publicity(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> PublicityActivity:
        return services.do_update_publicity(instance, data=validated_data, acting_user=self._acting_user())


class BroadcastSerializer(ServiceModelSerializer):
    """A broadcast; ``state`` moves by itself (scheduled → live → expired) or by ``withdraw``."""

    area_code = serializers.CharField(source="area.code", read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Broadcast
        fields = [
            "id",
            "area",
            "area_code",
            "title",
            "message",
            "severity",
            "starts_at",
            "ends_at",
            "ad",
            "state",
            "published_at",
            "closed_at",
        ]
        read_only_fields = ["published_at", "closed_at"]
        extra_kwargs = {"title": {"required": False}, "message": {"required": False}, "starts_at": {"required": False}}

    def perform_create(self, validated_data: dict[str, Any]) -> Broadcast:
        return services.do_create_broadcast(data=validated_data, acting_user=self._acting_user())


class AdImageSerializer(serializers.Serializer):
    image = serializers.FileField(required=False)
    remove = serializers.BooleanField(required=False, default=False)


class WithdrawSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class PublicServiceAdSerializer(ServiceModelSerializer):
    """An ad of the library; its picture is uploaded to ``…/{id}/image/`` (multipart ``image``)."""

    image_url = serializers.SerializerMethodField()

    class Meta:
        model = PublicServiceAd
        fields = ["id", "title", "text", "tags", "source", "image_url"]

    def get_image_url(self, obj: PublicServiceAd) -> str | None:
        return reverse("safety_training:ad_image", args=[obj.pk]) if obj.image else None

    def perform_create(self, validated_data: dict[str, Any]) -> PublicServiceAd:
        return services.do_create_ad(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> PublicServiceAd:
        return services.do_update_ad(instance, data=validated_data, acting_user=self._acting_user())
