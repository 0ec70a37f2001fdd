"""API of the supervision registry: ``/api/v1/safety/enterprises/`` (profiles), installations,
the resident supervision roster, guidance logs, sectors and the coverage figures."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.viewsets import ScopedGenericViewSet, ScopedModelViewSet
from jiceng.directory.dashboard import scope_root
from jiceng.safety import selectors
from jiceng.safety.api import serializers as s
from jiceng.safety.filtersets import (
    GuidanceLogFilterSet,
    InstallationFilterSet,
    ResidentSupervisionFilterSet,
    SafetyProfileFilterSet,
)
from jiceng.safety.models import GuidanceLog, Installation, ResidentSupervision, SafetyProfile, SafetySector


class SafetySectorViewSet(ScopedModelViewSet):
    """The bureau's supervision sectors."""

    queryset = SafetySector.objects.all()
    serializer_class = s.SafetySectorSerializer


class SafetyProfileViewSet(ScopedModelViewSet):
    """Enterprises under supervision (one safety profile per shared enterprise)."""

    queryset = SafetyProfile.objects.select_related("enterprise", "area", "sector")
    serializer_class = s.SafetyProfileSerializer
    filterset_class = SafetyProfileFilterSet


class InstallationViewSet(ScopedModelViewSet):
    queryset = Installation.objects.select_related("enterprise")
    serializer_class = s.InstallationSerializer
    filterset_class = InstallationFilterSet


class ResidentSupervisionViewSet(ScopedModelViewSet):
    """The resident supervision roster: supervisors at key enterprises."""

    queryset = ResidentSupervision.objects.select_related("enterprise", "supervisor", "sector")
    serializer_class = s.ResidentSupervisionSerializer
    filterset_class = ResidentSupervisionFilterSet


class GuidanceLogViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet
):
    """Guidance visits (facts: created, never edited)."""

    queryset = GuidanceLog.objects.select_related("supervision")
    serializer_class = s.GuidanceLogSerializer
    filterset_class = GuidanceLogFilterSet


class ResidentSupervisionCoverageRowSerializer(serializers.Serializer):
    sector = serializers.CharField()
    key = serializers.IntegerField()
    stationed = serializers.IntegerField()
    coverage = serializers.CharField(allow_null=True)
    supervisors = serializers.IntegerField()
    visits = serializers.IntegerField()
    rules_improved = serializers.IntegerField()
    trainings_held = serializers.IntegerField()


class ResidentSupervisionCoverageSerializer(serializers.Serializer):
    area = serializers.CharField()
    rows = ResidentSupervisionCoverageRowSerializer(many=True)
    totals = serializers.DictField()


class ResidentSupervisionCoverageView(APIView):
    """Resident supervision coverage of key enterprises by sector in ``?area=<code>`` (default: the caller's area)."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("area", str)], responses=ResidentSupervisionCoverageSerializer)
    def get(self, request: Request) -> Response:
        root = scope_root(request, "safety.view_safetyprofile")
        if root is None:
            raise PermissionDenied
        data = selectors.resident_supervision_coverage(request.user, root.path, on=timezone.localdate())

        def text(value: Any) -> Any:
            return str(value) if value is not None else None

        rows = [{**row, "sector": row["sector"].code, "coverage": text(row["coverage"])} for row in data["rows"]]
        totals = {**data["totals"], "coverage": text(data["totals"]["coverage"])}
        return Response({"area": root.code, "rows": rows, "totals": totals})
