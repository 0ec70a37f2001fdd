"""API of inspections, campaigns and the hazard ledger under ``/api/v1/safety/``.

``POST …/hazards/{id}/transition/`` ``{"to", "on", "due_on", "comment"}`` → 200 with the hazard, or
409 ``{"code": "guard_failed", "message", "reasons": [{"policy", "message", "value", "source"}]}``
with nothing written. ``/zeroing/`` gives the 清零 figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.viewsets import ScopedGenericViewSet, ScopedModelViewSet
from jiceng.core.errors import InvalidInput
from jiceng.core.selectors import access_object
from jiceng.directory.dashboard import scope_root
from jiceng.safety.hazards import selectors, services
from jiceng.safety.hazards.api import serializers as s
from jiceng.safety.hazards.filtersets import (
    CampaignTargetFilterSet,
    HazardFilterSet,
    InspectionFilterSet,
    InspectionRecordingFilterSet,
    RectificationEvidenceFilterSet,
    RectificationPlanFilterSet,
    SafetyCampaignFilterSet,
    TargetGroupFilterSet,
    VerificationFilterSet,
)
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
from jiceng.safety.hazards.views import file_response

FACTS = (mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin)


class SafetyCampaignViewSet(ScopedModelViewSet):
    """Special campaigns (visible below their area). ``GET …/{id}/figures/?area=`` zeroing progress."""

    queryset = SafetyCampaign.objects.select_related("area").prefetch_related("key_sectors")
    serializer_class = s.SafetyCampaignSerializer
    filterset_class = SafetyCampaignFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"figures": "view"}

    @action(detail=True, methods=["get"])
    def figures(self, request: Request, pk: str | None = None) -> Response:
        campaign = self.get_object()
        return Response(campaign_figures_payload(request, campaign))


class TargetGroupViewSet(*FACTS, ScopedGenericViewSet):
    """Target groups of a campaign. ``POST …/{id}/assign/`` targets the enterprises (once)."""

    queryset = TargetGroup.objects.select_related("campaign__area", "template")
    serializer_class = s.TargetGroupSerializer
    filterset_class = TargetGroupFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"assign": "change"}

    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        group = self.get_object()
        created = services.do_assign_targets(group, acting_user=request.user)
        group.refresh_from_db()
        return Response({**s.TargetGroupSerializer(group, context={"request": request}).data, "assigned": len(created)})


class CampaignTargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """The enterprises a campaign targets (assigned through their group)."""

    queryset = CampaignTarget.objects.select_related("enterprise", "area", "run")
    serializer_class = s.CampaignTargetSerializer
    filterset_class = CampaignTargetFilterSet


class InspectionViewSet(ScopedModelViewSet):
    """Enterprise-inspections (家次): enforcement, supervision, self-check."""

    queryset = Inspection.objects.select_related("enterprise", "area")
    serializer_class = s.InspectionSerializer
    filterset_class = InspectionFilterSet


class InspectionRecordingViewSet(*FACTS, ScopedGenericViewSet):
    """Visual-enforcement recordings (multipart upload; SHA-256 kept; never edited or deleted).
    ``GET …/{id}/file/`` serves the file to users who may view the inspection."""

    queryset = InspectionRecording.objects.select_related("inspection")
    serializer_class = s.InspectionRecordingSerializer
    filterset_class = InspectionRecordingFilterSet
    parser_classes: ClassVar[list[Any]] = [MultiPartParser, FormParser, JSONParser]
    scope_actions: ClassVar[dict[str, str]] = {"file": "view"}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="file")
    def file(self, request: Request, pk: str | None = None) -> Any:
        recording = self.get_object()
        return file_response(recording.file.name, recording.content_type, recording.original_name)


class HazardViewSet(ScopedModelViewSet):
    """The hazard ledger. ``?severity=&status=&overdue=true&enterprise=&campaign=&area=``;
    ``POST …/{id}/transition/`` moves it; ``GET …/{id}/refusals/?to=&on=`` says what stops it."""

    queryset = Hazard.objects.select_related("enterprise", "area")
    serializer_class = s.HazardSerializer
    filterset_class = HazardFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"transition": "view", "refusals": "view"}

    def perform_destroy(self, instance: Hazard) -> None:
        services.do_delete_hazard(instance, acting_user=self.request.user)

    @extend_schema(request=s.TransitionSerializer, responses=s.HazardSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """The transition's own permission (``change``, or ``verify_hazard`` for close, reject,
        reopen) is checked by the workflow engine over the hazard's area."""
        hazard = self.get_object()
        body = s.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.do_transition(
            hazard,
            to=body.validated_data["to"],
            on=body.validated_data.get("on"),
            due_on=body.validated_data.get("due_on"),
            comment=body.validated_data.get("comment", ""),
            acting_user=request.user,
        )
        return Response(s.HazardSerializer(moved, context={"request": request}).data)

    @extend_schema(
        parameters=[OpenApiParameter("to", str), OpenApiParameter("on", OpenApiTypes.DATE)],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def refusals(self, request: Request, pk: str | None = None) -> Response:
        hazard = self.get_object()
        to = request.query_params.get("to", "")
        on = _date(request.query_params.get("on"), "on")
        found = services.refusals(hazard, to, acting_user=request.user, on=on)
        return Response(
            {"to": to, "reasons": [{"policy": r.policy_key, "message": r.message, "source": r.source} for r in found]}
        )


class RectificationPlanViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedGenericViewSet,
):
    """Five-in-place plans of major hazards (五落实; required before acceptance)."""

    queryset = RectificationPlan.objects.select_related("hazard__area")
    serializer_class = s.RectificationPlanSerializer
    filterset_class = RectificationPlanFilterSet


class RectificationEvidenceViewSet(*FACTS, ScopedGenericViewSet):
    """Rectification evidence (text and an optional file; multipart)."""

    queryset = RectificationEvidence.objects.select_related("hazard__area")
    serializer_class = s.RectificationEvidenceSerializer
    filterset_class = RectificationEvidenceFilterSet
    parser_classes: ClassVar[list[Any]] = [MultiPartParser, FormParser, JSONParser]


class VerificationViewSet(*FACTS, ScopedGenericViewSet):
    """Verifications (复核). Creating one closes the hazard (passed) or sends it back (failed)."""

    queryset = Verification.objects.select_related("hazard__area", "officer")
    serializer_class = s.VerificationSerializer
    filterset_class = VerificationFilterSet


def _date(raw: str | None, field: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput("A date: YYYY-MM-DD", field=field, code="invalid_date") from exc


def _text(value: Any) -> Any:
    return str(value) if value is not None else None


def _rates(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: _text(v) if k.endswith("_rate") else v for k, v in row.items()}


def campaign_figures_payload(request: Request, campaign: SafetyCampaign) -> dict[str, Any]:
    root = scope_root(request, "safety_hazards.view_campaigntarget")
    if root is None:
        raise PermissionDenied
    if campaign.area.path.startswith(root.path):
        root = campaign.area
    figures = selectors.campaign_figures(request.user, campaign, root, on=timezone.localdate())
    return {
        "campaign": campaign.pk,
        "name": campaign.name,
        "area": root.code,
        "totals": _rates(figures["totals"]),
        "hazards": _rates(figures["hazards"]),
        "inspections": figures["inspections"],
        "by_round": figures["by_round"],
        "areas": [
            {"code": a["code"], "name": a["name"], "targets": _rates(a["targets"]), "hazards": _rates(a["hazards"])}
            for a in figures["areas"]
        ],
        "groups": [_rates(g) for g in figures["groups"]],
        "sectors": [_rates(g) for g in figures["sectors"]],
    }


class ZeroingView(APIView):
    """清零 figures: ``?campaign=<id>`` a campaign's progress (targets, cleared to zero, the three
    rates) in ``?area=<code>``; without a campaign, the ledger's figures in the area by child area,
    sector and campaign."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("area", str), OpenApiParameter("campaign", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        campaign_id = request.query_params.get("campaign")
        if campaign_id:
            campaign = access_object(request.user, SafetyCampaign, {"pk": campaign_id}, "view")
            return Response(campaign_figures_payload(request, campaign))
        root = scope_root(request, "safety_hazards.view_hazard")
        if root is None:
            raise PermissionDenied
        today = timezone.localdate()
        hazards = selectors.visible_hazards(request.user, root.path)
        return Response(
            {
                "area": root.code,
                "on": today.isoformat(),
                "totals": _rates(selectors.hazard_totals(hazards, on=today)),
                "areas": [_rates(r) for r in selectors.hazards_by_child(hazards, root, on=today)],
                "sectors": [_rates(r) for r in selectors.hazards_by_sector(hazards, on=today)],
                "campaigns": [_rates(r) for r in selectors.hazards_by_campaign(hazards, on=today)],
            }
        )
