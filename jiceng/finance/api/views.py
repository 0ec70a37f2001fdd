"""API of the finance module under ``/api/v1/finance/``.

- ``projects/`` (CRUD); ``projects/{id}/spending/`` (GET list, POST ``{"on", "amount", "purpose",
  "assets": [{"item", "quantity", "unit_price"}]}`` → 201), likewise ``…/adjustments/``,
  ``…/disbursements/``, ``…/carry-overs/``; ``projects/{id}/monitoring/?on=YYYY-MM-DD`` → the
  figures (percentages as JSON numbers with one decimal) and their reasons;
  ``projects/{id}/scope/`` → in or out of the monitored set, and why;
- ``watchlist/?on=&area=`` the finance bureau's key-monitoring list; ``flags/?on=&area=`` the
  irregularity flags;
- ``adjustments/``, ``disbursements/``, ``spending/``, ``carry-overs/`` (created, listed, deleted, never
  edited: corrections are new rows), ``asset-standards/``, ``asset-purchases/``, ``key-marks/``.

Bad input (a bad date, a non-positive amount, a unit outside the caller's scope) is a 400 with field
errors and nothing is written; a project outside the caller's subtree is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.viewsets import ScopedGenericViewSet, ScopedModelViewSet
from jiceng.directory.dashboard import scope_root
from jiceng.finance import filtersets as f
from jiceng.finance import flags as flag_rules
from jiceng.finance import rules, selectors, services
from jiceng.finance.api import serializers as s
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

FACTS = (mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin)
ON = OpenApiParameter("on", OpenApiTypes.DATE, description="YYYY-MM-DD (default today)")


def date_param(request: Request, name: str = "on") -> dt.date:
    raw = request.query_params.get(name, "")
    if not raw:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise serializers.ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from exc


NESTED = {
    "spending": (Spending, s.SpendingSerializer),
    "adjustments": (BudgetAdjustment, s.BudgetAdjustmentSerializer),
    "disbursements": (Disbursement, s.DisbursementSerializer),
    "carry_overs": (CarryOverForecast, s.CarryOverForecastSerializer),
}


class BudgetProjectViewSet(ScopedModelViewSet):
    """Budget projects. ``?year=&budget_type=&funding_source=&unit=&monitored=&key=&area=``."""

    queryset = BudgetProject.objects.select_related("unit", "area")
    serializer_class = s.BudgetProjectSerializer
    filterset_class = f.BudgetProjectFilterSet
    scope_actions: ClassVar[dict[str, str]] = {
        "monitoring": "view",
        "scope": "view",
        "spending": "view",
        "adjustments": "view",
        "disbursements": "view",
        "carry_overs": "view",
    }

    def perform_destroy(self, instance: BudgetProject) -> None:
        services.do_delete_project(instance, acting_user=self.request.user)

    def _rows(self, request: Request, name: str) -> Response:
        project = self.get_object()
        model, serializer_class = NESTED[name]
        nested = s.nested(serializer_class)
        context = {"request": request, "project": project}
        if request.method == "POST":
            body = nested(data=request.data, context=context)
            body.is_valid(raise_exception=True)
            row = body.save()
            return Response(nested(row, context=context).data, status=status.HTTP_201_CREATED)
        rows = model.objects.restrict(request.user, "view").filter(project=project).order_by("on", "pk")
        return Response(nested(rows, many=True, context=context).data)

    @extend_schema(request=s.SpendingSerializer, responses=s.SpendingSerializer)
    @action(detail=True, methods=["get", "post"])
    def spending(self, request: Request, pk: str | None = None) -> Response:
        return self._rows(request, "spending")

    @extend_schema(request=s.BudgetAdjustmentSerializer, responses=s.BudgetAdjustmentSerializer)
    @action(detail=True, methods=["get", "post"])
    def adjustments(self, request: Request, pk: str | None = None) -> Response:
        return self._rows(request, "adjustments")

    @extend_schema(request=s.DisbursementSerializer, responses=s.DisbursementSerializer)
    @action(detail=True, methods=["get", "post"])
    def disbursements(self, request: Request, pk: str | None = None) -> Response:
        return self._rows(request, "disbursements")

    @extend_schema(request=s.CarryOverForecastSerializer, responses=s.CarryOverForecastSerializer)
    @action(detail=True, methods=["get", "post"], url_path="carry-overs")
    def carry_overs(self, request: Request, pk: str | None = None) -> Response:
        return self._rows(request, "carry_overs")

    @extend_schema(parameters=[ON], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def monitoring(self, request: Request, pk: str | None = None) -> Response:
        """``{"time_progress": 58.3, "execution_progress": 12.0, "lag_points": 46.3, "key_monitoring": true,
        "reasons": [...]}`` on ``?on=``."""
        on = date_param(request)
        project = self.get_object()
        return Response(s.monitoring_payload(project, selectors.monitoring(project, on), on))

    @extend_schema(parameters=[ON], responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def scope(self, request: Request, pk: str | None = None) -> Response:
        project = self.get_object()
        monitored, reasons = rules.scope_decision(project)
        return Response({"project": project.pk, "monitored": monitored, "reasons": [r.message for r in reasons]})


class RowViewSet(*FACTS, ScopedGenericViewSet):  # type: ignore[misc]
    def perform_destroy(self, instance: Any) -> None:
        services.do_delete_row(instance, acting_user=self.request.user)


class BudgetAdjustmentViewSet(RowViewSet):
    queryset = BudgetAdjustment.objects.select_related("project")
    serializer_class = s.BudgetAdjustmentSerializer
    filterset_class = f.BudgetAdjustmentFilterSet


class DisbursementViewSet(RowViewSet):
    queryset = Disbursement.objects.select_related("project")
    serializer_class = s.DisbursementSerializer
    filterset_class = f.DisbursementFilterSet


class SpendingViewSet(RowViewSet):
    queryset = Spending.objects.select_related("project").prefetch_related("asset_purchases")
    serializer_class = s.SpendingSerializer
    filterset_class = f.SpendingFilterSet


class CarryOverForecastViewSet(RowViewSet):
    queryset = CarryOverForecast.objects.select_related("project")
    serializer_class = s.CarryOverForecastSerializer
    filterset_class = f.CarryOverForecastFilterSet


class AssetPurchaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Assets bought with spending rows (created with the spending)."""

    queryset = AssetPurchase.objects.select_related("spending")
    serializer_class = s.AssetPurchaseSerializer
    filterset_class = f.AssetPurchaseFilterSet


class AssetStandardViewSet(ScopedModelViewSet):
    """Allocation standards (maximum unit price per item; an Area's standard applies downwards)."""

    queryset = AssetStandard.objects.select_related("area")
    serializer_class = s.AssetStandardSerializer
    filterset_class = f.AssetStandardFilterSet


class KeyMarkViewSet(ScopedModelViewSet):
    """A department's key projects (重点项目) and the criteria they meet."""

    queryset = KeyMark.objects.select_related("project")
    serializer_class = s.KeyMarkSerializer
    filterset_class = f.KeyMarkFilterSet

    def perform_destroy(self, instance: KeyMark) -> None:
        services.do_unmark_key(instance, acting_user=self.request.user)


def visible_projects(request: Request) -> Any:
    root = scope_root(request, "finance.view_budgetproject")
    if root is None:
        return None, BudgetProject.objects.none()
    qs = BudgetProject.objects.restrict(request.user, "view").filter(area__path__startswith=root.path)
    return root, qs


class WatchListView(APIView):
    """The finance bureau's key-monitoring list on ``?on=`` in ``?area=<code>`` (default the caller's area)."""

    queryset = BudgetProject.objects.all()

    @extend_schema(parameters=[ON, OpenApiParameter("area", str)], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        on = date_param(request)
        root, projects = visible_projects(request)
        entries = selectors.watch_list(projects, on)
        return Response(
            {
                "on": on.isoformat(),
                "area": root.code if root else None,
                "count": len(entries),
                "results": [s.monitoring_payload(p, figures, on) for p, figures in entries],
            }
        )


class FlagsView(APIView):
    """Irregularity flags on ``?on=`` in ``?area=<code>``; ``?kind=`` one kind, ``?project=`` one project."""

    queryset = BudgetProject.objects.all()

    @extend_schema(
        parameters=[ON, OpenApiParameter("area", str), OpenApiParameter("kind", str), OpenApiParameter("project", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        on = date_param(request)
        _root, projects = visible_projects(request)
        project = request.query_params.get("project")
        if project:
            if not project.isdigit():
                raise serializers.ValidationError({"project": [_("A project id is a number.")]})
            projects = projects.filter(pk=int(project))
        found = flag_rules.project_flags(projects, on)
        kind = request.query_params.get("kind")
        if kind:
            found = [flag for flag in found if flag.kind == kind]
        return Response({"on": on.isoformat(), "count": len(found), "results": [flag.as_dict() for flag in found]})
