from __future__ import annotations

from typing import Any

from rest_framework import serializers

from jiceng.core.api.fields import ScopedSlugRelatedField
from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.core.scope import user_can
from jiceng.directory import services
from jiceng.directory.models import Area, Enterprise, Grid, Person, Unit, mask_id_number, normalise_id_number


def area_field(**kwargs: Any) -> ScopedSlugRelatedField:
    return ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all(), **kwargs)


class AreaSerializer(ServiceModelSerializer):
    parent = area_field(required=False, allow_null=True)
    successor = area_field(required=False, allow_null=True)

    class Meta:
        model = Area
        fields = ["code", "name", "level", "kind", "parent", "path", "depth", "valid_from", "valid_until", "successor"]
        read_only_fields = ["level", "path", "depth"]

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        return services.do_update_area(instance, data=validated_data, acting_user=self._acting_user())


class UnitSerializer(ServiceModelSerializer):
    area = area_field()

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "area", "parent", "phone", "address", "created_at", "updated_at"]


class PersonSerializer(ServiceModelSerializer):
    area = area_field()

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "area",
            "phone",
            "address",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["sex", "birth_date", "is_demo"]

    def validate_id_number(self, value: str) -> str:
        return normalise_id_number(value).upper()

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not user_can(user, instance, "view_id_number"):
            data["id_number"] = mask_id_number(instance.id_number)
        return data


class EnterpriseSerializer(ServiceModelSerializer):
    area = area_field()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "sector",
            "scale",
            "legal_representative",
            "phone",
            "address",
            "area",
            "is_key",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_demo"]

    def validate_credit_code(self, value: str) -> str:
        return value.strip().replace(" ", "").replace("-", "").upper()


class GridSerializer(ServiceModelSerializer):
    area = area_field()
    grid_worker = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Grid
        fields = ["id", "name", "code", "area", "grid_worker", "households", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        fields["grid_worker"].queryset = Person.objects.restrict(user, "view")
        return fields
