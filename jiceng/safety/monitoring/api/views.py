"""Monitoring API: sources (computed grade and R), holdings, sensors (thresholds, state, readings),
alarms (``?sensor=<code>``; acknowledge, handle, close), gateways, accountable persons, checks,
watcher shifts and the GB 18218 reference substances."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiceng.core.api.viewsets import ScopedGenericViewSet, ScopedModelViewSet
from jiceng.core.errors import InvalidInput
from jiceng.safety.monitoring import selectors, services
from jiceng.safety.monitoring.api import serializers as s
from jiceng.safety.monitoring.filtersets import (
    AccountablePersonFilterSet,
    AlarmFilterSet,
    GatewayFilterSet,
    HazardousSubstanceFilterSet,
    MajorHazardSourceFilterSet,
    SensorFilterSet,
    SourceCheckFilterSet,
    SourceSubstanceFilterSet,
    WatcherShiftFilterSet,
)
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

MAX_READINGS = 5000


class HazardousSubstanceViewSet(viewsets.ReadOnlyModelViewSet):
    """GB 18218-2018 表1 critical quantities and 表3 correction factors (reference data)."""

    queryset = HazardousSubstance.objects.all()
    serializer_class = s.HazardousSubstanceSerializer
    filterset_class = HazardousSubstanceFilterSet

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return self.queryset.restrict(self.request.user, "view")


class MajorHazardSourceViewSet(ScopedModelViewSet):
    queryset = MajorHazardSource.objects.select_related("enterprise", "area").prefetch_related("substances__substance")
    serializer_class = s.MajorHazardSourceSerializer
    filterset_class = MajorHazardSourceFilterSet


class HoldingViewSet(ScopedModelViewSet):
    """Substances held in sources (the grade of the source is recomputed on every change)."""

    queryset = SourceSubstance.objects.select_related("substance", "source")
    serializer_class = s.HoldingSerializer
    filterset_class = SourceSubstanceFilterSet

    def perform_destroy(self, instance: SourceSubstance) -> None:
        services.do_remove_substance(instance, acting_user=self.request.user)


class SensorViewSet(ScopedModelViewSet):
    queryset = Sensor.objects.select_related("state", "gateway")
    serializer_class = s.SensorSerializer
    filterset_class = SensorFilterSet

    @extend_schema(
        parameters=[OpenApiParameter("since", OpenApiTypes.DATETIME, description="default: one hour ago")],
        responses=s.ReadingSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def readings(self, request: Request, pk: str | None = None) -> Response:
        """The sensor's readings since ``?since=`` (ISO 8601; default one hour ago), at most 5,000."""
        sensor = self.get_object()
        raw = request.query_params.get("since")
        try:
            since = dt.datetime.fromisoformat(raw) if raw else timezone.now() - dt.timedelta(hours=1)
        except ValueError as exc:
            raise InvalidInput("since is an ISO 8601 date-time", field="since") from exc
        if timezone.is_naive(since):
            raise InvalidInput("since needs a UTC offset, e.g. 2026-12-01T08:00:00+08:00", field="since")
        rows = selectors.recent_readings([sensor.pk], since=since)[sensor.pk][:MAX_READINGS]
        return Response([{"ts": ts, "value": value} for ts, value in rows])


class GatewayViewSet(ScopedModelViewSet):
    queryset = Gateway.objects.select_related("enterprise")
    serializer_class = s.GatewaySerializer
    filterset_class = GatewayFilterSet


class AlarmViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Alarms raised by the ingest. ``POST …/{id}/acknowledge/``, ``…/handle/`` (``handling``),
    ``…/close/`` (409 with reasons until the reading cleared and the handling is recorded)."""

    queryset = Alarm.objects.select_related("sensor")
    serializer_class = s.AlarmSerializer
    filterset_class = AlarmFilterSet
    scope_actions: ClassVar[dict[str, str]] = {
        "acknowledge": "handle_alarm",
        "handle": "handle_alarm",
        "close": "handle_alarm",
    }

    def _done(self, alarm: Alarm) -> Response:
        return Response(s.AlarmSerializer(alarm, context=self.get_serializer_context()).data)

    @extend_schema(request=s.AlarmActionSerializer, responses=s.AlarmSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        body = s.AlarmActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alarm = services.do_acknowledge_alarm(
            self.get_object(), acting_user=request.user, comment=body.validated_data.get("comment", "")
        )
        return self._done(alarm)

    @extend_schema(request=s.AlarmActionSerializer, responses=s.AlarmSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: str | None = None) -> Response:
        body = s.AlarmActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alarm = services.do_handle_alarm(
            self.get_object(), acting_user=request.user, handling=body.validated_data.get("handling", "")
        )
        return self._done(alarm)

    @extend_schema(request=s.AlarmActionSerializer, responses=s.AlarmSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        body = s.AlarmActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alarm = services.do_close_alarm(
            self.get_object(), acting_user=request.user, comment=body.validated_data.get("comment", "")
        )
        return self._done(alarm)


class AccountablePersonViewSet(ScopedModelViewSet):
    queryset = AccountablePerson.objects.select_related("source", "person")
    serializer_class = s.AccountablePersonSerializer
    filterset_class = AccountablePersonFilterSet


class SourceCheckViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet
):
    queryset = SourceCheck.objects.select_related("source", "checker")
    serializer_class = s.SourceCheckSerializer
    filterset_class = SourceCheckFilterSet


class WatcherShiftViewSet(ScopedModelViewSet):
    queryset = WatcherShift.objects.select_related("source", "watcher")
    serializer_class = s.WatcherShiftSerializer
    filterset_class = WatcherShiftFilterSet
