"""API of the chemical registration: ``/api/v1/safety/products/`` (with ``public_url``),
``/api/v1/safety/product-scans/`` and the completion rate ``/api/v1/safety/chemical-registration/``."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.viewsets import ScopedGenericViewSet, ScopedModelViewSet
from jiceng.core.publicpages.models import PublicPage
from jiceng.directory.dashboard import scope_root
from jiceng.safety.chemicals import selectors, services
from jiceng.safety.chemicals.api import serializers as s
from jiceng.safety.chemicals.filtersets import ChemicalProductFilterSet, ProductScanFilterSet
from jiceng.safety.chemicals.models import ChemicalProduct, ProductScan


def _text(value: Any) -> Any:
    return str(value) if value is not None else None


class ChemicalProductViewSet(ScopedModelViewSet):
    """Hazardous-chemical products of enterprises (one code per enterprise per product)."""

    queryset = ChemicalProduct.objects.select_related("enterprise", "area")
    serializer_class = s.ChemicalProductSerializer
    filterset_class = ChemicalProductFilterSet

    def get_queryset(self) -> Any:
        pages = PublicPage.objects.filter(
            content_type=ContentType.objects.get_for_model(ChemicalProduct),
            object_id=Cast(OuterRef("pk"), CharField()),
            is_active=True,
        ).values("token")[:1]
        return super().get_queryset().annotate(public_token=Subquery(pages))

    def perform_destroy(self, instance: Any) -> None:
        services.do_delete_product(instance, acting_user=self.request.user)


class ProductScanViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet
):
    """Scans of product codes along the chain (facts: recorded, never edited)."""

    queryset = ProductScan.objects.select_related("product", "recorded_by")
    serializer_class = s.ProductScanSerializer
    filterset_class = ProductScanFilterSet


class RegistrationCompletionView(APIView):
    """Registration completion by hazardous-chemical role in ``?area=<code>`` (default: the caller's
    area) and in each of its child areas: enterprises with a registered product ÷ enterprises."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("area", str)], responses=s.CompletionSerializer)
    def get(self, request: Request) -> Response:
        root = scope_root(request, "safety_chemicals.view_chemicalproduct")
        if root is None:
            raise PermissionDenied
        data = selectors.registration_completion(request.user, root, on=timezone.localdate())

        def rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**row, "label": str(row["label"]), "rate": _text(row["rate"])} for row in items]

        children = [
            {
                "area": child["area"].code if child["area"] else None,
                "name": child["area"].name if child["area"] else root.name,
                "enterprises": child["enterprises"],
                "registered": child["registered"],
                "rate": _text(child["rate"]),
                "roles": rows(child["cells"]),
            }
            for child in data["children"]
        ]
        totals = {**data["totals"], "rate": _text(data["totals"]["rate"])}
        return Response(
            {"area": root.code, "on": data["on"], "rows": rows(data["rows"]), "totals": totals, "children": children}
        )
