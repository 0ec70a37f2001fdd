"""Serializers of the chemical registration (writes through ``jiceng.safety.chemicals.services``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.core.publicpages.models import PublicPage
from jiceng.core.publicpages.services import absolute_public_url
from jiceng.safety.chemicals import services
from jiceng.safety.chemicals.models import ChemicalProduct, HazardClass, ProductScan


class ChemicalProductSerializer(ServiceModelSerializer):
    """A product of an enterprise; ``public_url`` is the absolute address of its code (its public
    page, the target of its QR label) while it is registered and online."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    hazard_classes = serializers.ListField(child=serializers.ChoiceField(choices=HazardClass.choices), min_length=1)
    is_registered = serializers.BooleanField(read_only=True)
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = ChemicalProduct
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "area",
            "name",
            "cas_number",
            "un_number",
            "hazard_classes",
            "emergency_phone",
            "sds_summary",
            "registration_number",
            "registered_on",
            "is_registered",
            "public_url",
        ]
        validators: list = []  # one code per enterprise per product: the service's rule (with its message)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_public_url(self, product: ChemicalProduct) -> str | None:
        token = getattr(product, "public_token", None)
        if token is None and not hasattr(product, "public_token"):
            page = services.active_page(product)
            token = page.token if page is not None else None
        if not token:
            return None
        return absolute_public_url(PublicPage(token=token), self.context.get("request"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "enterprise" in attrs and attrs["enterprise"] != self.instance.enterprise:
            raise serializers.ValidationError({"enterprise": ["A product stays with its enterprise."]})
        return attrs

    def perform_create(self, validated_data: dict[str, Any]) -> ChemicalProduct:
        return services.do_create_product(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> ChemicalProduct:
        return services.do_update_product(instance, data=validated_data, acting_user=self._acting_user())


class ProductScanSerializer(ServiceModelSerializer):
    """One scan of a product's code along the chain (``recorded_by`` is the caller)."""

    product_name = serializers.CharField(source="product.name", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None)

    class Meta:
        model = ProductScan
        fields = [
            "id",
            "product",
            "product_name",
            "stage",
            "scanned_at",
            "scanner_name",
            "scanner_org",
            "location",
            "note",
            "recorded_by",
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> ProductScan:
        return services.do_record_scan(data=validated_data, acting_user=self._acting_user())


class CompletionRowSerializer(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField()
    enterprises = serializers.IntegerField()
    registered = serializers.IntegerField()
    rate = serializers.CharField(allow_null=True, help_text="percentage with one decimal")


class CompletionAreaSerializer(serializers.Serializer):
    area = serializers.CharField(allow_null=True, help_text="child area code (null: rows of the area itself)")
    name = serializers.CharField()
    enterprises = serializers.IntegerField()
    registered = serializers.IntegerField()
    rate = serializers.CharField(allow_null=True)
    roles = CompletionRowSerializer(many=True)


class CompletionSerializer(serializers.Serializer):
    area = serializers.CharField()
    on = serializers.DateField()
    rows = CompletionRowSerializer(many=True)
    totals = serializers.DictField()
    children = CompletionAreaSerializer(many=True)
