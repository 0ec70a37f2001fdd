"""API of catchment allocation under ``/api/v1/education/``: ``catchment-zones/``,
``enrolment-plans/``, ``intake-records/`` and ``allocations/`` (``POST`` a run; ``GET
…/{id}/results/`` paginated with explanations; ``POST …/{id}/publish/`` and ``…/withdraw/``;
``GET …/{id}/compare/?with=<id>``)."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiceng.core.api.viewsets import ScopedGenericViewSet, ScopedModelViewSet
from jiceng.core.errors import InvalidInput
from jiceng.education.allocation import services
from jiceng.education.allocation.api import serializers as s
from jiceng.education.allocation.filtersets import (
    AllocationRunFilterSet,
    CatchmentZoneFilterSet,
    EnrolmentPlanFilterSet,
    IntakeRecordFilterSet,
    PlacementFilterSet,
)
from jiceng.education.allocation.models import AllocationRun, CatchmentZone, EnrolmentPlan, IntakeRecord


class CatchmentZoneViewSet(ScopedModelViewSet):
    """Catchment zones (学区/片区): single- or multi-school, with their schools and villages."""

    queryset = CatchmentZone.objects.select_related("area").prefetch_related("schools", "villages")
    serializer_class = s.CatchmentZoneSerializer
    filterset_class = CatchmentZoneFilterSet

    def perform_destroy(self, instance: Any) -> None:
        services.do_delete_zone(instance, acting_user=self.request.user)


class EnrolmentPlanViewSet(ScopedModelViewSet):
    """Enrolment plans: planned classes of an entry grade; ``capacity`` from the class-size cap."""

    queryset = EnrolmentPlan.objects.select_related("school", "school__area", "area")
    serializer_class = s.EnrolmentPlanSerializer
    filterset_class = EnrolmentPlanFilterSet

    def perform_destroy(self, instance: Any) -> None:
        services.do_delete_plan(instance, acting_user=self.request.user)


class IntakeRecordViewSet(ScopedModelViewSet):
    """New students admitted per school, year and entry grade (农村学校新生回流)."""

    queryset = IntakeRecord.objects.select_related("school", "area")
    serializer_class = s.IntakeRecordSerializer
    filterset_class = IntakeRecordFilterSet


class AllocationRunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    ScopedGenericViewSet,
):
    """Allocation runs (招生派位). ``POST`` a run (a draft; 201) — refused with 400 for bad input and
    409 ``guard_failed`` for a rule, nothing written; runs are never edited: make a what-if run
    (``base_run``) instead."""

    queryset = AllocationRun.objects.select_related("area", "base_run")
    serializer_class = s.AllocationRunSerializer
    filterset_class = AllocationRunFilterSet
    scope_actions: ClassVar[dict[str, str]] = {
        "results": "view",
        "compare": "view",
        "publish": "view",
        "withdraw": "view",
    }

    def perform_destroy(self, instance: Any) -> None:
        services.do_delete_run(instance, acting_user=self.request.user)

    def filter_queryset(self, queryset: Any) -> Any:
        """The results' own filters (``?q=``, ``?school=``…) are not filters of the run."""
        if self.action in ("results", "compare"):
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(request=s.AllocationRunCreateSerializer, responses={201: s.AllocationRunSerializer})
    def create(self, request: Request) -> Response:
        body = s.AllocationRunCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        base = data.get("base_run")
        if base is not None:
            run = services.do_create_what_if(
                base,
                acting_user=request.user,
                capacity_overrides=data.get("capacity_overrides"),
                zone_overrides=data.get("zone_overrides"),
                mode=data.get("mode"),
                diversions=data.get("diversions"),
                name=data.get("name", ""),
            )
        else:
            run = services.do_create_run(
                area=data["area"],
                year=data["year"],
                grade=data["grade"],
                applicants=[dict(a) for a in data["applicants"]],
                acting_user=request.user,
                seed=data.get("seed"),
                mode=data.get("mode") or "standard",
                capacity_overrides=data.get("capacity_overrides"),
                zone_overrides=data.get("zone_overrides"),
                diversions=data.get("diversions"),
                name=data.get("name", ""),
                notes=data.get("notes", ""),
            )
        return Response(s.AllocationRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.PlacementSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Every applicant's placement with its explanation (``?school=``, ``?tier=``, ``?via=``,
        ``?unplaced=true``), paginated."""
        run = self.get_object()
        qs = run.placements.select_related("home_area", "school").order_by("index")
        qs = PlacementFilterSet(request.query_params, queryset=qs).qs
        page = self.paginate_queryset(qs)
        rows = s.PlacementSerializer(page if page is not None else qs, many=True).data
        return self.get_paginated_response(rows) if page is not None else Response(rows)

    @extend_schema(
        parameters=[OpenApiParameter("with", int, required=True)], responses=s.CompareRowSerializer(many=True)
    )
    @action(detail=True, methods=["get"])
    def compare(self, request: Request, pk: str | None = None) -> Response:
        """Applicants whose school differs between this run and ``?with=<run id>`` (who moves)."""
        run = self.get_object()
        try:
            other_id = int(request.query_params.get("with", ""))
        except ValueError as exc:
            raise InvalidInput("with: a run id", field="with") from exc
        other = self.get_queryset().filter(pk=other_id).first()
        if other is None:
            raise InvalidInput("with: no such run", field="with")
        return Response(s.CompareRowSerializer(services.compare_runs(other, run), many=True).data)

    @extend_schema(request=s.TransitionCommentSerializer, responses=s.AllocationRunSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish a draft (one published run per area, year and grade; audited)."""
        run = self.get_object()
        body = s.TransitionCommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.do_publish_run(run, acting_user=request.user, comment=body.validated_data.get("comment", ""))
        return Response(s.AllocationRunSerializer(moved).data)

    @extend_schema(request=s.TransitionCommentSerializer, responses=s.AllocationRunSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        run = self.get_object()
        body = s.TransitionCommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.do_withdraw_run(run, acting_user=request.user, comment=body.validated_data.get("comment", ""))
        return Response(s.AllocationRunSerializer(moved).data)
