"""API of the monitoring results under ``/api/v1/finance/``.

- ``targets/``, ``target-reports/`` (CRUD; ``GET targets/{id}/trend/``);
- ``deviations/?on=&area=`` the flagged targets on a date, ``target-summary/?on=&area=`` the
  mid-year summary;
- ``findings/`` (issue, list, read, correct; ``POST …/{id}/respond/`` ``{"text", "on"}``,
  ``…/close/`` ``{"note", "on"}``, ``…/reject/`` ``{"reason", "on"}`` → 200 with the finding, or 409
  ``{"code": "guard_failed", "reasons": [...]}`` with nothing written);
- ``idle-fund-warnings/`` (read; ``POST …/scan/`` ``{"on", "area"?}``, ``POST …/{id}/finding/``);
- ``reports/`` (generate with ``{"area", "period_end"}``; ``GET …/{id}/download/?fmt=xlsx|docx|pdf``);
- ``review-notes/`` (CRUD).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.viewsets import ScopedGenericViewSet, ScopedModelViewSet
from jiceng.core.errors import InvalidInput
from jiceng.directory.dashboard import scope_root
from jiceng.finance.results import selectors, services
from jiceng.finance.results.api import serializers as s
from jiceng.finance.results.filtersets import (
    FindingFilterSet,
    IdleFundWarningFilterSet,
    MonitoringReportFilterSet,
    PerformanceTargetFilterSet,
    ReviewNoteFilterSet,
    TargetReportFilterSet,
)
from jiceng.finance.results.models import (
    Finding,
    IdleFundWarning,
    MonitoringReport,
    PerformanceTarget,
    ReviewNote,
    TargetReport,
)
from jiceng.finance.results.views import download_response


def _date(raw: str | None, field: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput("A date: YYYY-MM-DD", field=field, code="invalid_date") from exc


def _text(value: Any) -> Any:
    return None if value is None else str(value)


class PerformanceTargetViewSet(ScopedModelViewSet):
    """Performance targets (绩效目标). ``GET …/{id}/trend/`` the series of its reports."""

    queryset = PerformanceTarget.objects.select_related("project", "area")
    serializer_class = s.PerformanceTargetSerializer
    filterset_class = PerformanceTargetFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"trend": "view"}

    def perform_destroy(self, instance: PerformanceTarget) -> None:
        services.do_delete_target(instance, acting_user=self.request.user)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def trend(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        series = selectors.trend(target)
        return Response(
            {
                "target": target.pk,
                "target_value": str(target.target_value),
                "direction": target.direction,
                "series": [
                    {
                        "reported_on": r["reported_on"].isoformat(),
                        "achieved": str(r["achieved"]),
                        "forecast": str(r["forecast"]),
                        "flagged": r["flagged"],
                        "gap_pct": _text(r["gap_pct"]),
                    }
                    for r in series
                ],
            }
        )


class TargetReportViewSet(ScopedModelViewSet):
    """Progress reports of the targets (dated; value achieved and forecast year-end value)."""

    queryset = TargetReport.objects.select_related("target__area")
    serializer_class = s.TargetReportSerializer
    filterset_class = TargetReportFilterSet


def _root(request: Request, perm: str) -> Any:
    root = scope_root(request, perm)  # type: ignore[arg-type]
    if root is None:
        raise PermissionDenied
    return root


class DeviationsView(APIView):
    """The targets whose forecast misses the target beyond the tolerance on ``?on=`` in ``?area=``."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE), OpenApiParameter("area", str)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        root = _root(request, "finance_results.view_performancetarget")
        on = _date(request.query_params.get("on"), "on") or timezone.localdate()
        targets = selectors.visible(PerformanceTarget, request.user, root.path).filter(project__year=on.year)
        found = selectors.deviations(targets, on)
        return Response({"area": root.code, "on": on.isoformat(), "deviations": [d.as_dict() for d in found]})


class TargetSummaryView(APIView):
    """The mid-year summary (1–7月 汇总分析) of target completion per department on ``?on=``."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE), OpenApiParameter("area", str)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        root = _root(request, "finance_results.view_performancetarget")
        on = _date(request.query_params.get("on"), "on") or timezone.localdate()
        targets = selectors.visible(PerformanceTarget, request.user, root.path).filter(project__year=on.year)
        data = selectors.target_summary(targets, on)

        def row(bucket: dict[str, Any], **extra: Any) -> dict[str, Any]:
            keys = ("targets", "reported", "on_track", "deviating", "not_reported")
            return {**extra, **{k: bucket[k] for k in keys}, "on_track_rate": _text(bucket["on_track_rate"])}

        return Response(
            {
                "area": root.code,
                "on": on.isoformat(),
                "totals": row(data["totals"], projects=data["totals"]["projects"]),
                "departments": [
                    row(d, department=d["department"].pk, name=d["department"].name, projects=d["projects"])
                    for d in data["departments"]
                ],
                "projects": [row(p, project=p["project"].pk, name=p["project"].name) for p in data["projects"]],
            }
        )


class FindingViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedGenericViewSet,
):
    """Findings issued to departments (整改). ``?status=&kind=&overdue=true&department=&area=``."""

    queryset = Finding.objects.select_related("project", "department", "area").prefetch_related("responses")
    serializer_class = s.FindingSerializer
    filterset_class = FindingFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"respond": "view", "close": "view", "reject": "view", "refusals": "view"}

    def get_serializer_class(self) -> Any:
        if self.action in ("update", "partial_update"):
            return s.FindingUpdateSerializer
        return super().get_serializer_class()

    def perform_destroy(self, instance: Finding) -> None:
        services.do_delete_finding(instance, acting_user=self.request.user)

    def _step(self, request: Request, name: str) -> Response:
        finding = self.get_object()
        body = s.StepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        on = data.get("on")
        if name == "respond":
            moved = services.do_respond(finding, text=data.get("text", ""), on=on, acting_user=request.user)
        elif name == "close":
            moved = services.do_close(finding, note=data.get("note", ""), on=on, acting_user=request.user)
        else:
            moved = services.do_reject(finding, reason=data.get("reason", ""), on=on, acting_user=request.user)
        moved = self.get_queryset().get(pk=moved.pk)
        return Response(s.FindingSerializer(moved, context={"request": request}).data)

    @extend_schema(request=s.StepSerializer, responses=s.FindingSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str | None = None) -> Response:
        """The department's response ``{"text", "on"}`` (the ``change`` permission over the finding)."""
        return self._step(request, "respond")

    @extend_schema(request=s.StepSerializer, responses=s.FindingSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """The bureau closes the case ``{"note", "on"}`` (``close_finding``)."""
        return self._step(request, "close")

    @extend_schema(request=s.StepSerializer, responses=s.FindingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """The bureau rejects the response ``{"reason", "on"}`` (``close_finding``): back to issued."""
        return self._step(request, "reject")

    @extend_schema(
        parameters=[OpenApiParameter("step", str), OpenApiParameter("on", OpenApiTypes.DATE)],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def refusals(self, request: Request, pk: str | None = None) -> Response:
        """What stops ``?step=respond|close|reject`` on ``?on=``."""
        finding = self.get_object()
        step = request.query_params.get("step", "")
        found = services.refusals(
            finding, step, acting_user=request.user, on=_date(request.query_params.get("on"), "on")
        )
        return Response(
            {
                "step": step,
                "reasons": [{"policy": r.policy_key, "message": r.message, "source": r.source} for r in found],
            }
        )


class IdleFundWarningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Idle-fund warnings (闲置资金预警). ``POST …/scan/`` ``{"on", "area"?}`` runs the scan in the
    caller's scope; ``POST …/{id}/finding/`` ``{"measures", "on"}`` turns one into a finding."""

    queryset = IdleFundWarning.objects.select_related("project", "area")
    serializer_class = s.IdleFundWarningSerializer
    filterset_class = IdleFundWarningFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"scan": "add", "finding": "view"}

    @extend_schema(request=s.ScanSerializer, responses=s.IdleFundWarningSerializer(many=True))
    @action(detail=False, methods=["post"])
    def scan(self, request: Request) -> Response:
        body = s.ScanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        root = scope_root(request, "finance_results.add_idlefundwarning")  # type: ignore[arg-type]
        if root is None:
            raise PermissionDenied
        code = body.validated_data.get("area") or ""
        if code and code != root.code:
            raise InvalidInput("The area is outside your scope.", field="area")
        found = services.do_scan_idle_funds(on=body.validated_data["on"], area_path=root.path, acting_user=request.user)
        return Response(
            s.IdleFundWarningSerializer(found, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED if found else status.HTTP_200_OK,
        )

    @extend_schema(request=s.WarningFindingSerializer, responses=s.FindingSerializer)
    @action(detail=True, methods=["post"])
    def finding(self, request: Request, pk: str | None = None) -> Response:
        warning = self.get_object()
        body = s.WarningFindingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = services.do_issue_from_warning(
            warning,
            measures=body.validated_data.get("measures", []),
            on=body.validated_data.get("on"),
            acting_user=request.user,
        )
        return Response(s.FindingSerializer(created, context={"request": request}).data, status=status.HTTP_201_CREATED)


class MonitoringReportViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    ScopedGenericViewSet,
):
    """Monitoring reports of an Area for Jan 1 – ``period_end`` (figures frozen on generation)."""

    queryset = MonitoringReport.objects.select_related("area")
    serializer_class = s.MonitoringReportSerializer
    filterset_class = MonitoringReportFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"download": "view"}

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, enum=["xlsx", "docx", "pdf"])],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="download")
    def download(self, request: Request, pk: str | None = None) -> Any:
        report = self.get_object()
        fmt = request.query_params.get("fmt") or "xlsx"
        return download_response(report, fmt)


class ReviewNoteViewSet(ScopedModelViewSet):
    """Notes for next year's budget review (结果应用). ``?for_year=&department=``."""

    queryset = ReviewNote.objects.select_related("department", "project", "area")
    serializer_class = s.ReviewNoteSerializer
    filterset_class = ReviewNoteFilterSet
