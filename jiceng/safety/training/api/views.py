"""API of safety training and publicity under ``/api/v1/safety/``: trainings, exams, spot tests and
their results, certificate checks, publicity, broadcasts (with ``withdraw``), the ad library,
campaigns, and the figures (training, spot tests, certificate checks, publicity)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _
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
from jiceng.core.policies.services import PolicyValue
from jiceng.directory.dashboard import scope_root
from jiceng.directory.models import Area
from jiceng.safety.models import SafetySector
from jiceng.safety.training import selectors, services
from jiceng.safety.training.api import serializers as s
from jiceng.safety.training.filtersets import (
    BroadcastFilterSet,
    CertificateCheckFilterSet,
    ExamFilterSet,
    PublicityActivityFilterSet,
    PublicServiceAdFilterSet,
    SpotTestFilterSet,
    SpotTestResultFilterSet,
    TrainingCampaignFilterSet,
    TrainingSessionFilterSet,
)
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


class TrainingCampaignViewSet(ScopedModelViewSet):
    """Special actions (专项行动) and their periods."""

    queryset = TrainingCampaign.objects.all()
    serializer_class = s.TrainingCampaignSerializer
    filterset_class = TrainingCampaignFilterSet

    def perform_destroy(self, instance: TrainingCampaign) -> None:
        services.do_delete_installation_row(instance, acting_user=self.request.user)


class TrainingSessionViewSet(ScopedModelViewSet):
    """Training sessions of enterprises (S13 training ledger)."""

    queryset = TrainingSession.objects.select_related("enterprise", "area").prefetch_related("attendees")
    serializer_class = s.TrainingSessionSerializer
    filterset_class = TrainingSessionFilterSet


class ExamViewSet(ScopedModelViewSet):
    queryset = Exam.objects.select_related("area")
    serializer_class = s.ExamSerializer
    filterset_class = ExamFilterSet


class SpotTestViewSet(ScopedModelViewSet):
    """Spot tests of employees (S14)."""

    queryset = SpotTest.objects.select_related("area")
    serializer_class = s.SpotTestSerializer
    filterset_class = SpotTestFilterSet


class SpotTestResultViewSet(ScopedModelViewSet):
    """One employee's score in a spot test; ``passed`` and the test's counts follow the pass mark."""

    queryset = SpotTestResult.objects.select_related("employee")
    serializer_class = s.SpotTestResultSerializer
    filterset_class = SpotTestResultFilterSet

    def perform_destroy(self, instance: SpotTestResult) -> None:
        services.do_delete_result(instance, acting_user=self.request.user)


class CertificateCheckViewSet(ScopedModelViewSet):
    """Certificate checks (S14); an expired, forged or borrowed certificate raises an alert."""

    queryset = CertificateCheck.objects.select_related("area", "enterprise")
    serializer_class = s.CertificateCheckSerializer
    filterset_class = CertificateCheckFilterSet

    def perform_destroy(self, instance: CertificateCheck) -> None:
        services.do_delete_certificate_check(instance, acting_user=self.request.user)


class PublicityActivityViewSet(ScopedModelViewSet):
    """Publicity activities of the "五进" (S15)."""

    queryset = PublicityActivity.objects.select_related("area")
    serializer_class = s.PublicityActivitySerializer
    filterset_class = PublicityActivityFilterSet


class BroadcastViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Safety prompts and warnings (S15). Created → sent through the alert channels when the window
    begins; ``POST …/{id}/withdraw/`` stops one (409 ``guard_failed`` when it is already over)."""

    queryset = Broadcast.objects.select_related("area")
    serializer_class = s.BroadcastSerializer
    filterset_class = BroadcastFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"withdraw": "change"}

    @extend_schema(request=s.WithdrawSerializer, responses=s.BroadcastSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        broadcast = self.get_object()
        body = s.WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.do_withdraw_broadcast(
            broadcast, acting_user=request.user, comment=body.validated_data.get("comment", "")
        )
        return Response(s.BroadcastSerializer(moved, context={"request": request}).data)


class PublicServiceAdViewSet(ScopedModelViewSet):
    """The public-service-ad library (installation-wide)."""

    queryset = PublicServiceAd.objects.all()
    serializer_class = s.PublicServiceAdSerializer
    filterset_class = PublicServiceAdFilterSet
    parser_classes: ClassVar[list[Any]] = [JSONParser, MultiPartParser, FormParser]
    scope_actions: ClassVar[dict[str, str]] = {"image": "change"}

    @extend_schema(request=s.AdImageSerializer, responses=s.PublicServiceAdSerializer)
    @action(detail=True, methods=["post"])
    def image(self, request: Request, pk: str | None = None) -> Response:
        """Upload the ad's picture (multipart ``image``: PNG, JPEG or WebP), or ``remove`` it."""
        ad = self.get_object()
        body = s.AdImageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = None if body.validated_data["remove"] else body.validated_data.get("image")
        if upload is None and not body.validated_data["remove"]:
            raise InvalidInput(_("Send an image file, or remove=true."), field="image")
        saved = services.do_set_ad_image(ad, upload=upload, acting_user=request.user)
        return Response(s.PublicServiceAdSerializer(saved, context={"request": request}).data)

    def perform_destroy(self, instance: PublicServiceAd) -> None:
        services.do_delete_installation_row(instance, acting_user=self.request.user)


# --- figures --------------------------------------------------------------------------------
def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _plain(value: Any) -> Any:
    """Figures as JSON: rates as exact strings, Areas and sectors as code and name, policies cited."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Area):
        return {"code": value.code, "name": value.name}
    if isinstance(value, SafetySector):
        return {"code": value.code, "name": value.name}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "root"}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, PolicyValue):
        return {"policy": value.key, "value": str(value.value), "source": value.cite()}
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


FIGURE_PARAMETERS = [
    OpenApiParameter("area", str, description="Division code (default: the caller's area)"),
    OpenApiParameter("from", OpenApiTypes.DATE),
    OpenApiParameter("to", OpenApiTypes.DATE),
    OpenApiParameter("campaign", int),
]


class FiguresView(APIView):
    """Base of the figure endpoints: ``?area=<code>&from=&to=&campaign=``."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]
    permission = ""
    compute: ClassVar[Callable[..., dict[str, Any]]]

    @extend_schema(parameters=FIGURE_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        root = scope_root(request, self.permission)
        if root is None:
            raise PermissionDenied
        period = selectors.parse_period(request.query_params, request.user)
        data = type(self).compute(request.user, root, period)
        return Response(
            {
                "area": root.code,
                "from": _text(period.start),
                "to": _text(period.end),
                "campaign": period.campaign.pk if period.campaign else None,
                "on": timezone.localdate().isoformat(),
                **_plain(data),
            }
        )


class TrainingFiguresView(FiguresView):
    """S13 per child area and sector: enterprises organising training, workers trained, participation, exam pass rates."""

    permission = "safety_training.view_trainingsession"
    compute = staticmethod(selectors.training_figures)


class SpotTestFiguresView(FiguresView):
    """S14 spot tests per child area and per campaign: employees tested and passed, pass rate."""

    permission = "safety_training.view_spottest"
    compute = staticmethod(selectors.spot_test_figures)


class CertificateFiguresView(FiguresView):
    """S14 certificate checks per child area and per kind, by result."""

    permission = "safety_training.view_certificatecheck"
    compute = staticmethod(selectors.certificate_figures)


class PublicityFiguresView(FiguresView):
    """S15 "五进" activities and participants per target and child area."""

    permission = "safety_training.view_publicityactivity"
    compute = staticmethod(selectors.publicity_figures)
