"""API of hazardous work: ``/api/v1/safety/permits/`` (``POST …/{id}/transition/``),
``/api/v1/safety/operation-reports/`` and ``/api/v1/safety/operation-distribution/``."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.viewsets import ScopedModelViewSet
from jiceng.core.errors import InvalidInput
from jiceng.directory.dashboard import scope_root
from jiceng.safety.permits import selectors, services
from jiceng.safety.permits.api import serializers as s
from jiceng.safety.permits.filtersets import OperationReportFilterSet, WorkPermitFilterSet
from jiceng.safety.permits.models import OperationReport, WorkPermit


class WorkPermitViewSet(ScopedModelViewSet):
    """Special-work permits (作业票). Drafts are edited and deleted; every other step is
    ``POST …/{id}/transition/ {"to": "submitted"|"approved"|"rejected"|"active"|"closed"|"cancelled"}``,
    refused with 409 ``guard_failed`` listing every rule broken (nothing written)."""

    queryset = WorkPermit.objects.select_related("enterprise", "area")
    serializer_class = s.WorkPermitSerializer
    filterset_class = WorkPermitFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"transition": "view", "refusals": "view"}

    def perform_destroy(self, instance: Any) -> None:
        services.do_delete_permit(instance, acting_user=self.request.user)

    @extend_schema(request=s.PermitTransitionSerializer, responses=s.WorkPermitSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        permit = self.get_object()
        body = s.PermitTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.do_transition(
            permit,
            to=body.validated_data["to"],
            comment=body.validated_data.get("comment", ""),
            acting_user=request.user,
        )
        return Response(s.WorkPermitSerializer(moved, context={"request": request}).data)

    @extend_schema(parameters=[OpenApiParameter("to", str, required=True)], responses=s.RefusalsSerializer)
    @action(detail=True, methods=["get"])
    def refusals(self, request: Request, pk: str | None = None) -> Response:
        """What would stop the permit reaching ``?to=<state>`` now (an empty list: nothing)."""
        permit = self.get_object()
        to = request.query_params.get("to", "")
        found = services.refusals(permit, to, acting_user=request.user)
        return Response(
            {"to": to, "reasons": [{"policy": r.policy_key, "message": r.message, "source": r.source} for r in found]}
        )


class OperationReportViewSet(ScopedModelViewSet):
    """Hazardous operations reported by enterprises (危险作业报告)."""

    queryset = OperationReport.objects.select_related("enterprise", "area")
    serializer_class = s.OperationReportSerializer
    filterset_class = OperationReportFilterSet

    def perform_destroy(self, instance: Any) -> None:
        services.do_delete_report(instance, acting_user=self.request.user)


class OperationDistributionView(APIView):
    """Reported hazardous operations in ``?area=<code>`` (default: the caller's area) by child area,
    work type and enterprise (the busiest), optionally those starting in ``?start=``–``?end=`` (dates)."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE, description="inclusive"),
        ],
        responses=s.DistributionSerializer,
    )
    def get(self, request: Request) -> Response:
        root = scope_root(request, "safety_permits.view_operationreport")
        if root is None:
            raise PermissionDenied
        aware = timezone.get_current_timezone()
        try:
            start = request.query_params.get("start")
            end = request.query_params.get("end")
            start_at = dt.datetime.combine(dt.date.fromisoformat(start), dt.time(), tzinfo=aware) if start else None
            end_at = (
                dt.datetime.combine(dt.date.fromisoformat(end) + dt.timedelta(days=1), dt.time(), tzinfo=aware)
                if end
                else None
            )
        except ValueError as exc:
            raise InvalidInput("start and end are dates: YYYY-MM-DD", field="start") from exc
        data = selectors.distribution(request.user, root, now=timezone.now(), start=start_at, end=end_at)
        figures = ("operations", "workers", "covered", "uncovered")

        def numbers(row: dict[str, Any]) -> dict[str, int]:
            return {name: row.get(name) or 0 for name in figures}

        return Response(
            {
                "area": root.code,
                "totals": numbers(data["totals"]),
                "areas": [
                    {
                        "area": row["area"].code if row["area"] else None,
                        "name": row["area"].name if row["area"] else root.name,
                        **numbers(row),
                    }
                    for row in data["areas"]
                ],
                "work_types": [
                    {"work_type": row["work_type"], "label": str(row["label"]), **numbers(row)}
                    for row in data["work_types"]
                ],
                "enterprises": [
                    {"enterprise": row["enterprise"], "name": row["enterprise__name"], **numbers(row)}
                    for row in data["enterprises"]
                ],
            }
        )
