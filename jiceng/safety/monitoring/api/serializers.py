"""Serializers of the monitoring API (writes through ``jiceng.safety.monitoring.services``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.core.policies.services import PolicyMissing
from jiceng.safety.monitoring import services
from jiceng.safety.monitoring.models import (
    AccountablePerson,
    Alarm,
    Gateway,
    HazardousSubstance,
    MajorHazardSource,
    Sensor,
    SourceCheck,
    SourceSubstance,
    WatcherShift,
)


class HazardousSubstanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = HazardousSubstance
        fields = ["id", "name", "cas_number", "category", "critical_quantity_t", "beta", "is_highly_toxic", "verified"]


class HoldingSerializer(ServiceModelSerializer):
    substance_name = serializers.CharField(source="substance.name", read_only=True)

    class Meta:
        model = SourceSubstance
        fields = ["id", "source", "substance", "substance_name", "quantity_t"]

    def perform_create(self, validated_data: dict[str, Any]) -> SourceSubstance:
        return services.do_set_substance(
            validated_data["source"],
            substance=validated_data["substance"],
            quantity_t=validated_data["quantity_t"],
            acting_user=self._acting_user(),
        )

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> SourceSubstance:
        return services.do_set_substance(
            instance.source,
            substance=validated_data.get("substance", instance.substance),
            quantity_t=validated_data.get("quantity_t", instance.quantity_t),
            acting_user=self._acting_user(),
        )


class MajorHazardSourceSerializer(ServiceModelSerializer):
    """A major hazard source; ``grade``, ``r_value`` and ``quantity_ratio`` are computed (GB 18218)."""

    area = serializers.CharField(source="area.code", read_only=True)
    substances = HoldingSerializer(many=True, read_only=True)
    grade_explanation = serializers.SerializerMethodField()

    class Meta:
        model = MajorHazardSource
        fields = [
            "id",
            "enterprise",
            "area",
            "name",
            "kind",
            "record_number",
            "installation",
            "population_500m",
            "registered_on",
            "quantity_ratio",
            "r_value",
            "grade",
            "grade_explanation",
            "substances",
        ]
        read_only_fields = ["quantity_ratio", "r_value", "grade"]

    def get_grade_explanation(self, source: MajorHazardSource) -> str | None:
        """How R and the grade were reached (detail only; ``null`` in lists)."""
        view = self.context.get("view")
        if getattr(view, "action", "") == "list":
            return None
        try:
            return services.grade_of(source).explain()
        except PolicyMissing as exc:
            return exc.message

    def perform_create(self, validated_data: dict[str, Any]) -> MajorHazardSource:
        return services.do_create_source(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> MajorHazardSource:
        return services.do_update_source(instance, data=validated_data, acting_user=self._acting_user())


class ThresholdsSerializer(serializers.Serializer):
    level1 = serializers.FloatField()
    level2 = serializers.FloatField()
    direction = serializers.CharField()


class SensorStateSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    last_value = serializers.FloatField(allow_null=True)
    last_ts = serializers.DateTimeField(allow_null=True)
    offline = serializers.BooleanField()


class SensorSerializer(ServiceModelSerializer):
    """A monitoring point; its topic is ``jiceng/readings/<code>``."""

    thresholds = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    topic = serializers.CharField(read_only=True)

    class Meta:
        model = Sensor
        fields = [
            "id",
            "code",
            "topic",
            "source",
            "gateway",
            "name",
            "kind",
            "unit",
            "direction",
            "level1",
            "level2",
            "thresholds",
            "oel",
            "range_min",
            "range_max",
            "is_active",
            "installed_on",
            "state",
        ]

    @extend_schema_field(ThresholdsSerializer)
    def get_thresholds(self, sensor: Sensor) -> dict[str, Any]:
        return {"level1": sensor.level1, "level2": sensor.level2, "direction": sensor.direction}

    @extend_schema_field(SensorStateSerializer(allow_null=True))
    def get_state(self, sensor: Sensor) -> dict[str, Any] | None:
        state = getattr(sensor, "state", None)
        if state is None:
            return None
        return {
            "level": state.level,
            "last_value": state.last_value,
            "last_ts": state.last_ts,
            "offline": state.offline,
        }

    def perform_create(self, validated_data: dict[str, Any]) -> Sensor:
        return services.do_create_sensor(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> Sensor:
        return services.do_update_sensor(instance, data=validated_data, acting_user=self._acting_user())


class GatewaySerializer(ServiceModelSerializer):
    class Meta:
        model = Gateway
        fields = ["id", "code", "enterprise", "name"]


class AlarmSerializer(serializers.ModelSerializer):
    """An alarm episode with the four firsts; ``reading`` is the value that confirmed it."""

    sensor = serializers.CharField(source="sensor.code", read_only=True)
    reading = serializers.FloatField(source="reading_value", read_only=True, allow_null=True)

    class Meta:
        model = Alarm
        fields = [
            "id",
            "sensor",
            "source",
            "level",
            "state",
            "raised_at",
            "reading",
            "reading_ts",
            "setpoint",
            "peak_value",
            "explanation",
            "discovered_at",
            "warned_at",
            "acknowledged_at",
            "handled_at",
            "handling",
            "evidence_fixed_at",
            "evidence_sha256",
            "cleared_at",
            "closed_at",
            "reactivations",
        ]
        read_only_fields = fields


class AlarmActionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    handling = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReadingSerializer(serializers.Serializer):
    ts = serializers.DateTimeField()
    value = serializers.FloatField()


class AccountablePersonSerializer(ServiceModelSerializer):
    class Meta:
        model = AccountablePerson
        fields = ["id", "source", "role", "person", "phone", "since", "until"]

    def perform_create(self, validated_data: dict[str, Any]) -> AccountablePerson:
        return services.do_assign_accountable(data=validated_data, acting_user=self._acting_user())


class SourceCheckSerializer(ServiceModelSerializer):
    class Meta:
        model = SourceCheck
        fields = ["id", "source", "role", "checked_on", "checker", "findings", "problems_found"]

    def perform_create(self, validated_data: dict[str, Any]) -> SourceCheck:
        return services.do_record_check(data=validated_data, acting_user=self._acting_user())


class WatcherShiftSerializer(ServiceModelSerializer):
    class Meta:
        model = WatcherShift
        fields = ["id", "source", "watcher", "starts_at", "ends_at"]

    def perform_create(self, validated_data: dict[str, Any]) -> WatcherShift:
        return services.do_add_shift(data=validated_data, acting_user=self._acting_user())
