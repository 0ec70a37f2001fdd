"""Serializers of the finance API: amounts are decimal strings, percentages JSON numbers (one decimal)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.finance import services
from jiceng.finance.models import (
    AssetPurchase,
    AssetStandard,
    BudgetAdjustment,
    BudgetProject,
    CarryOverForecast,
    Disbursement,
    KeyMark,
    Spending,
)


class BudgetProjectSerializer(ServiceModelSerializer):
    class Meta:
        model = BudgetProject
        fields = [
            "id",
            "name",
            "code",
            "unit",
            "area",
            "year",
            "budget",
            "budget_type",
            "funding_source",
            "transfer_level",
            "expenditure_kind",
            "major",
            "incremental_policy",
            "adopted_on",
            "allowed_purposes",
            "description",
        ]
        read_only_fields = ["area"]

    def perform_create(self, validated_data: dict[str, Any]) -> BudgetProject:
        return services.do_create_project(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: BudgetProject, validated_data: dict[str, Any]) -> BudgetProject:
        return services.do_update_project(instance, data=validated_data, acting_user=self._acting_user())


ROW_FIELDS = ["id", "project", "on", "amount", "note"]


class RowSerializer(ServiceModelSerializer):
    """A dated row; ``project`` comes from the URL (``…/projects/{id}/spending/``) or the body."""

    service: Any = None

    def perform_create(self, validated_data: dict[str, Any]) -> Any:
        project = self.context.get("project") or validated_data.pop("project")
        validated_data.pop("project", None)
        return type(self).service(project, data=validated_data, acting_user=self._acting_user())


class BudgetAdjustmentSerializer(RowSerializer):
    service = staticmethod(services.do_add_adjustment)

    class Meta:
        model = BudgetAdjustment
        fields = [*ROW_FIELDS, "kind"]


class DisbursementSerializer(RowSerializer):
    service = staticmethod(services.do_add_disbursement)

    class Meta:
        model = Disbursement
        fields = ROW_FIELDS


class CarryOverForecastSerializer(RowSerializer):
    service = staticmethod(services.do_add_carry_over)

    class Meta:
        model = CarryOverForecast
        fields = ROW_FIELDS


class AssetLineSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=100)
    quantity = serializers.IntegerField(min_value=1)
    unit_price = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"))


class AssetPurchaseSerializer(ServiceModelSerializer):
    class Meta:
        model = AssetPurchase
        fields = ["id", "spending", "item", "quantity", "unit_price"]


class SpendingSerializer(RowSerializer):
    assets = AssetLineSerializer(many=True, required=False, write_only=True)
    asset_purchases = AssetPurchaseSerializer(many=True, read_only=True)

    class Meta:
        model = Spending
        fields = [*ROW_FIELDS, "purpose", "assets", "asset_purchases"]

    def perform_create(self, validated_data: dict[str, Any]) -> Spending:
        project = self.context.get("project") or validated_data.get("project")
        validated_data.pop("project", None)
        assets = validated_data.pop("assets", [])
        return services.do_add_spending(project, data=validated_data, assets=assets, acting_user=self._acting_user())


class NestedRowMixin:
    """In ``…/projects/{id}/<rows>/`` the project is the URL's."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()  # type: ignore[misc]
        if self.context.get("project") is not None:  # type: ignore[attr-defined]
            fields["project"].read_only = True
        return fields


def nested(serializer: type[RowSerializer]) -> type[RowSerializer]:
    return type(f"Nested{serializer.__name__}", (NestedRowMixin, serializer), {})  # type: ignore[return-value]


class AssetStandardSerializer(ServiceModelSerializer):
    class Meta:
        model = AssetStandard
        fields = ["id", "area", "item", "max_unit_price", "source_document", "source_status", "effective_from"]

    def perform_create(self, validated_data: dict[str, Any]) -> AssetStandard:
        return services.do_create_asset_standard(data=validated_data, acting_user=self._acting_user())


class KeyMarkSerializer(ServiceModelSerializer):
    criteria = serializers.ListField(child=serializers.CharField(), read_only=True)
    unit = serializers.IntegerField(source="project.unit_id", read_only=True)

    class Meta:
        model = KeyMark
        fields = [
            "id",
            "project",
            "unit",
            "marked_on",
            "key_policy",
            "major_project",
            "findings",
            "low_performance",
            "weak_management",
            "criteria",
            "note",
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> KeyMark:
        project = validated_data.pop("project")
        return services.do_mark_key(project, data=validated_data, acting_user=self._acting_user())


def one_decimal(value: Decimal | None) -> float | None:
    """A percentage as a JSON number with one decimal (58.3), None when undefined."""
    return None if value is None else float(value)


def monitoring_payload(project: BudgetProject, figures: dict[str, Any], on: Any) -> dict[str, Any]:
    return {
        "project": project.pk,
        "name": project.name,
        "unit": project.unit_id,
        "on": on.isoformat(),
        "time_progress": one_decimal(figures["time_progress"]),
        "execution_progress": one_decimal(figures["execution_progress"]),
        "lag_points": one_decimal(figures["lag_points"]),
        "key_monitoring": figures["key_monitoring"],
        "monitored": figures["monitored"],
        "current_budget": format(figures["current_budget"], "f"),
        "spent": format(figures["spent"], "f"),
        "reasons": [r.message for r in figures["reasons"]],
    }
