from __future__ import annotations

import decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.core.policies import services
from jiceng.core.policies.models import Policy


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}, {"type": "boolean"}],
        "description": "typed by value_type; decimals and percentages as exact strings",
    }
)
class PolicyValueField(serializers.Field):
    """Typed on the way out (integers and booleans as JSON, decimals as exact strings), text on the way in."""

    def to_representation(self, value: Any) -> Any:
        return value

    def get_attribute(self, instance: Policy) -> Any:
        typed = instance.typed_value
        return format(typed, "f") if isinstance(typed, decimal.Decimal) else typed

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool):
            return "true" if data else "false"
        if isinstance(data, str | int | float):
            return str(data)
        raise serializers.ValidationError("A value is a number, a boolean or a string.")


class PolicySerializer(ServiceModelSerializer):
    value = PolicyValueField()
    area = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = [
            "id",
            "key",
            "name",
            "value",
            "value_type",
            "allowed_values",
            "unit",
            "area",
            "area_code",
            "area_path",
            "effective_from",
            "effective_to",
            "source",
            "source_document",
            "source_article",
            "source_url",
            "source_status",
            "notes",
        ]
        extra_kwargs = {"area_code": {"write_only": True}, "area_path": {"write_only": True}}

    def get_area(self, obj: Policy) -> str:
        return obj.area_code

    def get_source(self, obj: Policy) -> str:
        return services.policy_value(obj).cite()

    def perform_create(self, validated_data: dict[str, Any]) -> Policy:
        return services.do_create_policy(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> Policy:
        return services.do_update_policy(instance, data=validated_data, acting_user=self._acting_user())
